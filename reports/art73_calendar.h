// Counting a period in days as Regulation (EEC, Euratom) No 1182/71
// (OJ L 124, 8.6.1971, p. 1) does, in a Member State's legal time and with
// its public holidays: what the EU AI Act Art. 73 deadlines ("not later than
// 15 days after ... becomes aware") are counted with. Pure: the calendars are
// data (data/eu-ai-act/, embedded by art73_data.h); nothing reads the clock,
// the host's time zone or a tz database.
#ifndef AILEDGER_REPORTS_ART73_CALENDAR_H_
#define AILEDGER_REPORTS_ART73_CALENDAR_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"

namespace ailedger::reports::art73 {

// Easter Sunday of a Gregorian year, by the anonymous Gregorian computus
// (Meeus, Astronomical Algorithms, 2nd ed., ch. 8; Jones 1876, Butcher 1876):
// exact for every year of the Gregorian calendar.
absl::CivilDay EasterSunday(int year);

// The national public holidays of one Member State over the years it covers
// (data/eu-ai-act/holidays/CC.json, rules expanded).
struct HolidayCalendar {
  std::string member_state;  // ISO 3166-1 alpha-2
  std::string version;
  std::string law;     // the national law it was written from
  std::string scope;   // what it leaves out (regional holidays, ...)
  std::string file;    // "holidays/DE.json"
  std::string sha256;  // hex, of the file's bytes
  int first_year = 0, last_year = -1;
  std::map<absl::CivilDay, std::string> holidays;  // day -> name(s)

  bool Covers(int year) const {
    return year >= first_year && year <= last_year;
  }
};

// INVALID_ARGUMENT naming the file and the field for a malformed calendar.
// `sha256` is left empty (the caller names the bytes).
absl::StatusOr<HolidayCalendar> ParseHolidayCalendar(absl::string_view json,
                                                     const std::string& file);

// A Member State's legal time: a standard offset, and summer time as
// Directive 2000/84/EC sets it for the whole Union (Art. 2 and 3: from 01:00
// UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
// October).
struct LegalTime {
  std::string zone;  // "CET", for the reader
  int standard_offset_minutes = 0;
  bool summer_time = false;
};

// The offset of `utc_ms` in `lt`, in minutes east of UTC.
int OffsetMinutes(const LegalTime& lt, int64_t utc_ms);

// The civil day of `utc_ms` in legal time `lt` (UTC when null), and the
// instant (UTC ms) at which day `d` begins there.
absl::CivilDay DayOf(int64_t utc_ms, const LegalTime* lt);
int64_t StartOfDay(absl::CivilDay d, const LegalTime* lt);

// How one Member State's days are counted. Either may be null: UTC day
// boundaries; no holidays (Saturdays and Sundays are still not working days).
struct DayCount {
  const LegalTime* legal_time = nullptr;
  const HolidayCalendar* calendar = nullptr;
};

// The end of a period of `days` days from an event, per Regulation 1182/71:
//   Art. 3(1) second subparagraph: the day of the event is not counted;
//   Art. 3(2)(b): the period starts at the beginning of the first hour of the
//     first day and ends with the expiry of the last hour of its last day;
//   Art. 3(3): it includes public holidays, Sundays and Saturdays;
//   Art. 3(4): when its last day is a public holiday, Sunday or Saturday, it
//     ends with the expiry of the last hour of the following working day;
//   Art. 3(5): a period of two days or more includes at least two working
//     days;
//   Art. 2: public holidays are those of the Member State in which the action
//     is to be taken; working days are all other days but Saturdays and
//     Sundays.
struct PeriodEnd {
  absl::CivilDay event_day, first_day, nominal_last_day, last_day;
  // The expiry of the last hour of `last_day`: the first millisecond after
  // the period. An act at end_ms - 1 is in time; at end_ms it is late.
  int64_t end_ms = 0;
  // False when the calendar was null or did not cover every year of the
  // period: then no holiday was applied ("calendar days, holidays not
  // applied"), and the end can only be earlier than the true one.
  bool holidays_applied = false;
  int uncovered_year = 0;          // the first year the calendar did not cover
  std::vector<std::string> moves;  // why last_day is after nominal_last_day
};

PeriodEnd EndOfPeriodInDays(int64_t event_ms, int days, const DayCount& count);

// "Mon 2025-11-17".
std::string DayText(absl::CivilDay d);

}  // namespace ailedger::reports::art73

#endif  // AILEDGER_REPORTS_ART73_CALENDAR_H_
