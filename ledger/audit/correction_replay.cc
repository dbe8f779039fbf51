#include "ledger/audit/correction_replay.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/audit/bundle.h"
#include "ledger/rules/engine.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

void CorrectionReplay::Note(uint64_t index, const v1::Event& e,
                            bool signer_is_admin,
                            const std::string& signer_organisation) {
  std::string target;
  if (!e.supersedes().empty()) target = e.supersedes();
  if (e.has_retraction()) target = e.retraction().retracts();
  auto id = HashFromBytes(target, "target");
  if (!id.ok()) return;
  corrections_.push_back({index, e, signer_is_admin, signer_organisation});
  targets_[*id];
}

absl::Status CorrectionReplay::ReadTargets(std::istream* in,
                                           const std::string& origin,
                                           uint64_t from) {
  const std::streampos resume = in->tellg();
  if (resume < 0) {
    // Not seekable (a pipe): leave the stream as it is, the first pass goes
    // on. VerifyBundle refuses such a stream up front.
    return absl::UnavailableError("the bundle cannot be read twice");
  }
  in->seekg(0);
  BundleReader again(in);
  absl::Status s =
      !in->good() ? absl::UnavailableError("the bundle cannot be read twice")
                  : again.ReadMagic();
  uint64_t index = from;
  for (auto r = again.Next(); s.ok() && r.ok(); r = again.Next()) {
    if (r->type == RecordType::kCheckpoint) break;
    if (r->type != RecordType::kLeaf) continue;
    auto leaf = DecodeLeaf(r->payload);
    if (!leaf.ok()) return leaf.status();
    auto it = targets_.find(EventId(origin, leaf->event_bytes));
    v1::Event e;
    if (it != targets_.end() && e.ParseFromString(leaf->event_bytes))
      it->second = Target{FactsOf(index, e)};
    ++index;
  }
  in->clear();
  in->seekg(resume);  // the first pass goes on from here
  return s;
}

absl::Status CorrectionReplay::Replay(bool ranged, uint64_t before,
                                      std::vector<std::string>* warnings) {
  for (const Correction& c : corrections_) {
    if (c.index >= before) break;
    absl::Status s = ReplayOne(c);
    if (ranged && absl::IsFailedPrecondition(s) &&
        absl::StrContains(s.message(), " on the log")) {
      warnings->push_back(absl::StrCat(
          "index ", c.index, ": correction of an event outside the range"));
      continue;
    }
    if (!s.ok()) {
      return WithRule(absl::FailedPreconditionError(absl::StrCat(
                          "index ", c.index, ": correction: ", s.message())),
                      Rule::kCorrection);
    }
  }
  return absl::OkStatus();
}

std::optional<EventFacts> CorrectionReplay::Earlier(const Hash& id,
                                                    uint64_t before) const {
  auto it = targets_.find(id);
  if (it == targets_.end() || it->second.facts.event_type.empty() ||
      it->second.facts.index >= before)
    return std::nullopt;
  return it->second.facts;
}

absl::Status CorrectionReplay::ReplayOne(const Correction& c) {
  const v1::Event& e = c.event;
  CorrectionLookups l{
      [&](const Hash& id) -> absl::StatusOr<std::optional<EventFacts>> {
        return Earlier(id, c.index);
      },
      [&](const Hash& id) -> absl::StatusOr<bool> {
        return superseded_.count(id) > 0;
      },
      [&](const Hash& id) -> absl::StatusOr<bool> {
        return retracted_.count(id) > 0;
      }};
  if (auto s = CheckCorrections(e, c.admin, c.organisation, l); !s.ok())
    return s;
  if (!e.supersedes().empty())
    superseded_.insert(*HashFromBytes(e.supersedes(), "supersedes"));
  if (e.has_retraction())
    retracted_.insert(*HashFromBytes(e.retraction().retracts(), "retracts"));
  return absl::OkStatus();
}

}  // namespace ailedger
