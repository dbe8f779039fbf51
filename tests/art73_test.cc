// The EU AI Act Art. 73 clocks (reports/art73.h) over in-memory records:
// Easter and the holidays derived from it, Regulation 1182/71's end of a
// period (Art. 3(4) weekends and holidays, 3(5) two working days, the last
// millisecond of the last day), Member State legal time, "calendar days,
// holidays not applied" where no calendar covers the period, one clock per
// Member State, "not yet applicable" before 2 Aug 2026, and the shipped
// regime table's version and digest in the result.
#include "reports/art73.h"

#include <fstream>
#include <sstream>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "ledger/governance/examples.h"
#include "ledger/merkle/hash.h"
#include "reports/annual_sections.h"
#include "reports/art73_calendar.h"
#include "reports/art73_data.h"

namespace ailedger::reports {
namespace {

using absl::CivilDay;
using art73::Clock;
using art73::DayCount;
using art73::EndOfPeriodInDays;
using art73::Obligation;
using art73::Outcome;

const art73::ReferenceData& Data() {
  const auto& d = art73::Shipped();
  EXPECT_TRUE(d.ok()) << d.status();
  return *d;
}

DayCount In(const std::string& ms) {
  return {&Data().legal_time.states.at(ms), &Data().calendars.at(ms)};
}

int64_t Ms(int y, int mo, int d, int h = 0, int mi = 0) {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilSecond(y, mo, d, h, mi), absl::UTCTimeZone()));
}

bool Holiday(const std::string& ms, CivilDay d) {
  return Data().calendars.at(ms).holidays.count(d) > 0;
}

TEST(Art73Calendar, EasterSunday) {
  EXPECT_EQ(art73::EasterSunday(2025), CivilDay(2025, 4, 20));
  EXPECT_EQ(art73::EasterSunday(2026), CivilDay(2026, 4, 5));
  EXPECT_EQ(art73::EasterSunday(2027), CivilDay(2027, 3, 28));
  // The computus at its edges: the earliest and latest possible dates, and
  // the April 25/26 exceptions of the algorithm.
  EXPECT_EQ(art73::EasterSunday(1818), CivilDay(1818, 3, 22));
  EXPECT_EQ(art73::EasterSunday(2038), CivilDay(2038, 4, 25));
  EXPECT_EQ(art73::EasterSunday(1981), CivilDay(1981, 4, 19));
  EXPECT_EQ(art73::EasterSunday(1954), CivilDay(1954, 4, 18));
  EXPECT_EQ(art73::EasterSunday(2000), CivilDay(2000, 4, 23));
}

TEST(Art73Calendar, EasterRelativeAndRuleHolidays) {
  // Good Friday, Easter Monday, Ascension, Whit Monday, Corpus Christi.
  for (CivilDay d :
       {CivilDay(2025, 4, 18), CivilDay(2025, 4, 21), CivilDay(2025, 5, 29),
        CivilDay(2025, 6, 9), CivilDay(2026, 4, 3), CivilDay(2026, 4, 6),
        CivilDay(2026, 5, 14), CivilDay(2026, 5, 25), CivilDay(2027, 3, 26),
        CivilDay(2027, 3, 29), CivilDay(2027, 5, 6), CivilDay(2027, 5, 17)})
    EXPECT_TRUE(Holiday("DE", d)) << d;
  EXPECT_FALSE(Holiday("DE", CivilDay(2026, 6, 4)));  // Fronleichnam: Länder
  for (CivilDay d :
       {CivilDay(2025, 6, 19), CivilDay(2026, 6, 4), CivilDay(2027, 5, 27)})
    EXPECT_TRUE(Holiday("AT", d)) << d;  // Fronleichnam, Easter + 60
  EXPECT_FALSE(Holiday("AT", CivilDay(2025, 4, 18)));  // no Karfreitag
  EXPECT_FALSE(Holiday("IE", CivilDay(2025, 4, 18)));  // nor Good Friday
  // Weekday rules: the first Monday in May, the last Monday in October,
  // Swedish Midsummer Day and All Saints' Day (Saturdays).
  EXPECT_TRUE(Holiday("IE", CivilDay(2025, 5, 5)));
  EXPECT_TRUE(Holiday("IE", CivilDay(2027, 10, 25)));
  EXPECT_TRUE(Holiday("IE", CivilDay(2027, 2, 1)));  // St Brigid's
  for (CivilDay d :
       {CivilDay(2025, 6, 21), CivilDay(2026, 6, 20), CivilDay(2027, 6, 26),
        CivilDay(2025, 11, 1), CivilDay(2026, 10, 31), CivilDay(2027, 11, 6)})
    EXPECT_TRUE(Holiday("SE", d)) << d;
  // Year-limited rules: Italy's 4 October from 2026, Poland's 24 December
  // from 2025.
  EXPECT_FALSE(Holiday("IT", CivilDay(2025, 10, 4)));
  EXPECT_TRUE(Holiday("IT", CivilDay(2027, 10, 4)));
  EXPECT_TRUE(Holiday("PL", CivilDay(2025, 12, 24)));
  EXPECT_TRUE(Holiday("NL", CivilDay(2025, 4, 26)));  // Koningsdag moved
}

