#include "reports/verification_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/base/base64.h"
#include "ledger/governance/roles.h"
#include "reports/verification_facts.h"

namespace ailedger::reports {
namespace {

std::string Roles(const std::vector<v1::Role>& roles) {
  std::vector<std::string> names;
  for (v1::Role r : roles) names.emplace_back(RoleName(r));
  return names.empty() ? "-" : absl::StrJoin(names, ", ");
}

Section Result(const VerifyReport& r, const VerifyOptions& o) {
  Section s{"Result", {}, {}};
  s.paragraphs.push_back(
      r.verified
          ? absl::StrCat("Every entry of [", r.from, ", ", r.to,
                         ") was verified against the signed checkpoint at "
                         "size ",
                         r.checkpoint_size,
                         ": signatures, the hash chain, the Merkle root and "
                         "every rule of state in force at each entry.")
          : absl::StrCat("Verification FAILED at the first failure: ",
                         r.failure, " (check: ", r.failed_check,
                         "). Nothing in this bundle may be relied on."));
  std::vector<std::string> keys;
  for (const VerifierKey& k : o.log_keys)
    keys.push_back("--vkey " + k.ToString());
  s.paragraphs.push_back(absl::StrCat(
      "To check it again, offline: ailedger verify BUNDLE ",
      absl::StrJoin(keys, " "),
      o.admin ? " --admin-vkey " + o.admin->ToString() : std::string(),
      " (with the same --expect and --witness-policy)."));
  return s;
}

Section Rules(const VerifyReport& r) {
  Section s{"Rules in force", {}, {{{"from index", "role table version"}, {}}}};
  for (const auto& [index, version] : r.rule_versions)
    s.tables[0].rows.push_back({absl::StrCat(index), absl::StrCat(version)});
  return s;
}

Section Signers(const VerifyReport& r) {
  Section s{
      "Signers",
      {},
      {{{"key", "name", "organisation", "roles", "entries", "note"}, {}}}};
  for (const SignerSummary& k : r.signers) {
    s.tables[0].rows.push_back(
        {Base64Encode(AsBytes(k.key)), k.name, k.organisation, Roles(k.roles),
         absl::StrCat(k.entries),
         k.unexpected ? "holds admin or auditor, not named by the reader"
                      : ""});
  }
  return s;
}

Section Flags(const VerifyReport& r) {
  Section s{"For the reader's attention", {}, {{{"index", "what"}, {}}}};
  for (const auto& [i, type] : r.pending_approvals)
    s.tables[0].rows.push_back({absl::StrCat(i), type + ": awaiting approval"});
  for (const auto& [i, type] : r.rejected)
    s.tables[0].rows.push_back({absl::StrCat(i), type + ": rejected"});
  for (const auto& [i, what] : r.after_decommissioning) {
    s.tables[0].rows.push_back(
        {absl::StrCat(i), what + ": after the system's decommissioning"});
  }
  s.paragraphs = r.warnings;
  if (s.tables[0].rows.empty() && s.paragraphs.empty())
    s.paragraphs.push_back("Nothing.");
  return s;
}

nlohmann::json Data(const VerifyReport& r) {
  nlohmann::json j = {{"verified", r.verified},
                      {"failure", r.failure},
                      {"failed_check", r.failed_check},
                      {"from", r.from},
                      {"to", r.to},
                      {"roster_complete", r.roster_complete},
                      {"warnings", r.warnings}};
  j["rule_versions"] = nlohmann::json::array();
  for (const auto& [i, v] : r.rule_versions)
    j["rule_versions"].push_back({{"from_index", i}, {"version", v}});
  for (const char* list :
       {"pending_approvals", "rejected", "after_decommissioning"})
    j[list] = nlohmann::json::array();
  for (const auto& [i, t] : r.pending_approvals)
    j["pending_approvals"].push_back({{"index", i}, {"event_type", t}});
  for (const auto& [i, t] : r.rejected)
    j["rejected"].push_back({{"index", i}, {"event_type", t}});
  for (const auto& [i, w] : r.after_decommissioning)
    j["after_decommissioning"].push_back({{"index", i}, {"record", w}});
  return j;
}

}  // namespace

Report VerificationReport(const VerifyReport& r, const VerifyOptions& o) {
  Report out;
  out.kind = "verification";
  out.title = absl::StrCat("Verification report: ", r.origin);
  out.envelope = EnvelopeOf(r, o);
  out.sections = {Result(r, o), Rules(r), Signers(r), Flags(r)};
  out.data = Data(r);
  return out;
}

Report VerificationReport(const VerifyReport& r, const VerifyOptions& o,
                          const std::vector<Record>& records) {
  namespace vr = verification;
  Report out;
  out.kind = "verification";
  out.title = absl::StrCat("Verification report: ", r.origin);
  out.envelope = EnvelopeOf(r, o);
  out.envelope.parameters.push_back(
      {"late after", absl::StrCat(vr::kLateAfterMs / vr::kDayMs, " days")});
  out.envelope.parameters.push_back(
      {"rows listed at most",
       absl::StrCat(vr::kMaxRows, " per list (late: ", vr::kLateShown, ")")});
  out.data = Data(r);
  const vr::Facts f = vr::Gather(records, r);
  nlohmann::json* d = &out.data;
  out.sections = {Result(r, o),
                  vr::RangeSection(r, o, f, d),
                  Rules(r),
                  vr::SignersSection(r, f, d),
                  vr::SegregationSection(f, d),
                  vr::KeysSection(f, d),
                  vr::CorrectionsSection(f, d),
                  vr::LateSection(f, d),
                  vr::ApprovalsSection(r, records, f, d),
                  vr::ErasuresSection(f, d),
                  vr::AttentionSection(r, records, d)};
  return out;
}

}  // namespace ailedger::reports
