#include "reports/art73_calendar.h"

#include <cstdio>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "nlohmann/json.hpp"

namespace ailedger::reports::art73 {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 86'400'000;
constexpr int64_t kHourMs = 3'600'000;
const absl::CivilDay kEpoch(1970, 1, 1);

int64_t FloorDiv(int64_t a, int64_t b) {
  return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0);
}

// UTC midnight of `d`, ms.
int64_t UtcMidnight(absl::CivilDay d) { return (d - kEpoch) * kDayMs; }

absl::CivilDay LastSunday(int year, int month) {
  absl::CivilDay d = absl::CivilDay(absl::CivilMonth(year, month) + 1) - 1;
  while (absl::GetWeekday(d) != absl::Weekday::sunday) --d;
  return d;
}

// Directive 2000/84/EC Art. 2-3: summer time runs from 01:00 UTC on the last
// Sunday of March to 01:00 UTC on the last Sunday of October, in every
// Member State at the same instant.
bool InEuSummerTime(int64_t utc_ms) {
  const int year = static_cast<int>(
      absl::CivilYear(kEpoch + FloorDiv(utc_ms, kDayMs)).year());
  const int64_t start = UtcMidnight(LastSunday(year, 3)) + kHourMs;
  const int64_t end = UtcMidnight(LastSunday(year, 10)) + kHourMs;
  return utc_ms >= start && utc_ms < end;
}

std::optional<absl::CivilDay> ParseDay(const std::string& s) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return std::nullopt;
  const absl::CivilDay day(y, m, d);
  if (day.year() != y || day.month() != m || day.day() != d)
    return std::nullopt;  // normalised: no such day
  return day;
}

std::optional<absl::CivilDay> ParseMonthDay(const std::string& s, int year) {
  return ParseDay(absl::StrCat(year, "-", s));
}

std::optional<absl::Weekday> ParseWeekday(const std::string& s) {
  static const std::pair<const char*, absl::Weekday> kNames[] = {
      {"Mon", absl::Weekday::monday},    {"Tue", absl::Weekday::tuesday},
      {"Wed", absl::Weekday::wednesday}, {"Thu", absl::Weekday::thursday},
      {"Fri", absl::Weekday::friday},    {"Sat", absl::Weekday::saturday},
      {"Sun", absl::Weekday::sunday}};
  for (const auto& [name, w] : kNames) {
    if (s == name) return w;
  }
  return std::nullopt;
}

std::string Text(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

// The days one rule gives in `year`; INVALID_ARGUMENT names the field.
absl::Status Expand(const json& rule, int year, const std::string& where,
                    std::vector<absl::CivilDay>* out) {
  auto bad = [&](const char* field) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ".", field, ": malformed"));
  };
  for (const char* bound : {"from", "until"}) {
    if (!rule.contains(bound)) continue;
    if (!rule[bound].is_number_integer()) return bad(bound);
    const int limit = rule[bound].get<int>();
    if (bound[0] == 'f' ? year < limit : year > limit) return absl::OkStatus();
  }
  if (rule.contains("date")) {
    auto d = ParseMonthDay(Text(rule, "date"), year);
    if (!d) return bad("date");
    out->push_back(*d);
  } else if (rule.contains("easter")) {
    if (!rule["easter"].is_number_integer()) return bad("easter");
    out->push_back(EasterSunday(year) + rule["easter"].get<int>());
  } else if (rule.contains("weekday")) {
    auto w = ParseWeekday(Text(rule, "weekday"));
    auto d = ParseMonthDay(Text(rule, "on_or_after"), year);
    if (!w) return bad("weekday");
    if (!d) return bad("on_or_after");
    while (absl::GetWeekday(*d) != *w) ++*d;
    out->push_back(*d);
  } else if (rule.contains("dates") && rule["dates"].is_array()) {
    for (const json& s : rule["dates"]) {
      auto d = s.is_string() ? ParseDay(s.get<std::string>()) : std::nullopt;
      if (!d) return bad("dates");
      if (d->year() == year) out->push_back(*d);
    }
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": no date, easter, weekday or dates"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::CivilDay EasterSunday(int y) {
  // clang-format off
  const int a = y % 19;                    // place in the Metonic cycle
  const int b = y / 100, c = y % 100;      // century, year in century
  const int d = b / 4, e = b % 4;          // leap centuries
  const int f = (b + 8) / 25;              // lunar correction (Jones)
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;   // epact: paschal full moon
  const int i = c / 4, k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7; // days to the next Sunday
  const int m = (a + 11 * h + 22 * l) / 451;      // the April 25/26 exceptions
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  // clang-format on
  return absl::CivilDay(y, month, day);
}

absl::StatusOr<HolidayCalendar> ParseHolidayCalendar(absl::string_view text,
                                                     const std::string& file) {
  const json j = json::parse(text.begin(), text.end(), nullptr,
                             /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": not a JSON object"));
  }
  HolidayCalendar c;
  c.file = file;
  c.member_state = Text(j, "member_state");
  c.version = Text(j, "version");
  c.law = Text(j, "law");
  c.scope = Text(j, "scope");
  if (c.member_state.size() != 2 || c.version.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ": member_state and version are required"));
  }
  const json years = j.value("years", json::object());
  if (!years.is_object() || !years.value("from", json()).is_number_integer() ||
      !years.value("to", json()).is_number_integer()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ".years: malformed"));
  }
  c.first_year = years["from"].get<int>();
  c.last_year = years["to"].get<int>();
  const json rules = j.value("holidays", json());
  if (!rules.is_array() || rules.empty() || c.last_year < c.first_year) {
    return absl::InvalidArgumentError(
        absl::StrCat(file, ".holidays: a non-empty list is required"));
  }
  for (size_t n = 0; n < rules.size(); ++n) {
    const std::string where = absl::StrCat(file, ".holidays[", n, "]");
    const std::string name = rules[n].is_object() ? Text(rules[n], "name") : "";
    if (name.empty())
      return absl::InvalidArgumentError(where + ".name: required");
    for (int y = c.first_year; y <= c.last_year; ++y) {
      std::vector<absl::CivilDay> days;
      if (auto s = Expand(rules[n], y, where, &days); !s.ok()) return s;
      for (absl::CivilDay d : days) {
        std::string& names = c.holidays[d];
        names = names.empty() ? name : absl::StrCat(names, "; ", name);
      }
    }
  }
  return c;
}