TEST(Art73Calendar, EveryShippedCalendarParsesAndHasLegalTime) {
  const auto& d = Data();
  EXPECT_GE(d.calendars.size(), 10u);
  for (const char* ms :
       {"DE", "FR", "IE", "NL", "ES", "IT", "BE", "AT", "PL", "SE"})
    EXPECT_TRUE(d.calendars.count(ms)) << ms;
  for (const auto& [ms, c] : d.calendars) {
    EXPECT_TRUE(c.Covers(2025) && c.Covers(2027)) << ms;
    EXPECT_FALSE(c.Covers(2024)) << ms;
    EXPECT_TRUE(d.legal_time.states.count(ms)) << ms;
    EXPECT_EQ(c.sha256.size(), 64u);
    EXPECT_TRUE(c.holidays.count(CivilDay(2026, 1, 1))) << ms;
  }
  EXPECT_EQ(d.legal_time.states.size(), 30u);  // EU 27 + IS, LI, NO
}

TEST(Art73Calendar, MalformedCalendarsAreRefusedNamingTheField) {
  auto c = art73::ParseHolidayCalendar(
      R"({"member_state":"DE","version":"1","years":{"from":2025,"to":2025},
          "holidays":[{"name":"x","date":"02-30"}]})",
      "holidays/DE.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("holidays[0].date"), std::string::npos)
      << c.status();
  c = art73::ParseHolidayCalendar(
      R"({"member_state":"DE","version":"1","years":{"from":2025,"to":2025},
          "holidays":[{"name":"x","weekday":"Xyz","on_or_after":"05-01"}]})",
      "f");
  EXPECT_FALSE(c.ok());
}

// Regulation 1182/71 Art. 3(4): a period ending on a Saturday, a Sunday or a
// public holiday ends with the following working day; on a Friday it stays.
TEST(Art73Period, TheEndMovesOffWeekendsAndHolidays) {
  auto last = [](int64_t event, int days, const std::string& ms) {
    return EndOfPeriodInDays(event, days, In(ms)).last_day;
  };
  // Aware Thursday 2025-11-06: day 15 is Friday 21 November.
  auto p = EndOfPeriodInDays(Ms(2025, 11, 6, 10), 15, In("DE"));
  EXPECT_EQ(p.first_day, CivilDay(2025, 11, 7));  // the event's day excluded
  EXPECT_EQ(p.last_day, CivilDay(2025, 11, 21));
  EXPECT_TRUE(p.moves.empty());
  EXPECT_EQ(p.end_ms, Ms(2025, 11, 21, 23));  // midnight CET
  EXPECT_TRUE(p.holidays_applied);
  // Saturday and Sunday: Monday 24 November.
  EXPECT_EQ(last(Ms(2025, 11, 7, 10), 15, "DE"), CivilDay(2025, 11, 24));
  EXPECT_EQ(last(Ms(2025, 11, 8, 10), 15, "DE"), CivilDay(2025, 11, 24));
  // Thursday 25 December and Friday 26 December, then the weekend.
  p = EndOfPeriodInDays(Ms(2025, 12, 10, 10), 15, In("DE"));
  EXPECT_EQ(p.nominal_last_day, CivilDay(2025, 12, 25));
  EXPECT_EQ(p.last_day, CivilDay(2025, 12, 29));
  ASSERT_EQ(p.moves.size(), 4u);
  EXPECT_NE(p.moves[0].find("public holiday in DE"), std::string::npos);
  // A Member State's own holiday: Friday 15 May 2026 is a working day in FR
  // but a day equated to a holiday in NL.
  EXPECT_EQ(last(Ms(2026, 5, 5, 10), 10, "FR"), CivilDay(2026, 5, 15));
  EXPECT_EQ(last(Ms(2026, 5, 5, 10), 10, "NL"), CivilDay(2026, 5, 18));
  // Ascension Day itself.
  EXPECT_EQ(last(Ms(2026, 5, 4, 10), 10, "FR"), CivilDay(2026, 5, 15));
}

