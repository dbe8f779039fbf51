// Communications, notifications and agreements between two parties
// (contradictions.h, "incident communication", "regulator notification",
// "agreement"). The same communication is known by its content digest: two
// records of the same digest by the sender and its recipient, or by two
// notifiers, speak of one message and must agree on its date.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/governance/approvals.h"
#include "reports/contradictions_internal.h"

namespace ailedger::reports::contradictions {
namespace {

Contradiction Row(const char* check, Verdict verdict, std::string system,
                  std::string party, std::string difference,
                  const std::vector<const Record*>& evidence = {}) {
  Contradiction c;
  c.verdict = verdict;
  c.check = check;
  c.system = std::move(system);
  c.party = std::move(party);
  c.difference = std::move(difference);
  for (const Record* r : evidence) c.evidence.push_back(Cite(*r));
  return c;
}

// A recipient's own record of a communication it received: an
// IncidentCommunicated it signed naming itself the recipient.
bool IsReceipt(const v1::Event& e) {
  return e.has_incident_communicated() &&
         e.incident_communicated().recipient() == e.organisation();
}

// The incident a communication is about: its "incident" subject, else the
// incident record's.
std::string IncidentOf(const Log& log, const v1::Event& e,
                       const std::string& incident_event_id) {
  std::string id = SubjectOf(e, "incident");
  if (id.empty()) {
    if (const Record* i = log.ById(incident_event_id))
      id = SubjectOf(i->event, "incident");
  }
  return id;
}

// A communication `sent` by its author to another organisation, against the
// recipient's records: its receipt of the same content, its receipts of the
// same incident, its own report of the incident.
void CheckSent(const Log& log, const Record& sent, Sink* sink) {
  const v1::Event& e = sent.event;
  const auto& ic = e.incident_communicated();
  const std::string& to = ic.recipient();
  const std::string incident = IncidentOf(log, e, ic.incident_event_id());
  const std::string system = SubjectOf(e, "system");
  sink->Examined(kCheckCommunication, sent, to);
  const std::string said =
      absl::StrCat(e.organisation(), " says it told ", to, " of incident ",
                   incident.empty() ? "(not named)" : incident, " on ",
                   Day(ic.sent_at_ms()));
  const Record* receipt = nullptr;
  std::vector<const Record*> same_incident;
  const Record* reported = nullptr;
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& o = r.event;
    if (o.organisation() != to || !log.IsCurrent(r)) continue;
    if (IsReceipt(o)) {
      const auto& x = o.incident_communicated();
      if (!ic.content_sha256().empty() &&
          x.content_sha256() == ic.content_sha256() && receipt == nullptr)
        receipt = &r;
      else if (x.incident_event_id() == ic.incident_event_id())
        same_incident.push_back(&r);
    }
    if (o.has_incident_reported() && !incident.empty() && reported == nullptr &&
        SubjectOf(o, "incident") == incident &&
        SubjectOf(o, "system") == system)
      reported = &r;
  }
  if (receipt != nullptr) {
    const auto& x = receipt->event.incident_communicated();
    std::vector<std::string> differs;
    if (std::llabs(x.sent_at_ms() - ic.sent_at_ms()) > kDayMs)
      differs.push_back(absl::StrCat(
          "its record of the same message (same content digest) dates it ",
          Day(x.sent_at_ms()), ", ", Apart(x.sent_at_ms(), ic.sent_at_ms()),
          " apart"));
    if (x.incident_event_id() != ic.incident_event_id())
      differs.push_back(
          "its record of the same message names another incident");
    if (!differs.empty())
      sink->Add(
          sent,
          Row(kCheckCommunication, Verdict::kContradicted, system, to,
              absl::StrCat(said, "; ", to, ": ", absl::StrJoin(differs, "; ")),
              {receipt}));
  } else if (!same_incident.empty()) {
    sink->Add(sent, Row(kCheckCommunication, Verdict::kContradicted, system, to,
                        absl::StrCat(said, "; ", to, " records ",
                                     same_incident.size(),
                                     " message(s) of this incident received, "
                                     "none with this content: its records do "
                                     "not have it"),
                        same_incident));
  }
  if (reported != nullptr) {
    const int64_t aware = reported->event.incident_reported().aware_at_ms();
    if (aware - ic.sent_at_ms() > kDayMs)
      sink->Add(sent,
                Row(kCheckCommunication, Verdict::kContradicted, system, to,
                    absl::StrCat(said, "; ", to, "'s own report of ", incident,
                                 " says it became aware on ", Day(aware), ", ",
                                 Apart(aware, ic.sent_at_ms()), " later"),
                    {reported}));
  }
  if (receipt == nullptr && same_incident.empty() && reported == nullptr)
    sink->Add(sent,
              Row(kCheckCommunication, Verdict::kNotChecked, system, to,
                  log.Records(to)
                      ? absl::StrCat(said, "; ", to,
                                     " records neither a receipt of it nor its "
                                     "own report of the incident on this log")
                      : absl::StrCat(said, "; ", to,
                                     " records nothing on this log")));
}

// A receipt whose sender (the incident's author) has records of telling the
// recipient of the incident, none of this content.
void CheckReceipt(const Log& log, const Record& receipt, Sink* sink) {
  const v1::Event& e = receipt.event;
  const auto& x = e.incident_communicated();
  const Record* incident = log.ById(x.incident_event_id());
  if (incident == nullptr || incident->event.organisation() == e.organisation())
    return;
  const std::string& from = incident->event.organisation();
  std::vector<const Record*> sends;
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& o = r.event;
    if (o.organisation() != from || !o.has_incident_communicated() ||
        !log.IsCurrent(r) ||
        o.incident_communicated().recipient() != e.organisation() ||
        o.incident_communicated().incident_event_id() != x.incident_event_id())
      continue;
    if (!x.content_sha256().empty() &&
        o.incident_communicated().content_sha256() == x.content_sha256())
      return;  // the same message: CheckSent compares them
    sends.push_back(&r);
  }
  sink->Examined(kCheckCommunication, receipt, from);
  const std::string said = absl::StrCat(
      e.organisation(), " says it received a message of incident ",
      IncidentOf(log, e, x.incident_event_id()), " on ", Day(x.sent_at_ms()));
  if (sends.empty()) {
    sink->Add(receipt, Row(kCheckCommunication, Verdict::kNotChecked,
                           SubjectOf(e, "system"), from,
                           absl::StrCat(said, "; ", from,
                                        " records no message of the incident "
                                        "to ",
                                        e.organisation(), " on this log")));
    return;
  }
  sink->Add(
      receipt,
      Row(kCheckCommunication, Verdict::kContradicted, SubjectOf(e, "system"),
          from,
          absl::StrCat(said, "; ", from, " records ", sends.size(),
                       " message(s) of the incident to ", e.organisation(),
                       ", none with this content: its records do not "
                       "have it"),
          sends));
}

}  // namespace

