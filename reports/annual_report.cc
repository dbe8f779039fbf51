#include "reports/annual_report.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "reports/annual_metrics.h"
#include "reports/annual_scope.h"
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
  // Operational records are counted, whether ReadRecords counted them or
  // they are here, and the rest is read without them: the report is the same
  // either way.
  OperationalTally counted;
  counted.late_after_ms = a.late_after_ms;
  std::vector<Record> kept;
  const std::vector<Record>* governance = &records;
  if (std::any_of(records.begin(), records.end(),
                  [](const Record& r) { return IsOperational(r.event); })) {
    for (const Record& r : records) {
      if (!IsOperational(r.event)) {
        kept.push_back(r);
      } else if (a.operational == nullptr) {
        counted.Add(r);
      }
    }
    governance = &kept;
  }
  const OperationalTally& tally =
      a.operational != nullptr ? *a.operational : counted;
  const annual::Scope scope(*governance, verified, a);
  const uint64_t operational_in_year = annual::OperationalInYear(tally, a);
  if (scope.year().empty() && operational_in_year == 0) {
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
      {"late after", absl::StrCat(a.late_after_ms / 86'400'000, " days")},
      {"rows listed", absl::StrCat("at most ", annual::kListed,
                                   " per table (25 per kind of missing "
                                   "record); the rest counted and said")}};
  out.sections.push_back(annual::Period(scope, verified, operational_in_year));
  out.sections.push_back(annual::Inventory(scope));
  out.sections.push_back(annual::Releases(scope));
  out.sections.push_back(annual::Assessments(*governance, scope));
  // The series are in data["metric_series"], not under a section title.
  std::set<std::string> series_sections;
  for (Section& s : annual::Metrics(*governance, a, &out.envelope, &out.data)) {
    series_sections.insert(s.title);
    out.sections.push_back(std::move(s));
  }
  const annual::Art73Run art73 = annual::RunArt73(scope);
  out.sections.push_back(annual::Incidents(art73, &out.envelope));
  out.sections.push_back(annual::IncidentCategories(scope));
  out.sections.push_back(annual::Operations(tally, a));
  out.sections.push_back(annual::Feedback(scope));
  out.sections.push_back(annual::Audits(scope));
  // ISO/IEC 42001 9.3.2 a-e: what the year's management review had before it.
  ManagementReviewOptions review;
  review.organisation = a.organisation;
  review.start_ms = a.start_ms();
  review.end_ms = a.end_ms();
  out.sections.push_back(ManagementReviewInputs(*governance, review));
  out.sections.push_back(annual::Partners(scope));
  out.sections.push_back(
      annual::Frameworks(*governance, verified, scope, &out.envelope));
  out.sections.push_back(annual::Objectives(scope));
  nlohmann::json counts;
  for (Section& s : annual::Completeness(*governance, scope, tally, verified,
                                         art73, &counts))
    out.sections.push_back(std::move(s));
  out.sections.push_back(
      annual::VerificationAppendix(scope, out.envelope, options));
  out.data["records_in_period"] = scope.year().size() + operational_in_year;
  out.data["completeness_counts"] = std::move(counts);
  for (const Section& s : out.sections) {
    if (!s.tables.empty() && !series_sections.contains(s.title))
      out.data[s.title] = annual::TablesJson(s);
  }
  return out;
}

}  // namespace ailedger::reports