// Art. 3(5): two days from a Friday end on Tuesday, not Monday.
TEST(Art73Period, TwoDaysIncludeTwoWorkingDays) {
  const auto p = EndOfPeriodInDays(Ms(2025, 11, 7, 10), 2, In("DE"));
  EXPECT_EQ(p.last_day, CivilDay(2025, 11, 11));
  ASSERT_EQ(p.moves.size(), 2u);  // Sun -> Mon (3(4)); Mon -> Tue (3(5))
  EXPECT_EQ(p.moves[0],
            "Sun 2025-11-09 is a Sunday: the next working day "
            "(Art. 3(4))");
  EXPECT_EQ(p.moves[1],
            "at least two working days (Art. 3(5)): Tue "
            "2025-11-11");
  // From a Thursday: Friday and Monday are the two working days.
  EXPECT_EQ(EndOfPeriodInDays(Ms(2025, 11, 6, 10), 2, In("DE")).last_day,
            CivilDay(2025, 11, 10));
}

TEST(Art73Period, DaysEndInTheMemberStatesLegalTime) {
  // 23:30 UTC on 6 November is 00:30 on 7 November in Germany (CET).
  const int64_t late = Ms(2025, 11, 6, 23, 30);
  EXPECT_EQ(EndOfPeriodInDays(late, 15, In("DE")).event_day,
            CivilDay(2025, 11, 7));
  EXPECT_EQ(EndOfPeriodInDays(late, 15, DayCount{}).event_day,
            CivilDay(2025, 11, 6));
  // Summer time: the end of Friday 2026-07-17 in Germany is 22:00 UTC.
  EXPECT_EQ(EndOfPeriodInDays(Ms(2026, 7, 2, 9), 15, In("DE")).end_ms,
            Ms(2026, 7, 17, 22));
  // Ireland is UTC in winter, UTC+1 in summer; Finland UTC+2.
  EXPECT_EQ(EndOfPeriodInDays(Ms(2026, 1, 6, 9), 15,
                              {&Data().legal_time.states.at("IE"), nullptr})
                .end_ms,
            Ms(2026, 1, 22));
  EXPECT_EQ(EndOfPeriodInDays(Ms(2026, 1, 6, 9), 15,
                              {&Data().legal_time.states.at("FI"), nullptr})
                .end_ms,
            Ms(2026, 1, 21, 22));
}

TEST(Art73Period, NoCalendarForTheYearMeansHolidaysNotApplied) {
  // 2024 is not covered: 25 and 26 December 2024 (Wed, Thu) are not applied.
  auto p = EndOfPeriodInDays(Ms(2024, 12, 10, 10), 15, In("DE"));
  EXPECT_FALSE(p.holidays_applied);
  EXPECT_EQ(p.uncovered_year, 2024);
  EXPECT_EQ(p.last_day, CivilDay(2024, 12, 25));
  // A period reaching into 2028 is not counted with 2027's holidays either.
  p = EndOfPeriodInDays(Ms(2027, 12, 20, 10), 15, In("DE"));
  EXPECT_FALSE(p.holidays_applied);
  EXPECT_EQ(p.uncovered_year, 2028);
  // Saturdays and Sundays still apply: 2024-11-23 is a Saturday.
  EXPECT_EQ(EndOfPeriodInDays(Ms(2024, 11, 8, 10), 15, In("DE")).last_day,
            CivilDay(2024, 11, 25));
}

