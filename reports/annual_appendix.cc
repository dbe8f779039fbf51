// The annual report's verification appendix (issue 13: "a verification
// appendix telling a reader how to re-check the report with `ailedger
// verify`"): the commands a reader runs, offline, on the bundle the report
// was built from (ledger.bundle beside the report when read from a server),
// to verify the whole log under their own pinned keys, to rebuild the
// report byte for byte, and to check one cited entry alone from the JSON's
// C2SP tlog-proof. The reader's keys are filled in where the report was
// built with them; placeholders otherwise.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "reports/annual_sections.h"

namespace ailedger::reports::annual {
namespace {

std::string Quoted(const std::string& s) {
  return absl::StrCat(
      "\"",
      absl::StrReplaceAll(
          s, {{"\\", "\\\\"}, {"\"", "\\\""}, {"$", "\\$"}, {"`", "\\`"}}),
      "\"");
}

// The entry the appendix checks alone: the year's first incident report,
// else the year's first record.
const Record* Example(const Scope& scope) {
  for (const Record* r : scope.year()) {
    if (r->event.has_incident_reported()) return r;
  }
  return scope.year().empty() ? nullptr : scope.year().front();
}

}  // namespace

Section VerificationAppendix(const Scope& scope, const Envelope& envelope,
                             const VerifyOptions& options) {
  const AnnualOptions& a = scope.options();
  std::vector<std::string> keys;
  for (const std::string& k : envelope.log_keys)
    keys.push_back("--vkey " + Quoted(k));
  if (keys.empty()) keys.push_back("--vkey LOGVKEY");
  const std::string vkeys = absl::StrJoin(keys, " ");
  std::string pinned = absl::StrCat(
      vkeys, " --admin-vkey ",
      options.admin ? Quoted(options.admin->ToString()) : "ADMINVKEY");
  for (const auto& [role, key] : options.expected) {
    if (role == v1::ROLE_AUDITOR) {
      absl::StrAppend(&pinned, " --expect auditor=AUDITORVKEY");
      break;
    }
  }
  const bool witnesses = !options.witness_policy.witnesses.empty();
  if (witnesses) absl::StrAppend(&pinned, " --witness-policy POLICY");
  Section s{"Verification appendix: re-checking this report",
            {absl::StrCat(
                "Every figure above cites its entry (idx N). A reader checks "
                "them offline with their own copy of the keys (never the "
                "ones printed here, which say what the report was built "
                "with): the bundle (ledger.bundle: the one the report was "
                "built from, written beside it when read from a server) "
                "against the log's key and checkpoint, "
                "the report rebuilt from it byte for byte, and any cited "
                "entry alone from the proof the JSON form carries. The "
                "checkpoint is of size ",
                envelope.checkpoint_size, ", root ", envelope.checkpoint_root,
                "; the generator ", envelope.generator, ".")},
            {{{"step", "command", "what it shows"}, {}}}};
  auto& rows = s.tables[0].rows;
  rows.push_back(
      {"1. verify the log",
       absl::StrCat("ailedger verify ledger.bundle ", pinned),
       absl::StrCat(
           "VERIFIED: every signature, the hash chain and the rules "
           "of state of entries [",
           envelope.from, ", ", envelope.to,
           ") against the checkpoint above; exit 0. ",
           envelope.complete_range
               ? "The range starts at 0: a complete log."
               : "The range does not start at 0: not a complete log.")});
  rows.push_back(
      {"2. rebuild the report",
       absl::StrCat("ailedger report annual --organisation ",
                    Quoted(a.organisation), " --year ", a.year,
                    " --bundle ledger.bundle ", pinned,
                    " --format json --out rebuilt && sha256sum "
                    "rebuilt/annual-impact.json annual-impact.json"),
       "The same digest twice: the same bundle, generator and parameters (the "
       "envelope lists them; give any that differ from the defaults) give "
       "the same bytes; an anchored report's digest is its ReportPublished's "
       "report_sha256."});
  const Record* e = Example(scope);
  if (e != nullptr) {
    const std::string file = absl::StrCat("entry-", e->index, ".tlog-proof");
    rows.push_back(
        {"3. take one cited entry's proof",
         absl::StrCat("jq -r '.data.citations[] | select(.index == ", e->index,
                      ") | .tlog_proof' annual-impact.json > ", file),
         absl::StrCat("The C2SP tlog-proof of ", Cite(*e),
                      ": its checkpoint, the inclusion proof and the entry's "
                      "leaf. Empty for a bundle that does not start at 0: "
                      "then `ailedger prove inclusion` against the log.")});
    rows.push_back(
        {"4. check it alone",
         absl::StrCat(
             "ailedger verify-proof ", file, " ", vkeys,
             witnesses ? " --witness-policy POLICY" : " --no-witness-policy",
             " --event-id ", ToHex(e->event_id)),
         absl::StrCat("VERIFIED: the entry with that event id is at index ",
                      e->index,
                      " under the checkpoint's root, without the "
                      "rest of the bundle. Any other cited entry: the same "
                      "two steps with its index and event id (the 'Evidence "
                      "cited' section and data.citations list them).")});
  }
  rows.push_back(
      {"5. against last year's report",
       absl::StrCat("jq '.data.restatements.consistency' annual-impact.json > "
                    "consistency.json && ailedger verify-proof "
                    "consistency.json ",
                    vkeys,
                    " --no-witness-policy --trusted LAST_YEAR_CHECKPOINT "
                    "--checkpoint CHECKPOINT"),
       "Where the restatements section gives a consistency proof from last "
       "year's anchored size (RFC 9162 2.1.4): with the checkpoint last "
       "year's report was read at as --trusted and this one's as "
       "--checkpoint, VERIFIED says this log extends the one last year's "
       "figures came from."});
  return s;
}

}  // namespace ailedger::reports::annual
