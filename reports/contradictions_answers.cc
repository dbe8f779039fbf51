// A party's due-diligence answers against its own records (contradictions.h,
// "due-diligence answer"; domain review E24): "no serious incident(s)"
// against the serious incidents it knew of before answering, a declaration of
// conformity against its ConformityDeclared records.
#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "reports/contradictions_internal.h"

namespace ailedger::reports::contradictions {
namespace {

constexpr int64_t kYearMs = 365 * kDayMs;

struct Claims {
  std::string no_serious;  // the sentence claiming it, or ""
  int64_t window_ms = 0;   // "in the last N ...": the window before; 0: none
  int64_t since_ms = -1;   // "since YYYY": from its start; -1: none
  std::string conformity;  // the sentence claiming it, or ""
};

// "last 12 months", "past 2 years" -> the window; "since 2024" -> its start.
void ReadWindow(absl::string_view s, Claims* c) {
  const std::vector<absl::string_view> w =
      absl::StrSplit(s, absl::ByAnyChar(" ,()"), absl::SkipEmpty());
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    int n = 0;
    if ((w[i] == "last" || w[i] == "past") && i + 2 < w.size() &&
        absl::SimpleAtoi(w[i + 1], &n) && n > 0) {
      if (absl::StartsWith(w[i + 2], "month")) c->window_ms = n * 30 * kDayMs;
      if (absl::StartsWith(w[i + 2], "year")) c->window_ms = n * kYearMs;
    }
    if (w[i] == "since" && w[i + 1].size() == 4 &&
        absl::SimpleAtoi(w[i + 1], &n) && n >= 1970) {
      // Days from 1970 to 1 January of year n (proleptic Gregorian).
      int64_t days = 0;
      for (int y = 1970; y < n; ++y)
        days += (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
      c->since_ms = days * kDayMs;
    }
  }
}

bool Negated(absl::string_view sentence) {
  for (absl::string_view word :
       absl::StrSplit(sentence, absl::ByAnyChar(" ,()"), absl::SkipEmpty())) {
    for (const char* n : {"no", "not", "without", "pending", "planned", "yet",
                          "will", "never", "none", "expected"}) {
      if (word == n) return true;
    }
  }
  return false;
}

void ReadText(const std::string& text, Claims* c) {
  const std::string lower = absl::AsciiStrToLower(text);
  for (absl::string_view s : absl::StrSplit(lower, absl::ByAnyChar(".;\n"))) {
    if (c->no_serious.empty() &&
        (absl::StrContains(s, "no serious incident") ||
         absl::StrContains(s, "no serious ai incident") ||
         absl::StrContains(s, "zero serious incident"))) {
      c->no_serious = std::string(absl::StripAsciiWhitespace(s));
      ReadWindow(s, c);
    }
    if (c->conformity.empty() &&
        (absl::StrContains(s, "declaration of conformity") ||
         absl::StrContains(s, "conformity declared") ||
         absl::StrContains(s, "ce marked") ||
         absl::StrContains(s, "ce-marked")) &&
        !Negated(s))
      c->conformity = std::string(absl::StripAsciiWhitespace(s));
  }
}

Claims ReadClaims(const v1::DueDiligenceRecorded& d) {
  Claims c;
  for (const std::string* text :
       {&d.ethical_principles(), &d.bias_prevention(),
        &d.privacy_and_security(), &d.transparency(), &d.complaints_process()})
    ReadText(*text, &c);
  for (const v1::Answer& a : d.answers()) {
    const std::string q = absl::AsciiStrToLower(a.question_id());
    for (const std::string& raw : a.values()) {
      const std::string v = absl::AsciiStrToLower(raw);
      if (c.no_serious.empty() && absl::StrContains(q, "serious") &&
          absl::StrContains(q, "incident") &&
          (v == "none" || v == "no" || v == "0"))
        c.no_serious = absl::StrCat(a.question_id(), ": ", raw);
      if (c.conformity.empty() && absl::StrContains(q, "conformity") &&
          (v == "yes" || v == "true" || v == "declared"))
        c.conformity = absl::StrCat(a.question_id(), ": ", raw);
      ReadText(raw, &c);
    }
  }
  return c;
}

// Whether `e` is about one of `systems` (every system when empty).
bool InScope(const v1::Event& e, const std::vector<std::string>& systems) {
  if (systems.empty()) return true;
  const std::string s = SubjectOf(e, "system");
  for (const std::string& x : systems) {
    if (x == s) return true;
  }
  return false;
}

// The author's serious incidents known before `answer` (in the claim's
// window), as classified by the updates before it.
std::vector<const Record*> SeriousBefore(
    const Log& log, const Record& answer, const Claims& c,
    const std::vector<std::string>& systems) {
  const std::string& by = answer.event.organisation();
  const int64_t t = answer.event.occurred_at_ms();
  int64_t from = c.window_ms > 0 ? t - c.window_ms : INT64_MIN;
  if (c.since_ms >= 0) from = std::max(from, c.since_ms);
  std::vector<const Record*> out;
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    const v1::Event& e = r.event;
    if (!e.has_incident_reported() || e.organisation() != by ||
        !log.IsCurrent(r) || !InScope(e, systems))
      continue;
    const auto& x = e.incident_reported();
    const int64_t aware =
        x.aware_at_ms() != 0 ? x.aware_at_ms() : e.occurred_at_ms();
    if (aware >= t || aware < from) continue;
    bool not_serious = x.not_serious();
    std::string category = x.art3_49_category();
    v1::Severity severity = x.severity();
    const std::string id = SubjectOf(e, "incident");
    for (const Record* p : log.governance()) {
      const Record& u = *p;
      if (!u.event.has_incident_updated() || id.empty() ||
          u.event.organisation() != by || !log.IsCurrent(u) ||
          SubjectOf(u.event, "incident") != id || u.event.occurred_at_ms() >= t)
        continue;
      const auto& up = u.event.incident_updated();
      if (up.has_not_serious()) not_serious = up.not_serious();
      if (!up.art3_49_category().empty()) category = up.art3_49_category();
      if (up.severity() != v1::SEVERITY_UNSPECIFIED) severity = up.severity();
    }
    if (!not_serious &&
        (!category.empty() || severity == v1::SEVERITY_SERIOUS ||
         severity == v1::SEVERITY_CRITICAL))
      out.push_back(&r);
  }
  return out;
}

Contradiction Row(Verdict verdict, const std::string& party,
                  std::string difference,
                  const std::vector<const Record*>& evidence = {}) {
  Contradiction c;
  c.verdict = verdict;
  c.check = kCheckDueDiligence;
  c.party = party;
  c.difference = std::move(difference);
  for (const Record* r : evidence) c.evidence.push_back(Cite(*r));
  return c;
}

void CheckAnswer(const Log& log, const Record& answer, Sink* sink) {
  const v1::Event& e = answer.event;
  const std::string& by = e.organisation();
  const int64_t t = e.occurred_at_ms();
  const Claims c = ReadClaims(e.due_diligence_recorded());
  std::vector<std::string> systems;
  for (const auto& s : e.subjects()) {
    if (s.kind() == "system") systems.push_back(s.id());
  }
  sink->Examined(kCheckDueDiligence, answer, by);
  if (c.no_serious.empty() && c.conformity.empty()) {
    sink->Add(answer,
              Row(Verdict::kNotChecked, by,
                  "no claim of a kind this check reads (no serious incidents; "
                  "a declaration of conformity) is in the answers"));
    return;
  }
  if (!c.no_serious.empty()) {
    const std::vector<const Record*> serious =
        SeriousBefore(log, answer, c, systems);
    if (!serious.empty()) {
      std::vector<std::string> ids;
      for (const Record* r : serious)
        ids.push_back(
            absl::StrCat(SubjectOf(r->event, "incident"), " (aware ",
                         Day(r->event.incident_reported().aware_at_ms()), ")"));
      std::vector<const Record*> cited(
          serious.begin(),
          serious.begin() + std::min<size_t>(5, serious.size()));
      sink->Add(answer, Row(Verdict::kContradicted, by,
                            absl::StrCat(by, " answered '", c.no_serious,
                                         "' on ", Day(t),
                                         "; its own records "
                                         "hold serious incidents it knew of "
                                         "before: ",
                                         absl::StrJoin(ids, ", ")),
                            cited));
    }
  }
  if (!c.conformity.empty()) {
    const Record* declared = nullptr;
    for (const Record* p : log.governance()) {
      const Record& r = *p;
      if (r.event.has_conformity_declared() && r.event.organisation() == by &&
          log.IsCurrent(r) && r.event.occurred_at_ms() <= t &&
          InScope(r.event, systems))
        declared = &r;
    }
    if (declared == nullptr) {
      if (!sink->options().complete_range) {
        sink->Add(answer,
                  Row(Verdict::kNotChecked, by,
                      absl::StrCat("'", c.conformity,
                                   "': no ConformityDeclared in the records, "
                                   "which do not start at index 0")));
      } else {
        sink->Add(
            answer,
            Row(Verdict::kContradicted, by,
                absl::StrCat(by, " answered '", c.conformity, "' on ", Day(t),
                             "; its own records hold no "
                             "ConformityDeclared (Art. 47) before it",
                             systems.empty()
                                 ? ""
                                 : absl::StrCat(" for ", absl::StrJoin(
                                                             systems, ", ")))));
      }
    }
  }
}

}  // namespace

void CheckDueDiligence(const Log& log, Sink* sink) {
  for (const Record* p : log.governance()) {
    const Record& r = *p;
    if (r.event.has_due_diligence_recorded() && log.IsCurrent(r) &&
        r.event.due_diligence_recorded().kind() ==
            v1::DUE_DILIGENCE_KIND_ANSWERS)
      CheckAnswer(log, r, sink);
  }
}

}  // namespace ailedger::reports::contradictions