// ---- the clocks over records -------------------------------------------

class Art73ClocksTest : public testing::Test {
 protected:
  Record& Add(const std::string& type, int64_t occurred,
              const std::string& system = "credit",
              const std::string& incident = "") {
    Record r;
    r.index = records_.size();
    r.integrated_time_ms = occurred + 3'600'000;
    r.event_id[0] = static_cast<uint8_t>(r.index + 1);
    r.event.set_event_type(type);
    r.event.set_organisation("Acme AI");
    r.event.set_occurred_at_ms(occurred);
    if (!system.empty()) AddSubject(&r, "system", system);
    if (!incident.empty()) AddSubject(&r, "incident", incident);
    records_.push_back(std::move(r));
    return records_.back();
  }
  static void AddSubject(Record* r, const std::string& kind,
                         const std::string& id) {
    auto* s = r->event.add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }
  void System(v1::RiskClass risk, const std::string& annex_iii = "5(b)",
              const std::string& system = "credit") {
    auto* s = Add("SystemRegistered", Ms(2025, 1, 1), system)
                  .event.mutable_system_registered();
    s->set_risk_class(risk);
    s->set_annex_iii_point(annex_iii);
  }
  // An incident of category `category` aware at `aware`.
  std::string Incident(const std::string& id, int64_t aware,
                       std::vector<std::string> states,
                       const std::string& category = "c",
                       const std::string& system = "credit") {
    auto& r = Add("IncidentReported", aware, system, id);
    auto* inc = r.event.mutable_incident_reported();
    inc->set_art3_49_category(category);
    inc->set_severity(v1::SEVERITY_SERIOUS);
    inc->set_aware_at_ms(aware);
    for (const auto& s : states) inc->add_member_states(s);
    return std::string(AsBytes(r.event_id));
  }
  void Notify(const std::string& incident_event_id, const std::string& ms,
              int64_t sent,
              v1::NotificationKind kind = v1::NOTIFICATION_KIND_INITIAL) {
    auto* n = Add("RegulatorNotificationSent", sent, "credit")
                  .event.mutable_regulator_notification();
    n->set_member_state(ms);
    n->set_kind(kind);
    n->set_sent_at_ms(sent);
    n->set_regime(v1::REGIME_EU_AI_ACT_ART73);
    n->set_incident_event_id(incident_event_id);
  }
  art73::Result Run(Art73Options o = {}) {
    auto r = Art73Clocks(records_, o);
    EXPECT_TRUE(r.ok()) << r.status();
    return *std::move(r);
  }
  static const Clock* Find(const art73::Result& r, const std::string& incident,
                           const std::string& ms, Obligation ob) {
    for (const Clock& c : r.clocks) {
      if (c.incident == incident && c.member_state == ms && c.obligation == ob)
        return &c;
    }
    return nullptr;
  }

  std::vector<Record> records_;
};

