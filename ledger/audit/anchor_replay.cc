#include "ledger/audit/anchor_replay.h"

#include <map>

#include "absl/strings/str_cat.h"
#include "ledger/audit/bundle.h"
#include "ledger/audit/verify_failure.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/rules/engine.h"

namespace ailedger {
namespace {

// The roots at `sizes` of the tree whose leaves are the bundle's leaf records
// (a bundle from index 0), read from the start of `in`.
absl::StatusOr<std::map<uint64_t, Hash>> RootsAt(
    std::istream* in, std::map<uint64_t, Hash> sizes) {
  in->seekg(0);
  BundleReader again(in);
  absl::Status s =
      !in->good() ? absl::UnavailableError("the bundle cannot be read twice")
                  : again.ReadMagic();
  CompactRange range;
  auto next = sizes.begin();
  for (auto r = again.Next(); s.ok() && r.ok() && next != sizes.end();
       r = again.Next()) {
    if (r->type == RecordType::kCheckpoint) break;
    if (r->type != RecordType::kLeaf) continue;
    range.Append(HashLeaf(r->payload), nullptr);
    for (; next != sizes.end() && next->first == range.size(); ++next)
      next->second = range.Root();
  }
  if (!s.ok()) return s;
  return sizes;
}

}  // namespace

absl::Status AnchorReplay::Check(std::istream* in, uint64_t before) const {
  std::map<uint64_t, Hash> sizes;
  for (const Claim& c : claims_) {
    if (c.index < before) sizes[c.size] = Hash{};
  }
  if (sizes.empty()) return absl::OkStatus();
  const std::streampos resume = in->tellg();
  if (resume < 0)
    return absl::UnavailableError("the bundle cannot be read twice");
  auto roots = RootsAt(in, std::move(sizes));
  in->clear();
  in->seekg(resume);  // the first pass goes on from here
  if (!roots.ok()) return roots.status();
  for (const Claim& c : claims_) {
    if (c.index >= before) break;
    const Hash& actual = roots->at(c.size);
    if (actual == c.root) continue;
    return WithRule(
        Fail(c.index, "reference",
             absl::StrCat("report_published.root_hash: not the log's root at "
                          "size ",
                          c.size, " (", ToHex(actual), ")")),
        Rule::kReference);
  }
  return absl::OkStatus();
}

}  // namespace ailedger