void CheckCommunications(const Log& log, Sink* sink) {
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& e = r.event;
    if (!e.has_incident_communicated() || !log.IsCurrent(r)) continue;
    const std::string& to = e.incident_communicated().recipient();
    if (IsReceipt(e)) {
      CheckReceipt(log, r, sink);
    } else if (!to.empty()) {
      CheckSent(log, r, sink);
    }
  }
}

// Two parties' records of the same notification (content digest) must agree.
void CheckNotifications(const Log& log, Sink* sink) {
  std::map<std::string, std::vector<const Record*>> by_content;
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    if (r.event.has_regulator_notification() && log.IsCurrent(r) &&
        !r.event.regulator_notification().content_sha256().empty())
      by_content[r.event.regulator_notification().content_sha256()].push_back(
          &r);
  }
  for (const auto& [content, list] : by_content) {
    for (size_t j = 1; j < list.size(); ++j) {
      const Record& later = *list[j];
      for (size_t i = 0; i < j; ++i) {
        const Record& first = *list[i];
        if (first.event.organisation() == later.event.organisation()) continue;
        const auto& a = first.event.regulator_notification();
        const auto& b = later.event.regulator_notification();
        sink->Examined(kCheckNotification, later, first.event.organisation());
        std::vector<std::string> differs;
        if (std::llabs(a.sent_at_ms() - b.sent_at_ms()) > kDayMs)
          differs.push_back(absl::StrCat(
              "sent ", Day(b.sent_at_ms()), " against ", Day(a.sent_at_ms()),
              " (", Apart(a.sent_at_ms(), b.sent_at_ms()), " apart)"));
        if (a.kind() != b.kind())
          differs.push_back(absl::StrCat(v1::NotificationKind_Name(b.kind()),
                                         " against ",
                                         v1::NotificationKind_Name(a.kind())));
        if (a.authority() != b.authority() ||
            a.member_state() != b.member_state())
          differs.push_back(absl::StrCat(
              "to ", b.authority(), " (", b.member_state(), ") against ",
              a.authority(), " (", a.member_state(), ")"));
        if (a.incident_event_id() != b.incident_event_id())
          differs.push_back("about another incident");
        if (differs.empty()) continue;
        sink->Add(later, Row(kCheckNotification, Verdict::kContradicted,
                             SubjectOf(later.event, "system"),
                             first.event.organisation(),
                             absl::StrCat(later.event.organisation(), " and ",
                                          first.event.organisation(),
                                          " record the same notification (same "
                                          "content digest) differently: ",
                                          absl::StrJoin(differs, "; ")),
                             {&first}));
      }
    }
  }
}

// An agreement binds its author and each party it names; a party whose
// latest decision on it is a rejection says it never agreed.
void CheckAgreements(const Log& log, Sink* sink) {
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& e = r.event;
    if (!e.has_agreement_recorded() || !log.IsCurrent(r)) continue;
    for (const std::string& party : PartiesOf(e)) {
      if (party == e.organisation()) continue;
      sink->Examined(kCheckAgreement, r, party);
      const Record* d = log.Decision(r, party, INT64_MAX);
      if (d == nullptr || d->event.approval().decision() != v1::DECISION_REJECT)
        continue;
      sink->Add(
          r, Row(kCheckAgreement, Verdict::kContradicted, "", party,
                 absl::StrCat(
                     e.organisation(), " recorded an agreement binding ", party,
                     "; ", party, " REJECTED it on ",
                     Day(d->event.occurred_at_ms()),
                     d->event.approval().authority().empty()
                         ? ""
                         : absl::StrCat(" (", d->event.approval().authority(),
                                        ")"),
                     " and never approved it after"),
                 {d}));
    }
  }
}

}  // namespace ailedger::reports::contradictions