// One clock per Member State: met in DE, missed in FR (never notified).
TEST_F(Art73ClocksTest, OneClockPerMemberState) {
  System(v1::RISK_CLASS_HIGH);
  const std::string inc =
      Incident("INC-1", Ms(2026, 9, 1, 9), {"DE", "FR"});  // a Tuesday
  Notify(inc, "DE", Ms(2026, 9, 3, 9));
  Notify(inc, "DE", Ms(2026, 10, 1, 9), v1::NOTIFICATION_KIND_COMPLETE);
  Add("SystemDecommissioned", Ms(2026, 12, 1), "other");  // as of Dec 2026
  const art73::Result r = Run();
  const Clock* de = Find(r, "INC-1", "DE", Obligation::kInitialReport);
  const Clock* fr = Find(r, "INC-1", "FR", Obligation::kInitialReport);
  ASSERT_NE(de, nullptr);
  ASSERT_NE(fr, nullptr);
  EXPECT_EQ(de->days, 15);
  EXPECT_EQ(de->article, "Art. 73(2)");
  EXPECT_EQ(de->period.last_day, CivilDay(2026, 9, 16));
  EXPECT_EQ(de->outcome, Outcome::kMet);
  EXPECT_EQ(de->status, "met");
  EXPECT_EQ(de->notified_day, 2);
  EXPECT_EQ(fr->outcome, Outcome::kMissed);
  EXPECT_EQ(fr->status, "MISSED");
  EXPECT_NE(fr->calendar.find("FR public holidays"), std::string::npos);
  EXPECT_EQ(Find(r, "INC-1", "DE", Obligation::kCompleteReport)->status,
            "recorded");
  EXPECT_EQ(Find(r, "INC-1", "FR", Obligation::kCompleteReport)->status,
            "none recorded");
  // Every clock cites the incident's record.
  EXPECT_EQ(de->citations[0].rfind("idx 1 · IncidentReported", 0), 0u)
      << de->citations[0];
  EXPECT_EQ(r.clocks.size(), 6u);  // 2 states x (initial, immediately,
                                   // complete)
}

// Met at the last millisecond of the final day, missed one millisecond
// later.
TEST_F(Art73ClocksTest, MetAndMissedAtTheBoundary) {
  System(v1::RISK_CLASS_HIGH);
  // Aware Friday 2026-11-06 10:00 UTC, 2 days (widespread): Saturday and
  // Sunday, so Monday (3(4)), then Tuesday 10 November (3(5)).
  const std::string a = Incident("A", Ms(2026, 11, 6, 10), {"DE"});
  records_.back()
      .event.mutable_incident_reported()
      ->set_widespread_infringement(true);
  const std::string b = Incident("B", Ms(2026, 11, 6, 10), {"DE"});
  records_.back()
      .event.mutable_incident_reported()
      ->set_widespread_infringement(true);
  const int64_t end = Ms(2026, 11, 10, 23);  // midnight CET
  Notify(a, "DE", end - 1);
  Notify(b, "DE", end);
  const art73::Result r = Run();
  const Clock* ca = Find(r, "A", "DE", Obligation::kInitialReport);
  const Clock* cb = Find(r, "B", "DE", Obligation::kInitialReport);
  ASSERT_TRUE(ca && cb);
  EXPECT_EQ(ca->days, 2);
  EXPECT_EQ(ca->article, "Art. 73(3)");
  EXPECT_EQ(ca->period.end_ms, end);
  EXPECT_EQ(ca->outcome, Outcome::kMet);
  EXPECT_EQ(cb->outcome, Outcome::kMissed);
}

TEST_F(Art73ClocksTest, NotYetApplicableBefore2August2026) {
  System(v1::RISK_CLASS_HIGH);
  const std::string before = Incident("OLD", Ms(2026, 8, 1, 9), {"DE"});
  const std::string after = Incident("NEW", Ms(2026, 8, 2, 9), {"DE"});
  Notify(before, "DE", Ms(2026, 8, 30));
  Notify(after, "DE", Ms(2026, 8, 4));
  const art73::Result r = Run();
  const Clock* old = Find(r, "OLD", "DE", Obligation::kInitialReport);
  const Clock* now = Find(r, "NEW", "DE", Obligation::kInitialReport);
  ASSERT_TRUE(old && now);
  EXPECT_EQ(old->applicability, art73::Applicability::kNotYet);
  EXPECT_EQ(old->status, "not yet applicable (measured: MISSED)");
  EXPECT_EQ(now->applicability, art73::Applicability::kApplies);
  EXPECT_EQ(now->status, "met");
  EXPECT_NE(old->regime.find("art73-regime.json 2026-12-01.1"),
            std::string::npos)
      << old->regime;
  EXPECT_NE(old->regime.find("from 2026-08-02"), std::string::npos);
}

