// Art73Clocks' view of the records: the index, an incident's notifications,
// its Member States, and day counting per Member State (art73_internal.h).
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "reports/art73_internal.h"

namespace ailedger::reports::art73 {

std::string SubjectOf(const v1::Event& e, const std::string& kind) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == kind) return s.id();
  }
  return "";
}

std::string IncidentId(const Record& report) {
  const std::string id = SubjectOf(report.event, "incident");
  return id.empty() ? "event " + ToHex(report.event_id).substr(0, 16) : id;
}

std::string UtcTime(int64_t ms) {
  return absl::FormatTime("%Y-%m-%d %H:%M UTC", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

std::string Duration(int64_t ms) {
  const int64_t minutes = (ms < 0 ? -ms : ms) / 60'000;
  std::vector<std::string> parts;
  if (minutes / 1440 > 0) parts.push_back(absl::StrCat(minutes / 1440, " d"));
  if (minutes / 60 % 24 > 0)
    parts.push_back(absl::StrCat(minutes / 60 % 24, " h"));
  if (minutes % 60 > 0 || parts.empty())
    parts.push_back(absl::StrCat(minutes % 60, " min"));
  return absl::StrCat(ms < 0 ? "-" : "", absl::StrJoin(parts, " "));
}

Index::Index(absl::Span<const Record* const> records) : records_(records) {
  for (const Record* r : records) {
    by_id_[std::string(AsBytes(r->event_id))] = r;
    if (r->event.has_retraction())
      withdrawn_.insert(r->event.retraction().retracts());
    if (!r->event.supersedes().empty())
      withdrawn_.insert(r->event.supersedes());
  }
}

bool Index::Withdrawn(const Record& r) const {
  return withdrawn_.count(std::string(AsBytes(r.event_id))) > 0;
}

std::vector<const Record*> Index::AboutIncident(const Record& report) const {
  std::vector<const Record*> out;
  const std::string id = SubjectOf(report.event, "incident");
  if (id.empty()) return out;
  for (const Record* r : records_) {
    if (r != &report && !Withdrawn(*r) && SubjectOf(r->event, "incident") == id)
      out.push_back(r);
  }
  return out;
}

const Record* Index::ById(const std::string& event_id) const {
  auto it = by_id_.find(event_id);
  return it == by_id_.end() ? nullptr : it->second;
}

Notifications::Notifications(const Index& ix, const Record& report) {
  const std::string id = IncidentId(report);
  for (const Record* r : ix.all()) {
    if (!r->event.has_regulator_notification() || ix.Withdrawn(*r)) continue;
    const auto& n = r->event.regulator_notification();
    if (n.regime() != v1::REGIME_EU_AI_ACT_ART73 &&
        n.regime() != v1::REGIME_UNSPECIFIED)
      continue;  // GDPR, NIS2, DORA: other clocks
    bool ours;
    if (!n.incident_event_id().empty()) {
      const Record* target = ix.ById(n.incident_event_id());
      ours = target != nullptr && target->event.has_incident_reported() &&
             IncidentId(*target) == id;
    } else {
      ours = SubjectOf(r->event, "incident") == id;
    }
    if (ours) by_state_[n.member_state()].push_back(r);
  }
}

namespace {

int64_t SentMs(const Record* r) {
  return r->event.regulator_notification().sent_at_ms();
}

// The earliest sent (log order on a tie) of `v` that `keep` accepts.
template <typename Keep>
const Record* Earliest(const std::vector<const Record*>& v, Keep keep) {
  const Record* best = nullptr;
  for (const Record* r : v) {
    if (keep(*r) && (best == nullptr || SentMs(r) < SentMs(best))) best = r;
  }
  return best;
}

}  // namespace

const Record* Notifications::First(const std::string& ms) const {
  auto it = by_state_.find(ms);
  if (it == by_state_.end()) return nullptr;
  return Earliest(it->second, [](const Record&) { return true; });
}

const Record* Notifications::Complete(const std::string& ms) const {
  auto it = by_state_.find(ms);
  if (it == by_state_.end()) return nullptr;
  return Earliest(it->second, [](const Record& r) {
    return r.event.regulator_notification().kind() ==
           v1::NOTIFICATION_KIND_COMPLETE;
  });
}

std::vector<std::string> Notifications::States() const {
  std::vector<std::string> out;
  for (const auto& [ms, v] : by_state_) out.push_back(ms);
  return out;
}

int64_t Notifications::FirstSentMs(int64_t otherwise) const {
  int64_t first = otherwise;
  bool any = false;
  for (const auto& [ms, v] : by_state_) {
    for (const Record* r : v) {
      first = any ? std::min(first, SentMs(r)) : SentMs(r);
      any = true;
    }
  }
  return first;
}

std::vector<std::string> MemberStates(const Record& report,
                                      const Notifications& sent) {
  std::vector<std::string> out;
  auto add = [&](const std::string& ms) {
    if (std::find(out.begin(), out.end(), ms) == out.end()) out.push_back(ms);
  };
  for (const std::string& ms : report.event.incident_reported().member_states())
    add(ms);
  for (const std::string& ms : sent.States()) {
    if (!ms.empty() || out.empty()) add(ms);
  }
  if (out.empty()) out.push_back("");
  return out;
}

DayCounter::DayCounter(const art73::ReferenceData& data, bool utc)
    : data_(data), utc_(utc) {}

DayCount DayCounter::For(const std::string& ms) const {
  DayCount c;
  if (!utc_) {
    auto lt = data_.legal_time.states.find(ms);
    if (lt != data_.legal_time.states.end()) c.legal_time = &lt->second;
  }
  auto cal = data_.calendars.find(ms);
  if (cal != data_.calendars.end()) c.calendar = &cal->second;
  return c;
}

std::string DayCounter::Describe(const std::string& ms,
                                 const PeriodEnd& p) const {
  const DayCount c = For(ms);
  std::string out;
  if (c.calendar != nullptr) {
    used_.insert(ms);
    if (p.holidays_applied) {
      out = absl::StrCat(ms, " public holidays (", c.calendar->file, " ",
                         c.calendar->version, "; ", c.calendar->scope, ")");
    } else {
      out = absl::StrCat("calendar days, holidays not applied (",
                         c.calendar->file, " covers ", c.calendar->first_year,
                         "-", c.calendar->last_year, ", not ", p.uncovered_year,
                         "); Saturdays and Sundays applied");
    }
  } else {
    out = absl::StrCat("calendar days, holidays not applied (",
                       ms.empty() ? "no Member State recorded"
                                  : absl::StrCat("no ", ms, " calendar"),
                       "); Saturdays and Sundays applied");
  }
  if (c.legal_time != nullptr) {
    absl::StrAppend(&out, "; ", ms, " legal time (", c.legal_time->zone, ")");
  } else {
    absl::StrAppend(&out, "; UTC day boundaries");
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> DayCounter::ReferenceData(
    const RegimeTable& regime) const {
  std::vector<std::pair<std::string, std::string>> out = {
      {absl::StrCat("eu-ai-act/", regime.file, " ", regime.version),
       regime.sha256}};
  if (!utc_) {
    out.push_back({absl::StrCat("eu-ai-act/", data_.legal_time.file, " ",
                                data_.legal_time.version),
                   data_.legal_time.sha256});
  }
  for (const std::string& ms : used_) {  // std::set: sorted
    const HolidayCalendar& c = data_.calendars.at(ms);
    out.push_back(
        {absl::StrCat("eu-ai-act/", c.file, " ", c.version), c.sha256});
  }
  return out;
}

}  // namespace ailedger::reports::art73
