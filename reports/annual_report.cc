#include "reports/annual_report.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reports/annual_metrics.h"
#include "reports/annual_sections.h"

namespace ailedger::reports {

int64_t AnnualOptions::start_ms() const {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilYear(year), absl::UTCTimeZone()));
}

int64_t AnnualOptions::end_ms() const {
  return absl::ToUnixMillis(
      absl::FromCivil(absl::CivilYear(year + 1), absl::UTCTimeZone()));
}

absl::StatusOr<Report> AnnualReport(const std::vector<Record>& records,
                                    const VerifyReport& verified,
                                    const VerifyOptions& options,
                                    const AnnualOptions& a) {
  const int64_t start = a.start_ms(), end = a.end_ms();
  annual::Records year, all;
  for (const Record& r : records) {
    if (r.event.organisation() != a.organisation) continue;
    all.push_back(&r);
    const int64_t t = r.event.occurred_at_ms();
    if (t >= start && t < end) year.push_back(&r);
  }
  if (year.empty()) {
    return absl::NotFoundError(absl::StrCat("no record of '", a.organisation,
                                            "' occurred in ", a.year));
  }
  Report out;
  out.kind = "annual-impact";
  out.title =
      absl::StrCat("Annual impact report ", a.year, ": ", a.organisation);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.parameters = {
      {"organisation", a.organisation},
      {"period", absl::StrCat(a.year, "-01-01 to ", a.year + 1,
                              "-01-01 (UTC; organisation time zones not "
                              "applied)")},
      {"late after", absl::StrCat(a.late_after_ms / 86'400'000, " days")}};
  out.sections = {annual::Inventory(year),
                  annual::Releases(year),
                  annual::Incidents(all, a, &out.envelope),
                  annual::Audits(year),
                  annual::Objectives(year),
                  annual::Completeness(year, verified, a.late_after_ms)};
  out.data["records_in_period"] = year.size();
  for (const Section& s : out.sections) {
    if (!s.tables.empty()) out.data[s.title] = s.tables[0].rows;
  }
  // The series are in data["metric_series"], not under a section title.
  for (Section& s : annual::Metrics(records, a, &out.envelope, &out.data)) {
    out.sections.push_back(std::move(s));
  }
  return out;
}

}  // namespace ailedger::reports
