#include "ledger/governance/field_values.h"

#include <vector>

#include "absl/strings/str_cat.h"

namespace ailedger {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

absl::Status ForEachFieldValue(const Message& m, const std::string& prefix,
                               const FieldValueCheck& check) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string name =
        prefix.empty() ? f->name() : absl::StrCat(prefix, ".", f->name());
    if (!f->is_repeated()) {
      if (auto s = check(m, f, 0, name); !s.ok()) return s;
      continue;
    }
    for (int i = 0; i < m.GetReflection()->FieldSize(m, f); ++i) {
      auto s = check(m, f, i, absl::StrCat(name, "[", i, "]"));
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

const Message& MessageValue(const Message& m, const FieldDescriptor* f, int i) {
  const auto* r = m.GetReflection();
  return f->is_repeated() ? r->GetRepeatedMessage(m, f, i)
                          : r->GetMessage(m, f);
}

}  // namespace ailedger