TEST_F(Art73ClocksTest, DeathIsTenDaysAndNotHighRiskIsSaid) {
  System(v1::RISK_CLASS_LIMITED, "", "bot");
  const std::string inc = Incident("D", Ms(2026, 9, 1, 9), {"IE"}, "a", "bot");
  records_.back().event.mutable_incident_reported()->set_death(true);
  Notify(inc, "IE", Ms(2026, 9, 4));
  const art73::Result r = Run();
  const Clock* c = Find(r, "D", "IE", Obligation::kInitialReport);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->days, 10);
  EXPECT_EQ(c->article, "Art. 73(4)");
  EXPECT_EQ(c->applicability, art73::Applicability::kNotHighRisk);
  EXPECT_EQ(c->status,
            "not applicable: not a high-risk system (measured: met)");
}

TEST_F(Art73ClocksTest, MissingCalendarSaysHolidaysNotApplied) {
  System(v1::RISK_CLASS_HIGH);
  // Hungary has no shipped calendar; Germany none for 2028.
  Incident("HU-1", Ms(2026, 9, 1, 9), {"HU"});
  Incident("DE-28", Ms(2028, 1, 3, 9), {"DE"});
  Art73Options o;
  o.as_of_ms = Ms(2026, 9, 2);
  const art73::Result r = Run(o);
  const Clock* hu = Find(r, "HU-1", "HU", Obligation::kInitialReport);
  const Clock* de = Find(r, "DE-28", "DE", Obligation::kInitialReport);
  ASSERT_TRUE(hu && de);
  EXPECT_FALSE(hu->holidays_applied);
  EXPECT_EQ(hu->calendar.rfind("calendar days, holidays not applied", 0), 0u)
      << hu->calendar;
  EXPECT_NE(hu->calendar.find("HU legal time (CET)"), std::string::npos);
  EXPECT_EQ(hu->outcome, Outcome::kPending);
  EXPECT_EQ(de->calendar.rfind("calendar days, holidays not applied", 0), 0u);
  EXPECT_NE(de->calendar.find("not 2028"), std::string::npos) << de->calendar;
}

TEST_F(Art73ClocksTest, RegimeAndCalendarDigestsAreReported) {
  System(v1::RISK_CLASS_HIGH);
  Incident("INC-1", Ms(2026, 9, 1, 9), {"DE"});
  const art73::Result r = Run();
  std::ifstream in(std::string(AILEDGER_DATA_DIR) +
                   "/eu-ai-act/art73-regime.json");
  std::stringstream bytes;
  bytes << in.rdbuf();
  ASSERT_FALSE(bytes.str().empty());
  ASSERT_GE(r.reference_data.size(), 3u);
  EXPECT_EQ(r.reference_data[0].first,
            "eu-ai-act/art73-regime.json 2026-12-01.1");
  EXPECT_EQ(r.reference_data[0].second, ToHex(Sha256Of(bytes.str())));
  EXPECT_EQ(r.reference_data[2].first,
            "eu-ai-act/holidays/DE.json 2026-12-01.1");
  bool boundaries = false;
  for (const auto& [name, value] : r.parameters)
    boundaries |= name == "Art. 73 day boundaries" &&
                  value.find("legal time") != std::string::npos;
  EXPECT_TRUE(boundaries);
}

TEST_F(Art73ClocksTest, RelatedRecordsAndChangesBeforeNotification) {
  System(v1::RISK_CLASS_HIGH);
  auto* f = Add("StakeholderFeedbackReceived", Ms(2026, 8, 20))
                .event.mutable_stakeholder_feedback_received();
  f->set_category("complaint");
  f->set_summary("limit cut without reason");
  const std::string inc = Incident("INC-1", Ms(2026, 9, 1, 9), {"DE"});
  Add("ModelVersionReleased", Ms(2026, 9, 2))
      .event.mutable_model_version_released()
      ->set_version("2.4.1");
  Notify(inc, "DE", Ms(2026, 9, 3));
  Add("ModelVersionReleased", Ms(2026, 9, 10))  // after: not listed
      .event.mutable_model_version_released()
      ->set_version("2.4.2");
  const art73::Result r = Run();
  ASSERT_EQ(r.related.size(), 1u);
  EXPECT_NE(r.related[0].what.find("complaint"), std::string::npos);
  ASSERT_EQ(r.alterations.size(), 1u);
  EXPECT_NE(r.alterations[0].what.find("release 2.4.1"), std::string::npos);
  EXPECT_NE(r.alterations[0].what.find("Art. 73(6)"), std::string::npos);
}

