#include "ledger/governance/canonical.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <vector>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

absl::Status CheckEnum(const Message& m, const FieldDescriptor* f,
                       absl::string_view path) {
  const Reflection* r = m.GetReflection();
  const int n = f->is_repeated() ? r->FieldSize(m, f) : 1;
  for (int i = 0; i < n; ++i) {
    int v = f->is_repeated() ? r->GetRepeatedEnumValue(m, f, i)
                             : r->GetEnumValue(m, f);
    if (f->enum_type()->FindValueByNumber(v) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ": unknown enum value ", v));
    }
  }
  return absl::OkStatus();
}

// Walks the message: no unknown fields, no unknown enum values, at any depth.
absl::Status CheckKnown(const Message& m, const std::string& path) {
  const Reflection* r = m.GetReflection();
  if (!r->GetUnknownFields(m).empty()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": unknown field"));
  }
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(m, &fields);
  for (const FieldDescriptor* f : fields) {
    const std::string sub = absl::StrCat(path, ".", f->name());
    if (f->type() == FieldDescriptor::TYPE_ENUM) {
      if (auto s = CheckEnum(m, f, sub); !s.ok()) return s;
    }
    if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (!f->is_repeated()) {
      if (auto s = CheckKnown(r->GetMessage(m, f), sub); !s.ok()) return s;
      continue;
    }
    for (int i = 0; i < r->FieldSize(m, f); ++i) {
      auto s = CheckKnown(r->GetRepeatedMessage(m, f, i),
                          absl::StrCat(sub, "[", i, "]"));
      if (!s.ok()) return s;
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string CanonicalEncoding(const google::protobuf::Message& message) {
  std::string out;
  {
    google::protobuf::io::StringOutputStream stream(&out);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return out;
}

absl::Status ParseCanonical(absl::string_view bytes,
                            google::protobuf::Message* message,
                            absl::string_view what) {
  if (!message->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": not a valid ", message->GetDescriptor()->full_name()));
  }
  if (auto s = CheckKnown(*message, std::string(what)); !s.ok()) return s;
  if (CanonicalEncoding(*message) != bytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": not canonical (its deterministic re-encoding differs)"));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::Event> ParseCanonicalEvent(absl::string_view bytes) {
  v1::Event event;
  if (auto s = ParseCanonical(bytes, &event, "event"); !s.ok()) return s;
  return event;
}

}  // namespace ailedger
