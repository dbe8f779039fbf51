#include "reports/annual_report.h"

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reports/annual_metrics.h"
#include "reports/annual_sections.h"
#include "reports/iso42001_review.h"

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
  // Operational records are counted, whether ReadRecords counted them or
  // they are here: the report is the same either way.
  OperationalTally counted;
  counted.late_after_ms = a.late_after_ms;
  for (const Record& r : records) {
    if (a.operational == nullptr && IsOperational(r.event)) counted.Add(r);
  }
  const OperationalTally& tally =
      a.operational != nullptr ? *a.operational : counted;
  for (const Record& r : records) {
    if (r.event.organisation() != a.organisation || IsOperational(r.event))
      continue;
    all.push_back(&r);
    const int64_t t = r.event.occurred_at_ms();
    if (t >= start && t < end) year.push_back(&r);
  }
  const uint64_t operational_in_year = annual::OperationalInYear(tally, a);
  if (year.empty() && operational_in_year == 0) {
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
                  annual::Operations(tally, a),
                  annual::Completeness(year, tally, verified, a)};
  out.data["records_in_period"] = year.size() + operational_in_year;
  for (const Section& s : out.sections) {
    if (!s.tables.empty()) out.data[s.title] = s.tables[0].rows;
  }
  // ISO/IEC 42001 9.3.2 a-e: what the year's management review had before it.
  ManagementReviewOptions review;
  review.organisation = a.organisation;
  review.start_ms = start;
  review.end_ms = end;
  out.sections.push_back(ManagementReviewInputs(records, review));
  // The series are in data["metric_series"], not under a section title.
  for (Section& s : annual::Metrics(records, a, &out.envelope, &out.data)) {
    out.sections.push_back(std::move(s));
  }
  return out;
}

}  // namespace ailedger::reports
