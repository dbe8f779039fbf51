#include "reports/iso42001_report.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "ledger/governance/iso42001.h"
#include "ledger/merkle/hash.h"
#include "reports/iso42001_evidence.h"
#include "reports/iso42001_review.h"
#include "reports/iso42001_sections.h"

namespace ailedger::reports {
namespace {

using iso42001::Day;

std::string Instant(int64_t ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

// The Annex A catalogue the SoA's 38 rows come from (compiled in, not a data
// file): its digest over "id<TAB>title<LF>" lines in the standard's order.
std::string CatalogueDigest() {
  std::string lines;
  for (const AnnexAControl& c : AnnexAControls())
    absl::StrAppend(&lines, c.id, "\t", c.title, "\n");
  return ToHex(Sha256Of(lines));
}

void Put(nlohmann::json* data, const char* key, const Table& t) {
  (*data)[key] = t.rows;
}

}  // namespace

absl::StatusOr<Report> Iso42001Report(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const Iso42001Options& iso) {
  if (iso.as_of_ms < 0)
    return absl::InvalidArgumentError(
        "as_of_ms: a date after 1970 is required");
  auto mapping = iso42001::ShippedEventMapping();
  if (!mapping.ok()) return mapping.status();
  auto crosswalk = iso42001::ShippedCrosswalk();
  if (!crosswalk.ok()) return crosswalk.status();
  int64_t as_of = iso.as_of_ms;
  if (as_of == 0) {
    for (const Record& r : records)
      as_of = std::max<int64_t>(as_of, r.integrated_time_ms);
  }
  const iso42001::Index index(records, verified, iso.organisation, as_of);
  if (index.own().empty()) {
    return absl::NotFoundError(absl::StrCat(
        "no record of organisation '", iso.organisation,
        "' in the verified records", iso.as_of_ms ? " by the date" : ""));
  }
  const uint32_t review_days = iso.default_review_days
                                   ? iso.default_review_days
                                   : (*mapping)->default_review_days;
  const auto controls =
      AssessControls(index, **mapping, review_days, iso.max_listed);
  std::vector<iso42001::ClauseStatus> clauses;
  Section clause_index = ClauseIndex(index, **mapping, &clauses);

  ManagementReviewOptions review{iso.organisation,
                                 as_of - 365 * iso42001::kDayMs, as_of + 1,
                                 iso.max_listed};
  Report out;
  out.kind = "iso42001-evidence";
  out.title = absl::StrCat("ISO/IEC 42001 evidence pack: ", iso.organisation);
  out.envelope = EnvelopeOf(verified, options);
  out.envelope.reference_data = {
      {absl::StrCat("ISO/IEC 42001 event mapping, data/iso42001/",
                    "event-mapping.json version ", (*mapping)->version),
       (*mapping)->sha256_hex},
      {absl::StrCat("cross-framework mapping, data/iso42001/crosswalk.json "
                    "version ",
                    (*crosswalk)->version),
       (*crosswalk)->sha256_hex},
      {"ISO/IEC 42001:2023 Annex A catalogue (38 ids and titles, "
       "ledger/governance/iso42001.cc; SHA-256 of 'id TAB title LF' lines)",
       CatalogueDigest()}};
  out.envelope.parameters = {
      {"organisation", iso.organisation},
      {"as of", absl::StrCat(Instant(as_of),
                             iso.as_of_ms ? " (given)"
                                          : " (the newest verified entry)")},
      {"default review period",
       absl::StrCat(review_days, " days",
                    iso.default_review_days ? " (given)" : " (mapping)")},
      {"records listed per control and column, clause item, trend",
       iso.max_listed ? absl::StrCat("the newest ", iso.max_listed)
                      : std::string("all")},
      {"time zone", "UTC"},
      {"management review period",
       absl::StrCat(Day(review.start_ms), " to ", Day(as_of))}};

  Section evidence = EvidenceSection(controls, iso.max_listed);
  evidence.charts.push_back(SoaGrid(controls));
  out.sections.push_back(SoaSection(index, controls));
  out.sections.push_back(std::move(evidence));
  out.sections.push_back(VersionsSection(index));
  out.sections.push_back(FrameworkSummary(controls, clauses, **crosswalk));
  out.sections.push_back(std::move(clause_index));
  out.sections.push_back(ClauseRecords(index, clauses, iso.max_listed));
  out.sections.push_back(LogExtract(index));
  out.sections.push_back(IncidentCommunications(index));
  out.sections.push_back(ManagementReviewInputs(records, review));
  out.sections.push_back(CrosswalkSection(controls, clauses, **crosswalk));

  size_t determined = 0;
  nlohmann::json statuses = nlohmann::json::object();
  for (const iso42001::ControlAssessment& a : controls) {
    determined += a.row != nullptr && a.id.rfind("A.", 0) == 0;
    statuses[a.id] = iso42001::StatusName(a.status);
  }
  nlohmann::json& d = out.data;
  d["as_of_ms"] = as_of;
  d["determined"] = determined;
  d["status"] = std::move(statuses);
  const auto& s = out.sections;
  Put(&d, "soa", s[0].tables[0]);
  Put(&d, "evidence", s[1].tables[0]);
  Put(&d, "evidence_cited", s[1].tables[1]);
  Put(&d, "versions", s[2].tables[0]);
  Put(&d, "framework_iso42001", s[3].tables[0]);
  Put(&d, "framework_clauses", s[3].tables[1]);
  Put(&d, "frameworks", s[3].tables[2]);
  Put(&d, "clauses", s[4].tables[0]);
  Put(&d, "clause_records", s[5].tables[0]);
  Put(&d, "log_segments", s[6].tables[0]);
  Put(&d, "log_coverage", s[6].tables[1]);
  Put(&d, "incident_communications", s[7].tables[0]);
  if (!s[8].tables.empty()) Put(&d, "management_review", s[8].tables[0]);
  Put(&d, "crosswalk", s[9].tables[0]);
  Put(&d, "euaia", s[9].tables[1]);
  Put(&d, "nist", s[9].tables[2]);
  return out;
}

absl::StatusOr<Report> Iso42001Report(const std::vector<Record>& records,
                                      const VerifyReport& verified,
                                      const VerifyOptions& options,
                                      const std::string& organisation) {
  Iso42001Options iso;
  iso.organisation = organisation;
  return Iso42001Report(records, verified, options, iso);
}

}  // namespace ailedger::reports
