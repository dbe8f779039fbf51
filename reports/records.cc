#include "reports/records.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ailedger/bundle.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger::reports {
namespace {

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

}  // namespace

bool IsOperational(const v1::Event& e) {
  return e.has_log_segment_anchored() || e.has_human_override_logged() ||
         e.has_explanation_provided();
}

void OperationalTally::Add(const Record& r) {
  OperationalKey key{
      r.event.organisation(), r.event.event_type(), "",
      static_cast<int>(
          absl::ToCivilYear(absl::FromUnixMillis(r.event.occurred_at_ms()),
                            absl::UTCTimeZone())
              .year())};
  for (const auto& s : r.event.subjects())
    if (s.kind() == "system") key.system = s.id();
  OperationalGroup& g = groups[key];
  if (g.count++ == 0) g.first = r;
  g.last = r;
  const int64_t lag =
      static_cast<int64_t>(r.integrated_time_ms) - r.event.occurred_at_ms();
  if (lag > late_after_ms) ++g.late;
  g.max_lag_ms = std::max(g.max_lag_ms, lag);
}

absl::StatusOr<std::vector<Record>> ReadRecords(std::istream* in,
                                                const std::string& origin,
                                                ProofSource* proofs,
                                                OperationalTally* tally) {
  in->clear();
  in->seekg(0);
  BundleReader reader(in);
  if (auto s = reader.ReadMagic(); !s.ok()) return s;
  std::vector<Record> out;
  for (auto r = reader.Next(); r.ok(); r = reader.Next()) {
    if (r->type == RecordType::kCheckpoint) {
      if (proofs != nullptr) proofs->checkpoint = std::move(r->payload);
      break;
    }
    if (r->type != RecordType::kLeaf) continue;
    auto leaf = DecodeLeaf(r->payload);
    Record rec;
    if (!leaf.ok() || !rec.event.ParseFromString(leaf->event_bytes))
      return absl::DataLossError("a leaf of the bundle does not decode");
    rec.index = leaf->index;
    rec.integrated_time_ms = leaf->integrated_time_ms;
    rec.signer = leaf->signer;
    rec.event_id = EventId(origin, leaf->event_bytes);
    rec.leaf_hash = HashLeaf(r->payload);
    if (proofs != nullptr) {
      if (proofs->leaf_hashes.empty()) proofs->first = rec.index;
      proofs->bundle = in;
      proofs->leaf_hashes.push_back(rec.leaf_hash);
    }
    if (tally != nullptr && IsOperational(rec.event)) {
      tally->Add(rec);
      continue;
    }
    out.push_back(std::move(rec));
  }
  return out;
}

absl::StatusOr<std::map<uint64_t, std::string>> ReadLeaves(
    std::istream* in, const std::set<uint64_t>& indices) {
  in->clear();
  in->seekg(0);
  BundleReader reader(in);
  if (auto s = reader.ReadMagic(); !s.ok()) return s;
  std::map<uint64_t, std::string> out;
  for (auto r = reader.Next(); r.ok() && out.size() < indices.size();
       r = reader.Next()) {
    if (r->type == RecordType::kCheckpoint) break;
    if (r->type != RecordType::kLeaf) continue;
    auto leaf = DecodeLeaf(r->payload);
    if (!leaf.ok())
      return absl::DataLossError("a leaf of the bundle does not decode");
    if (indices.contains(leaf->index)) out[leaf->index] = std::move(r->payload);
  }
  return out;
}

std::string Cite(const Record& r) {
  const int64_t occurred = r.event.occurred_at_ms();
  const int64_t recorded = static_cast<int64_t>(r.integrated_time_ms);
  const int64_t lag_days = (recorded - occurred) / 86'400'000;
  return absl::StrCat("idx ", r.index, " · ", r.event.event_type(), " · ",
                      r.event.organisation(), " · occ ", Day(occurred),
                      " · rec ", Day(recorded),
                      lag_days > 0 ? absl::StrCat(" (+", lag_days, " d)") : "",
                      " · id ", ToHex(r.event_id).substr(0, 16));
}

}  // namespace ailedger::reports