int OffsetMinutes(const LegalTime& lt, int64_t utc_ms) {
  return lt.standard_offset_minutes +
         (lt.summer_time && InEuSummerTime(utc_ms) ? 60 : 0);
}

absl::CivilDay DayOf(int64_t utc_ms, const LegalTime* lt) {
  const int64_t local =
      utc_ms + (lt ? OffsetMinutes(*lt, utc_ms) * int64_t{60'000} : 0);
  return kEpoch + FloorDiv(local, kDayMs);
}

int64_t StartOfDay(absl::CivilDay d, const LegalTime* lt) {
  const int64_t midnight = UtcMidnight(d);
  if (lt == nullptr) return midnight;
  // The EU changes the clocks at 01:00 UTC, never at a local midnight, so
  // the offset one standard offset before UTC midnight is the day's.
  const int64_t guess = midnight - lt->standard_offset_minutes * 60'000LL;
  return midnight - OffsetMinutes(*lt, guess) * 60'000LL;
}

std::string DayText(absl::CivilDay d) {
  static const char* kNames[] = {"Mon", "Tue", "Wed", "Thu",
                                 "Fri", "Sat", "Sun"};
  return absl::StrFormat("%s %04d-%02d-%02d",
                         kNames[static_cast<int>(absl::GetWeekday(d))],
                         d.year(), d.month(), d.day());
}

namespace {

// The period counted with `calendar` (null: weekends only).
PeriodEnd Count(int64_t event_ms, int days, const LegalTime* lt,
                const HolidayCalendar* calendar) {
  PeriodEnd p;
  p.event_day = DayOf(event_ms, lt);
  p.first_day = p.event_day + 1;  // Art. 3(1): the event's day not counted
  p.nominal_last_day = p.event_day + days;
  p.last_day = p.nominal_last_day;
  // Why `d` is not a working day (Art. 2(2)); "" when it is one.
  auto not_working = [&](absl::CivilDay d) -> std::string {
    const absl::Weekday w = absl::GetWeekday(d);
    if (w == absl::Weekday::saturday) return "a Saturday";
    if (w == absl::Weekday::sunday) return "a Sunday";
    if (calendar) {
      auto it = calendar->holidays.find(d);
      if (it != calendar->holidays.end())
        return absl::StrCat("a public holiday in ", calendar->member_state,
                            " (", it->second, ")");
    }
    return "";
  };
  // Art. 3(4).
  for (std::string why; !(why = not_working(p.last_day)).empty();) {
    p.moves.push_back(absl::StrCat(DayText(p.last_day), " is ", why,
                                   ": the next working day (Art. 3(4))"));
    ++p.last_day;
  }
  // Art. 3(5).
  if (days >= 2) {
    int working = 0;
    for (absl::CivilDay d = p.first_day; d <= p.last_day; ++d)
      working += not_working(d).empty() ? 1 : 0;
    while (working < 2) {
      do ++p.last_day;
      while (!not_working(p.last_day).empty());
      ++working;
      p.moves.push_back(absl::StrCat("at least two working days (Art. 3(5)): ",
                                     DayText(p.last_day)));
    }
  }
  p.end_ms = StartOfDay(p.last_day + 1, lt);
  return p;
}

}  // namespace

PeriodEnd EndOfPeriodInDays(int64_t event_ms, int days, const DayCount& count) {
  PeriodEnd p = Count(event_ms, days, count.legal_time, count.calendar);
  if (count.calendar == nullptr) return p;
  for (int y = static_cast<int>(p.first_day.year());
       y <= static_cast<int>(p.last_day.year()); ++y) {
    if (!count.calendar->Covers(y)) {
      // A holiday the calendar does not know could move the end later: count
      // with weekends only and say so, rather than mix years.
      p = Count(event_ms, days, count.legal_time, nullptr);
      p.uncovered_year = y;
      return p;
    }
  }
  p.holidays_applied = true;
  return p;
}

}  // namespace ailedger::reports::art73