TEST_F(Art73ClocksTest, ImmediatelyIsALagJudgedOnlyAgainstAPolicy) {
  System(v1::RISK_CLASS_HIGH);
  const std::string inc = Incident("INC-1", Ms(2026, 9, 1, 9), {"DE"});
  records_.back().event.mutable_incident_reported()->set_causal_link_at_ms(
      Ms(2026, 9, 2, 9));
  Notify(inc, "DE", Ms(2026, 9, 4, 12));
  const art73::Result unjudged = Run();
  const Clock* c = Find(unjudged, "INC-1", "DE", Obligation::kImmediately);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->status, "lag 2 d 3 h (no stated policy: not judged)");
  EXPECT_EQ(c->outcome, Outcome::kNotJudged);
  Art73Options o;
  o.immediately_policy_ms = 24 * 3'600'000LL;
  const art73::Result r = Run(o);
  c = Find(r, "INC-1", "DE", Obligation::kImmediately);
  EXPECT_EQ(c->outcome, Outcome::kMissed);
  EXPECT_EQ(c->status,
            "lag 2 d 3 h; MISSED against the policy of 1 d (policy, not law)");
}

TEST_F(Art73ClocksTest, UtcDayBoundariesWhenAsked) {
  System(v1::RISK_CLASS_HIGH);
  Incident("INC-1", Ms(2026, 11, 5, 23, 30), {"DE"});  // Fri 00:30 in DE
  Art73Options o;
  const art73::Result in_legal_time = Run(o);
  const Clock* legal =
      Find(in_legal_time, "INC-1", "DE", Obligation::kInitialReport);
  ASSERT_NE(legal, nullptr);
  EXPECT_EQ(legal->period.event_day, CivilDay(2026, 11, 6));
  o.utc_day_boundaries = true;
  const art73::Result r = Run(o);
  const Clock* utc = Find(r, "INC-1", "DE", Obligation::kInitialReport);
  EXPECT_EQ(utc->period.event_day, CivilDay(2026, 11, 5));
  EXPECT_NE(utc->calendar.find("UTC day boundaries"), std::string::npos);
}

TEST_F(Art73ClocksTest, NotSeriousHasNoClock) {
  auto& r = Add("IncidentReported", Ms(2026, 9, 1), "credit", "MINOR");
  r.event.mutable_incident_reported()->set_not_serious(true);
  r.event.mutable_incident_reported()->set_not_serious_reason("no harm");
  const art73::Result res = Run();
  ASSERT_EQ(res.clocks.size(), 1u);
  EXPECT_EQ(res.clocks[0].obligation, Obligation::kNone);
  EXPECT_EQ(res.clocks[0].status, "not serious: no harm");
}

// The review's E3: a fairness breach of the same system before awareness is
// shown for the auditor's attention, against the plan's threshold when the
// snapshot answers a plan metric, else as a four-fifths screening flag.
TEST_F(Art73ClocksTest, EarlierThresholdBreachesAreShown) {
  System(v1::RISK_CLASS_HIGH);
  auto& plan = Add("MonitoringPlan", Ms(2026, 7, 1));
  auto* m = plan.event.mutable_monitoring_plan()->add_metrics();
  m->set_metric_id("fairlearn:demographic_parity_ratio");
  m->set_threshold(0.8);
  m->set_comparison("at least");
  m->set_comparator(v1::COMPARATOR_REFERENCE_GROUP);
  const std::string plan_id(AsBytes(plan.event_id));
  auto& planned = Add("FairnessSnapshot", Ms(2026, 8, 10));
  *planned.event.mutable_fairness_snapshot() = ExampleFairnessSnapshot();
  planned.event.mutable_fairness_snapshot()->set_plan_event_id(plan_id);
  planned.event.mutable_fairness_snapshot()->set_plan_metric_id(m->metric_id());
  Add("FairnessSnapshot", Ms(2026, 8, 20))
      .event.mutable_fairness_snapshot()
      ->CopyFrom(ExampleFairnessSnapshot());
  Incident("INC-1", Ms(2026, 9, 1, 9), {"DE"});
  Add("FairnessSnapshot", Ms(2026, 9, 5))  // after awareness: not shown
      .event.mutable_fairness_snapshot()
      ->CopyFrom(ExampleFairnessSnapshot());
  const art73::Result r = Run();
  ASSERT_EQ(r.related.size(), 2u);
  EXPECT_NE(r.related[0].what.find("threshold breach: group B: ratio 0.6000 "
                                   "to the reference group, below the plan's "
                                   "0.8"),
            std::string::npos)
      << r.related[0].what;
  EXPECT_NE(r.related[1].what.find("four-fifths screening flag (not a "
                                   "finding): group B: ratio 0.6000"),
            std::string::npos)
      << r.related[1].what;
  EXPECT_EQ(r.related[0].citation.rfind("idx 2 · FairnessSnapshot", 0), 0u);
}

