// References to entries of another log (Event.external_refs; contradictions.h,
// "external reference"): each names the other log's origin, an index and the
// entry's RFC 9162 leaf hash (no event id: the leaf hash covers the entry's
// event bytes, so it names one event). With the other log's verified records
// the entry is looked up by index and must have that leaf hash; what the two
// records say is then compared: a release's version, its rejection there and
// its date against the go-live; a communication's date. Without them, each
// reference is "not checked".
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "reports/contradictions_internal.h"

namespace ailedger::reports::contradictions {
namespace {

std::string ShortHex(absl::string_view bytes) {
  return ToHex(bytes).substr(0, 16);
}

// The version a record says it uses, or "".
std::string VersionOf(const v1::Event& e) {
  if (e.has_deployment_recorded()) return e.deployment_recorded().version();
  if (e.has_rolled_back()) return e.rolled_back().to_version();
  if (e.has_fairness_snapshot()) return e.fairness_snapshot().model_version();
  if (e.has_group_metric_snapshot())
    return e.group_metric_snapshot().model_version();
  if (e.has_human_override_logged())
    return e.human_override_logged().model_version();
  if (e.has_explanation_method_recorded())
    return e.explanation_method_recorded().model_version();
  return "";
}

// When a record says it started to use what it names.
int64_t UsedFrom(const v1::Event& e) {
  if (e.has_deployment_recorded() &&
      e.deployment_recorded().effective_at_ms() != 0)
    return e.deployment_recorded().effective_at_ms();
  return e.occurred_at_ms();
}

// What the referring record and the other log's entry disagree on, or "".
std::string Compare(const Record& ours, const Record& theirs,
                    const Log& other) {
  const v1::Event& a = ours.event;
  const v1::Event& b = theirs.event;
  if (const Record* by = other.RetractedBy(theirs))
    return absl::StrCat("the other log's entry is RETRACTED there (entry ",
                        by->index, ": ", by->event.retraction().reason(), ")");
  const std::string version = VersionOf(a);
  if (!version.empty() && b.has_model_version_released()) {
    const std::string& released = b.model_version_released().version();
    if (released != version)
      return absl::StrCat(a.organisation(), " names version ", version,
                          "; the entry is ", b.organisation(),
                          "'s release of version ", released);
    const int64_t from = UsedFrom(a);
    if (b.occurred_at_ms() > from)
      return absl::StrCat(a.organisation(), " uses version ", version, " from ",
                          Day(from), "; ", b.organisation(), " released it on ",
                          Day(b.occurred_at_ms()), ", ",
                          Apart(b.occurred_at_ms(), from), " later");
    const Record* d = other.Decision(theirs, b.organisation(), from);
    if (d != nullptr && d->event.approval().decision() == v1::DECISION_REJECT)
      return absl::StrCat(b.organisation(), " REJECTED that release on ",
                          Day(d->event.occurred_at_ms()), " (entry ", d->index,
                          "), before ", a.organisation(), " used it on ",
                          Day(from));
  }
  if (a.has_incident_communicated() && b.has_incident_communicated()) {
    const auto& x = a.incident_communicated();
    const auto& y = b.incident_communicated();
    if (std::llabs(x.sent_at_ms() - y.sent_at_ms()) > kDayMs)
      return absl::StrCat("the message is dated ", Day(x.sent_at_ms()),
                          " here and ", Day(y.sent_at_ms()), " there (",
                          Apart(x.sent_at_ms(), y.sent_at_ms()), " apart)");
    if (x.content_sha256() != y.content_sha256())
      return "the two records of the message have different content digests";
  }
  return "";
}

}  // namespace

void CheckExternalRefs(const Log& log, Sink* sink) {
  const ContradictionOptions& o = sink->options();
  std::unique_ptr<Log> other;
  uint64_t first = 0, last = 0;
  if (o.other_log != nullptr) {
    other = std::make_unique<Log>(*o.other_log);
    first = o.other_log->empty() ? 0 : UINT64_MAX;
    for (const Record& r : *o.other_log) {
      first = std::min(first, r.index);
      last = std::max(last, r.index);
    }
  }
  for (const Record& r : log.records()) {
    if (r.event.external_refs().empty() || !log.IsCurrent(r)) continue;
    for (const v1::ExternalEntryRef& ref : r.event.external_refs()) {
      Contradiction c;
      c.check = kCheckExternal;
      c.system = SubjectOf(r.event, "system");
      const std::string names =
          absl::StrCat("refers to entry ", ref.index(), " of ", ref.origin(),
                       " (leaf hash ", ShortHex(ref.leaf_hash()), ")");
      const Record* theirs = other != nullptr && ref.origin() == o.other_origin
                                 ? other->ByIndex(ref.index())
                                 : nullptr;
      if (theirs != nullptr) c.party = theirs->event.organisation();
      sink->Examined(kCheckExternal, r, c.party);
      c.verdict = Verdict::kNotChecked;
      if (other == nullptr) {
        c.difference = absl::StrCat(names,
                                    ": not checked: the other log was "
                                    "not given");
      } else if (ref.origin() != o.other_origin) {
        c.difference = absl::StrCat(names,
                                    ": not checked: the other log given "
                                    "is ",
                                    o.other_origin);
      } else if (theirs == nullptr) {
        c.difference = absl::StrCat(
            names, ": not checked: the other log's records as given ",
            o.other_log->empty()
                ? "are empty"
                : absl::StrCat("hold indices ", first, " to ", last,
                               ref.index() > last
                                   ? " (the entry may be later: give a newer "
                                     "bundle)"
                                   : ", not this one"));
      } else {
        c.evidence.push_back(CiteOther(*theirs, o.other_origin));
        const std::string leaf(AsBytes(theirs->leaf_hash));
        if (ref.leaf_hash() != leaf) {
          c.verdict = Verdict::kContradicted;
          c.difference =
              absl::StrCat(names, "; that entry's leaf hash is ",
                           ShortHex(leaf), ": the reference does not name it");
        } else if (std::string why = Compare(r, *theirs, *other);
                   !why.empty()) {
          c.verdict = Verdict::kContradicted;
          c.difference = absl::StrCat(names, "; ", why);
        } else {
          c.verdict = Verdict::kAgrees;
          c.difference = absl::StrCat(names,
                                      ": found there with that leaf "
                                      "hash, a ",
                                      theirs->event.event_type(), " by ",
                                      theirs->event.organisation(),
                                      "; nothing compared differs");
        }
      }
      sink->Add(r, std::move(c));
    }
  }
}

}  // namespace ailedger::reports::contradictions
