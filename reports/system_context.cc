// The context of the system factsheet (system_sections.h): which records are
// about the system, which later records correct each, and the small helpers
// the sections share.
#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "reports/system_sections.h"

namespace ailedger::reports {
namespace factsheet {

std::string IdOf(const Record& r) { return std::string(AsBytes(r.event_id)); }

bool NamesSubject(const v1::Event& e, const std::string& kind,
                  const std::string& id) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind && s.id() == id) return true;
  }
  return false;
}

std::string SubjectOf(const v1::Event& e, const std::string& kind) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind) return s.id();
  }
  return "";
}

std::string Day(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string EnumText(const std::string& name, const std::string& prefix) {
  if (absl::EndsWith(name, "UNSPECIFIED")) return "not stated";
  std::string s = absl::AsciiStrToLower(
      absl::StartsWith(name, prefix) ? name.substr(prefix.size()) : name);
  return absl::StrReplaceAll(s, {{"_", " "}});
}

std::string OrNot(const std::string& s) { return s.empty() ? "not stated" : s; }

std::string Status(const Context& c, const Record& r) {
  auto it = c.corrections.find(IdOf(r));
  if (it == c.corrections.end()) return "current";
  std::vector<std::string> parts;
  for (const Record* by : it->second) {
    parts.push_back(by->event.has_retraction()
                        ? absl::StrCat("RETRACTED by idx ", by->index, ": ",
                                       by->event.retraction().reason())
                        : absl::StrCat("SUPERSEDED by idx ", by->index, ": ",
                                       by->event.supersedes_reason()));
  }
  return absl::StrJoin(parts, "; ");
}

bool IsCurrent(const Context& c, const Record& r) {
  return !c.corrections.contains(IdOf(r));
}

nlohmann::json Ref(const Context& c, const Record& r) {
  return {{"index", r.index},
          {"event_id", ToHex(r.event_id)},
          {"event_type", r.event.event_type()},
          {"status", Status(c, r)}};
}

namespace {

// Whether `r` is tied to a record already found about the system (references
// point back in the log, so one pass in index order finds them).
bool Tied(const Context& c, const Record& r,
          const std::set<std::string>& incidents,
          const std::set<std::string>& audits) {
  const v1::Event& e = r.event;
  const auto in = [&](const std::string& id) {
    return c.about_ids.contains(id);
  };
  if (NamesSubject(e, "system", c.system)) return true;
  for (const auto& s : e.subjects()) {
    if (s.kind() == "incident" && incidents.contains(s.id())) return true;
    if (s.kind() == "audit" && audits.contains(s.id())) return true;
  }
  if (in(e.supersedes())) return true;
  if (e.has_retraction() && in(e.retraction().retracts())) return true;
  if (e.has_approval() && in(e.approval().approves())) return true;
  if (e.has_erasure() && in(e.erasure().event_id())) return true;
  if (e.has_regulator_notification() &&
      in(e.regulator_notification().incident_event_id()))
    return true;
  if (e.has_incident_communicated() &&
      in(e.incident_communicated().incident_event_id()))
    return true;
  if (e.has_audit_finding()) {
    for (const std::string& id : e.audit_finding().evidence_event_ids())
      if (in(id)) return true;
  }
  if (e.has_nonconformity_raised() &&
      in(e.nonconformity_raised().source_event_id()))
    return true;
  if (e.has_corrective_action_recorded() &&
      in(e.corrective_action_recorded().nonconformity_event_id()))
    return true;
  if (e.has_effectiveness_verified() &&
      in(e.effectiveness_verified().action_event_id()))
    return true;
  if (e.has_peer_review_published() &&
      in(e.peer_review_published().reviewed_event_id()))
    return true;
  if (e.has_gba_plus_recorded() &&
      in(e.gba_plus_recorded().assessment_event_id()))
    return true;
  return e.has_aia_published() && in(e.aia_published().assessment_event_id());
}

void Collect(const std::vector<Record>& records,
             const std::set<std::string>& audits, Context* c) {
  c->about.clear();
  c->about_ids.clear();
  std::set<std::string> incidents;
  for (const Record& r : records) {
    if (!Tied(*c, r, incidents, audits)) continue;
    c->about.push_back(&r);
    c->about_ids.insert(IdOf(r));
    if (r.event.has_incident_reported() &&
        NamesSubject(r.event, "system", c->system)) {
      const std::string id = SubjectOf(r.event, "incident");
      if (!id.empty()) incidents.insert(id);
    }
  }
}

}  // namespace

Context BuildContext(const std::vector<Record>& records,
                     const VerifyReport& verified, const std::string& system) {
  Context c;
  c.system = system;
  c.verified = &verified;
  for (const Record& r : records) {
    c.by_id[IdOf(r)] = &r;
    c.by_index[r.index] = &r;
    c.as_of_ms = std::max<int64_t>(c.as_of_ms, r.integrated_time_ms);
    if (!r.event.supersedes().empty())
      c.corrections[r.event.supersedes()].push_back(&r);
    if (r.event.has_retraction())
      c.corrections[r.event.retraction().retracts()].push_back(&r);
  }
  // Twice: an audit is about the system once one of its records is (a
  // finding resting on the system's records); then its start and closing
  // are too.
  Collect(records, {}, &c);
  std::set<std::string> audits;
  for (const Record* r : c.about) {
    const std::string id = SubjectOf(r->event, "audit");
    if (!id.empty()) audits.insert(id);
  }
  if (!audits.empty()) Collect(records, audits, &c);
  return c;
}

}  // namespace factsheet

}  // namespace ailedger::reports
