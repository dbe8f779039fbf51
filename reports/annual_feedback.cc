// The annual report's complaints and feedback (issue 13, annual impact
// report; ISO/IEC 42001 A.3.3 internal concerns and A.8.3 external reports):
// StakeholderFeedbackReceived about the organisation's systems or recorded by
// it in the year, counted by category, channel and origin as written, with
// the time from receipt (occurred_at) to the recorded response
// (responded_at_ms). Retracted and superseded ones are listed with the
// reason and not counted as received.
#include <algorithm>
#include <map>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reports/annual_sections.h"
#include "reports/system_sections.h"

namespace ailedger::reports::annual {
namespace {

struct Group {
  size_t received = 0, withdrawn = 0;
  std::vector<int64_t> response_ms;  // of the received that were answered
};

std::string DaysText(int64_t ms) {
  return absl::StrFormat("%.1f d", static_cast<double>(ms) / kDayMs);
}

std::string Origin(v1::FeedbackOrigin o) {
  return factsheet::EnumText(v1::FeedbackOrigin_Name(o), "FEEDBACK_ORIGIN_");
}

int64_t ResponseMs(const v1::Event& e) {
  const auto& f = e.stakeholder_feedback_received();
  return f.responded_at_ms() > 0 ? f.responded_at_ms() - e.occurred_at_ms()
                                 : -1;
}

}  // namespace

Section Feedback(const Scope& scope) {
  Section s{
      "Complaints and feedback",
      {"Feedback about the organisation's systems, or recorded by it, "
       "received in the year (ISO/IEC 42001 A.3.3 internal concerns, "
       "A.8.3 external reports), counted by category, channel and "
       "origin as written (category is free text). The time to a "
       "response runs from receipt to the recorded response; "
       "retracted and superseded records are listed with their reason "
       "and not counted."},
      {{{"category", "channel", "origin", "received", "withdrawn", "answered",
         "median time to response", "longest", "no response recorded"},
        {}},
       {{"received", "system", "category", "channel", "origin", "response",
         "status", "record"},
        {}}}};
  std::map<std::tuple<std::string, std::string, std::string>, Group> groups;
  std::vector<const Record*> listed;
  for (const Record* r : scope.year()) {
    if (!r->event.has_stakeholder_feedback_received()) continue;
    const auto& f = r->event.stakeholder_feedback_received();
    Group& g = groups[{f.category(), f.channel(), Origin(f.origin())}];
    if (!scope.IsCurrent(*r)) {
      ++g.withdrawn;
    } else {
      ++g.received;
      if (ResponseMs(r->event) >= 0)
        g.response_ms.push_back(ResponseMs(r->event));
    }
    listed.push_back(r);
  }
  size_t received = 0, withdrawn = 0;
  for (auto& [key, g] : groups) {
    std::sort(g.response_ms.begin(), g.response_ms.end());
    const size_t n = g.response_ms.size();
    received += g.received;
    withdrawn += g.withdrawn;
    s.tables[0].rows.push_back(
        {std::get<0>(key), std::get<1>(key), std::get<2>(key),
         absl::StrCat(g.received), absl::StrCat(g.withdrawn), absl::StrCat(n),
         n == 0 ? "undefined (none answered)"
                : DaysText(n % 2 ? g.response_ms[n / 2]
                                 : (g.response_ms[n / 2 - 1] +
                                    g.response_ms[n / 2]) /
                                       2),
         n == 0 ? "" : DaysText(g.response_ms.back()),
         absl::StrCat(g.received - n)});
  }
  // Complaints first, then the rest, each in log order.
  std::stable_partition(listed.begin(), listed.end(), [](const Record* r) {
    return r->event.stakeholder_feedback_received().category() == "complaint";
  });
  for (const Record* r : listed) {
    const auto& f = r->event.stakeholder_feedback_received();
    const int64_t ms = ResponseMs(r->event);
    s.tables[1].rows.push_back(
        {Day(r->event.occurred_at_ms()),
         factsheet::OrNot(SubjectOf(r->event, "system")), f.category(),
         f.channel(), Origin(f.origin()),
         ms < 0 ? "no response recorded"
                : absl::StrCat(DaysText(ms), " after receipt"),
         scope.State(*r), Cite(*r)});
  }
  Cap(&s, 1, "feedback records");
  if (listed.empty()) {
    s.tables.clear();
    s.paragraphs.push_back(
        "No complaint or other feedback was recorded for the year "
        "(StakeholderFeedbackReceived): no record.");
  } else {
    s.paragraphs.push_back(absl::StrCat(received, " received, ", withdrawn,
                                        " withdrawn (retracted or "
                                        "superseded)."));
  }
  return s;
}

}  // namespace ailedger::reports::annual