// Found serious later: the clock runs from when seriousness was
// established, with the class the update gives (a death: 10 days).
TEST_F(Art73ClocksTest, AReclassifiedIncidentRunsFromSeriousness) {
  System(v1::RISK_CLASS_HIGH);
  auto& report = Add("IncidentReported", Ms(2026, 9, 1, 9), "credit", "R");
  report.event.mutable_incident_reported()->set_aware_at_ms(Ms(2026, 9, 1, 9));
  report.event.mutable_incident_reported()->set_not_serious(true);
  report.event.mutable_incident_reported()->add_member_states("DE");
  auto* u = Add("IncidentUpdated", Ms(2026, 9, 10, 9), "credit", "R")
                .event.mutable_incident_updated();
  u->set_not_serious(false);
  u->set_art3_49_category("a");
  u->set_death(true);
  u->set_seriousness_established_at_ms(Ms(2026, 9, 10, 9));
  const art73::Result r = Run();
  const Clock* c = Find(r, "R", "DE", Obligation::kInitialReport);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->days, 10);
  EXPECT_EQ(c->start_ms, Ms(2026, 9, 10, 9));
  EXPECT_EQ(c->start_basis, "seriousness established (idx 2)");
  EXPECT_EQ(c->period.last_day, CivilDay(2026, 9, 21));  // Sun 20 -> Mon 21
}

// The annual report's section: a table row per clock, the timeline chart
// with the deadline, and the data named in the envelope.
TEST_F(Art73ClocksTest, TheAnnualSectionHasTheTableTheChartAndTheDigests) {
  System(v1::RISK_CLASS_HIGH);
  const std::string inc = Incident("INC-1", Ms(2026, 9, 1, 9), {"DE", "FR"});
  Notify(inc, "DE", Ms(2026, 9, 3, 9));
  std::vector<const Record*> all;
  for (const Record& r : records_) all.push_back(&r);
  AnnualOptions a;
  a.organisation = "Acme AI";
  a.year = 2026;
  Envelope envelope;
  const Section s = annual::Incidents(all, a, &envelope);
  ASSERT_EQ(s.tables[0].rows.size(), 6u);
  EXPECT_EQ(s.tables[0].rows[0][6], "met");
  ASSERT_EQ(s.charts.size(), 1u);
  ASSERT_EQ(s.charts[0].rows.size(), 2u);  // DE and FR
  EXPECT_EQ(s.charts[0].rows[0].outcome, DeadlineOutcome::kMet);
  EXPECT_EQ(s.charts[0].rows[0].deadline_ms, Ms(2026, 9, 16, 22));
  EXPECT_EQ(s.charts[0].rows[0].events.size(), 2u);  // aware, reported
  ASSERT_GE(envelope.reference_data.size(), 4u);     // regime, time, DE, FR
  EXPECT_EQ(envelope.reference_data[3].first,
            "eu-ai-act/holidays/FR.json 2026-12-01.1");
  // Before 2026 nothing was reported: no clocks, and it says so.
  a.year = 2025;
  EXPECT_EQ(annual::Incidents(all, a, nullptr).paragraphs.back(),
            "No incident was reported in the year.");
}

}  // namespace
}  // namespace ailedger::reports
