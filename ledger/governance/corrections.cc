#include "ledger/governance/corrections.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

absl::StatusOr<EventFacts> Target(const std::string& id_bytes,
                                  absl::string_view field,
                                  const CorrectionLookups& l) {
  auto id = HashFromBytes(id_bytes, field);
  if (!id.ok()) return id.status();
  auto facts = l.event(*id);
  if (!facts.ok()) return facts.status();
  if (!facts->has_value()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": no event ", ToHex(*id), " on the log"));
  }
  return **facts;
}

absl::Status SameOrganisation(const std::string& signer_org,
                              const EventFacts& t, bool admin,
                              absl::string_view field) {
  if (admin || signer_org == t.organisation) return absl::OkStatus();
  return absl::PermissionDeniedError(
      absl::StrCat(field, ": only '", t.organisation,
                   "' (or an admin) may change its event ", t.index));
}

absl::Status CheckSupersedes(const v1::Event& e, bool admin,
                             const std::string& org,
                             const CorrectionLookups& l) {
  if (e.supersedes_reason().empty()) {
    return absl::InvalidArgumentError(
        "supersedes_reason: required with supersedes");
  }
  auto t = Target(e.supersedes(), "supersedes", l);
  if (!t.ok()) return t.status();
  const EventFacts mine = FactsOf(0, e);
  if (mine.event_type != t->event_type) {
    return absl::FailedPreconditionError(
        absl::StrCat("supersedes: a correction of a ", t->event_type,
                     " must be a ", t->event_type));
  }
  if (mine.subjects != t->subjects) {
    return absl::FailedPreconditionError(
        "supersedes: a correction names the same subjects as the event it "
        "corrects");
  }
  if (auto s = SameOrganisation(org, *t, admin, "supersedes"); !s.ok())
    return s;
  auto twice = l.superseded(*HashFromBytes(e.supersedes(), "supersedes"));
  if (!twice.ok()) return twice.status();
  if (*twice) {
    return absl::FailedPreconditionError(absl::StrCat(
        "supersedes: event ", t->index, " has already been superseded"));
  }
  return absl::OkStatus();
}

absl::Status CheckRetraction(const v1::Event& e, bool admin,
                             const std::string& org,
                             const CorrectionLookups& l) {
  if (!e.has_retraction() || e.retraction().reason().empty()) {
    return absl::InvalidArgumentError(
        "retraction: the retracted event and a reason are required");
  }
  auto t = Target(e.retraction().retracts(), "retraction.retracts", l);
  if (!t.ok()) return t.status();
  if (auto s = SameOrganisation(org, *t, admin, "retraction.retracts"); !s.ok())
    return s;
  auto twice =
      l.retracted(*HashFromBytes(e.retraction().retracts(), "retracts"));
  if (!twice.ok()) return twice.status();
  if (*twice) {
    return absl::FailedPreconditionError(
        absl::StrCat("retraction.retracts: event ", t->index,
                     " has already been retracted"));
  }
  return absl::OkStatus();
}

}  // namespace

EventFacts FactsOf(uint64_t index, const v1::Event& e) {
  EventFacts f{index, e.event_type(), e.organisation(), {}};
  for (const auto& s : e.subjects()) f.subjects.emplace_back(s.kind(), s.id());
  std::sort(f.subjects.begin(), f.subjects.end());
  return f;
}

absl::Status CheckCorrections(const v1::Event& e, bool signer_is_admin,
                              const std::string& signer_organisation,
                              const CorrectionLookups& lookups) {
  if (e.supersedes().empty() && !e.supersedes_reason().empty()) {
    return absl::InvalidArgumentError(
        "supersedes_reason: given without supersedes");
  }
  if (!e.supersedes().empty()) {
    if (auto s =
            CheckSupersedes(e, signer_is_admin, signer_organisation, lookups);
        !s.ok())
      return s;
  }
  if (e.event_type() == "Retraction")
    return CheckRetraction(e, signer_is_admin, signer_organisation, lookups);
  return absl::OkStatus();
}

}  // namespace ailedger
