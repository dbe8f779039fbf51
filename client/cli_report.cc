// ailedger report verification | aia: reports (reports/) of a bundle, verified
// here first under the reader's keys, written to --out DIR as KIND.html / .md
// / .json (--format). The same bundle and keys give byte-identical files. A
// report other than the verification report is never built from a bundle
// that did not verify.
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "client/cli.h"
#include "client/export.h"
#include "client/report_anchor.h"
#include "client/report_pdf.h"
#include "reports/aia_report.h"
#include "reports/annual_report.h"
#include "reports/citations.h"
#include "reports/fairness_report.h"
#include "reports/iso42001_report.h"
#include "reports/records.h"
#include "reports/restatements.h"
#include "reports/system_report.h"
#include "reports/verification_report.h"

namespace ailedger {
namespace {

// The bundle a report reads: --bundle FILE, or one exported from --server
// into --out DIR as ledger.bundle (kept: it is what a reader re-checks).
absl::StatusOr<std::string> BundlePath(const Cli& cli, const VerifyOptions& o) {
  if (cli.args.Has("bundle")) {
    if (cli.args.Get("bundle").empty()) return UsageError("--bundle: empty");
    return cli.args.Get("bundle");
  }
  if (!cli.args.Has("server"))
    return UsageError("--bundle FILE or --server ADDR is required");
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  const std::string dir = cli.args.Get("out", ".");
  std::filesystem::create_directories(dir);
  const std::string path = absl::StrCat(dir, "/ledger.bundle");
  ExportOptions eo;
  eo.trusted_checkpoint = o.trusted_checkpoint;
  {
    std::ofstream out(path + ".partial", std::ios::binary | std::ios::trunc);
    if (!out) return UsageError(absl::StrCat("--out: cannot write ", path));
    if (auto s = ExportBundle(**client, eo, &out); !s.ok()) return s.status();
    out.flush();
    if (!out) return absl::InternalError("export: write failed");
  }
  std::filesystem::rename(path + ".partial", path);
  *cli.out << "wrote " << path << "\n";
  return path;
}

absl::StatusOr<VerifyReport> VerifyBundleFile(const Cli& cli,
                                              const VerifyOptions& o,
                                              std::ifstream* in) {
  auto path = BundlePath(cli, o);
  if (!path.ok()) return path.status();
  in->open(*path, std::ios::binary);
  if (!*in || !in->seekg(0, std::ios::end) || in->tellg() < 0 || !in->seekg(0))
    return UsageError("--bundle: cannot read a seekable file there");
  auto report = VerifyBundle(in, o);
  if (!report.ok()) return UsageError(report.status().message());
  return report;
}

// --pdf: the HTML just written printed by headless Chromium. Not anchored:
// Chromium writes its creation time into the file.
absl::Status WritePdf(const Cli& cli, const reports::Report& r) {
  if (!absl::StrContains(cli.args.Get("format", "html,md,json"), "html"))
    return UsageError("--pdf prints the HTML form: add html to --format");
  const std::string base = absl::StrCat(cli.args.Get("out", "."), "/", r.kind);
  if (auto s = PrintPdf(base + ".html", base + ".pdf"); !s.ok()) return s;
  *cli.out << "wrote " << base << ".pdf\n";
  return absl::OkStatus();
}

// Writes the forms --format names; `written`, if given, gets (form, bytes) of
// each, the JSON first.
absl::Status WriteForms(
    const Cli& cli, const reports::Report& r,
    std::vector<std::pair<std::string, std::string>>* written = nullptr) {
  const std::string dir = cli.args.Get("out", ".");
  std::filesystem::create_directories(dir);
  for (absl::string_view form :
       absl::StrSplit(cli.args.Get("format", "html,md,json"), ',')) {
    std::string text;
    if (form == "html") {
      text = reports::RenderHtml(r);
    } else if (form == "md") {
      text = reports::RenderMarkdown(r);
    } else if (form == "json") {
      text = reports::RenderJson(r);
    } else {
      return UsageError(
          absl::StrCat("--format: html, md or json, not '", form, "'"));
    }
    const std::string path = absl::StrCat(dir, "/", r.kind, ".", form);
    if (auto s = WriteOutput(path, text); !s.ok()) return s;
    *cli.out << "wrote " << path << "\n";
    if (written == nullptr) continue;
    auto at = form == "json" ? written->begin() : written->end();
    written->insert(at, {std::string(form), std::move(text)});
  }
  return cli.args.Has("pdf") ? WritePdf(cli, r) : absl::OkStatus();
}

// --alpha, --adjust, --min-n, --edition, --min-cell (fairness_analysis.h).
absl::Status MetricOptionsFromFlags(const Cli& cli, reports::MetricOptions* o) {
  for (const char* flag : {"alpha", "adjust", "min-n", "edition", "min-cell"}) {
    if (!cli.args.Has(flag)) continue;
    if (auto s = reports::SetMetricOption(flag, cli.args.Get(flag), o); !s.ok())
      return UsageError(s.message());
  }
  return absl::OkStatus();
}

// --as-of YYYY-MM-DD: the end of that day, UTC, in Unix ms; 0 when absent.
absl::StatusOr<int64_t> AsOfFromFlag(const Cli& cli) {
  if (!cli.args.Has("as-of")) return 0;
  absl::Time t;
  std::string err;
  if (!absl::ParseTime("%Y-%m-%d", cli.args.Get("as-of"), absl::UTCTimeZone(),
                       &t, &err))
    return UsageError("--as-of: a date YYYY-MM-DD expected");
  return absl::ToUnixMillis(t + absl::Hours(24)) - 1;
}

// A bundle that verified gets the report of its records too (every record:
// no operational tally, so signer counts and compromise windows miss none),
// with its citations; one that failed gets what the verifier found.
absl::Status CmdReportVerification(const Cli& cli) {
  auto options = VerifyOptionsFromFlags(cli);
  if (!options.ok()) return options.status();
  options->progress = nullptr;
  std::ifstream in;
  auto verified = VerifyBundleFile(cli, *options, &in);
  if (!verified.ok()) return verified.status();
  if (!verified->verified) {
    if (auto s =
            WriteForms(cli, reports::VerificationReport(*verified, *options));
        !s.ok())
      return s;
    return absl::FailedPreconditionError(
        absl::StrCat("verification failed: ", verified->failure));
  }
  reports::ProofSource proofs;
  auto records = reports::ReadRecords(&in, verified->origin, &proofs);
  if (!records.ok()) return records.status();
  reports::Report report =
      reports::VerificationReport(*verified, *options, *records);
  reports::AttachCitations(*records, proofs, *verified, *options, &report);
  return WriteForms(cli, report);
}

// What every report but the verification report starts from: the bundle
// verified under the reader's keys (a bundle that does not verify gives no
// report), its records, and what proving a cited entry needs.
struct Verified {
  VerifyOptions options;
  VerifyReport report;
  std::vector<reports::Record> records;
  reports::ProofSource proofs;  // reads `bundle` again for cited leaves
  std::unique_ptr<std::ifstream> bundle;
};

// `tally`, if given, counts the operational records instead (records.h).
absl::StatusOr<Verified> VerifiedRecords(
    const Cli& cli, reports::OperationalTally* tally = nullptr) {
  auto options = VerifyOptionsFromFlags(cli);
  if (!options.ok()) return options.status();
  options->progress = nullptr;
  auto in = std::make_unique<std::ifstream>();
  auto verified = VerifyBundleFile(cli, *options, in.get());
  if (!verified.ok()) return verified.status();
  if (!verified->verified) {
    return absl::FailedPreconditionError(
        absl::StrCat("the bundle does not verify (", verified->failure,
                     "): no report is built from it"));
  }
  Verified v{*std::move(options), *std::move(verified), {}, {}, std::move(in)};
  auto records =
      reports::ReadRecords(v.bundle.get(), v.report.origin, &v.proofs, tally);
  if (!records.ok()) return records.status();
  v.records = *std::move(records);
  return v;
}

// --other-bundle FILE --other-vkey KEY...: another party's log, verified
// under its keys (no report trusts a bundle that does not verify), read for
// the external references the report checks against it.
struct OtherLog {
  std::string origin;
  std::vector<reports::Record> records;
};

absl::Status OtherLogFromFlags(const Cli& cli, OtherLog* other) {
  if (!cli.args.Has("other-bundle")) return absl::OkStatus();
  VerifyOptions o;
  for (const std::string& text : cli.args.Values("other-vkey")) {
    auto key = VerifierKey::Parse(text);
    if (!key.ok())
      return UsageError(absl::StrCat("--other-vkey: ", key.status().message()));
    o.log_keys.push_back(*std::move(key));
  }
  if (o.log_keys.empty())
    return UsageError("--other-bundle needs the other log's --other-vkey");
  std::ifstream in(cli.args.Get("other-bundle"), std::ios::binary);
  if (!in) return UsageError("--other-bundle: cannot read it");
  auto verified = VerifyBundle(&in, o);
  if (!verified.ok()) {
    return UsageError(
        absl::StrCat("--other-bundle: ", verified.status().message()));
  }
  if (!verified->verified) {
    return absl::FailedPreconditionError(
        absl::StrCat("--other-bundle does not verify (", verified->failure,
                     "): no report is built from it"));
  }
  auto records = reports::ReadRecords(&in, verified->origin);
  if (!records.ok()) return records.status();
  other->origin = verified->origin;
  other->records = *std::move(records);
  return absl::OkStatus();
}

// The organisation that registered `system`, or "".
std::string RegisteredBy(const std::vector<reports::Record>& records,
                         const std::string& system) {
  for (const reports::Record& r : records) {
    if (!r.event.has_system_registered()) continue;
    for (const auto& s : r.event.subjects())
      if (s.kind() == "system" && s.id() == system)
        return r.event.organisation();
  }
  return "";
}

// The period a report covers unless it names one: the verified entries'
// recording times, half-open.
AnchorInput AnchorOf(const Verified& v, const std::string& organisation) {
  AnchorInput a{organisation,  0, 1, v.report.checkpoint_size,
                v.report.root, {}};
  if (!v.records.empty()) {
    a.period_start_ms =
        static_cast<int64_t>(v.records.front().integrated_time_ms);
    a.period_end_ms =
        static_cast<int64_t>(v.records.back().integrated_time_ms) + 1;
  }
  return a;
}

// Adds the previous report of the kind and the citations, writes the forms
// and, with --anchor, appends a ReportPublished of them.
absl::Status Publish(const Cli& cli, const Verified& v, reports::Report report,
                     AnchorInput anchor) {
  if (!anchor.organisation.empty()) {
    reports::AddPreviousReport(v.records, v.proofs, v.report,
                               anchor.organisation, &report);
  }
  reports::AttachCitations(v.records, v.proofs, v.report, v.options, &report);
  if (auto s = WriteForms(cli, report, &anchor.forms); !s.ok()) return s;
  if (!cli.args.Has("anchor")) return absl::OkStatus();
  if (anchor.organisation.empty())
    return UsageError("--anchor: --organisation is required");
  return AnchorReport(cli, report, anchor);
}

// A report of one system built from the records of a verified bundle.
using SystemReport = std::function<absl::StatusOr<reports::Report>(
    const std::vector<reports::Record>&, const VerifyReport&,
    const VerifyOptions&, const std::string&)>;

absl::Status RunSystemReport(const Cli& cli, SystemReport build) {
  const std::string system = cli.args.Get("system");
  if (system.empty()) return UsageError("--system is required");
  auto v = VerifiedRecords(cli);
  if (!v.ok()) return v.status();
  auto report = build(v->records, v->report, v->options, system);
  if (!report.ok()) return report.status();
  const std::string organisation =
      cli.args.Get("organisation", RegisteredBy(v->records, system));
  return Publish(cli, *v, *std::move(report), AnchorOf(*v, organisation));
}

absl::Status CmdReportAia(const Cli& cli) {
  return RunSystemReport(cli, reports::AiaReport);
}

absl::Status CmdReportFairness(const Cli& cli) {
  reports::MetricOptions metrics;
  if (auto s = MetricOptionsFromFlags(cli, &metrics); !s.ok()) return s;
  return RunSystemReport(
      cli, [&metrics](const std::vector<reports::Record>& records,
                      const VerifyReport& verified, const VerifyOptions& o,
                      const std::string& system) {
        return reports::FairnessReport(records, verified, o, system, metrics);
      });
}

absl::Status CmdReportSystem(const Cli& cli) {
  return RunSystemReport(cli, reports::SystemReport);
}

absl::Status CmdReportAnnual(const Cli& cli) {
  reports::AnnualOptions a;
  a.organisation = cli.args.Get("organisation");
  if (a.organisation.empty()) return UsageError("--organisation is required");
  auto year = cli.args.GetUint<int>("year", 0, 1970, 9999);
  if (!year.ok()) return year.status();
  a.year = *year;
  if (auto s = MetricOptionsFromFlags(cli, &a.metrics); !s.ok()) return s;
  a.utc_day_boundaries = cli.args.Has("utc-days");
  if (cli.args.Has("immediately-hours")) {
    auto hours = cli.args.GetUint<int64_t>("immediately-hours", 0, 0, 24 * 365);
    if (!hours.ok()) return hours.status();
    a.immediately_policy_ms = *hours * 3'600'000;
  }
  OtherLog other;
  if (auto st = OtherLogFromFlags(cli, &other); !st.ok()) return st;
  if (!other.origin.empty()) {
    a.other_log = &other.records;
    a.other_origin = other.origin;
  }
  reports::OperationalTally tally;
  tally.late_after_ms = a.late_after_ms;
  a.operational = &tally;
  auto v = VerifiedRecords(cli, &tally);
  if (!v.ok()) return v.status();
  auto report = reports::AnnualReport(v->records, v->report, v->options, a);
  if (!report.ok()) return report.status();
  reports::AddRestatements(v->records, v->proofs, v->report, a, &*report);
  AnchorInput anchor = AnchorOf(*v, a.organisation);
  anchor.period_start_ms = a.start_ms();
  anchor.period_end_ms = a.end_ms();
  return Publish(cli, *v, *std::move(report), anchor);
}

absl::Status CmdReportIso42001(const Cli& cli) {
  const std::string organisation = cli.args.Get("organisation");
  if (organisation.empty()) return UsageError("--organisation is required");
  auto v = VerifiedRecords(cli);
  if (!v.ok()) return v.status();
  auto report =
      reports::Iso42001Report(v->records, v->report, v->options, organisation);
  if (!report.ok()) return report.status();
  return Publish(cli, *v, *std::move(report), AnchorOf(*v, organisation));
}

}  // namespace

// What every report reads and how (usage and flags shared by the commands).
#define LEDGER_REPORT_SOURCE_USAGE                                           \
  "(--bundle FILE | --server ADDR) --vkey LOGVKEY... --admin-vkey VKEY\n"    \
  "[--expect ROLE=VKEY...] [--trusted CHECKPOINT] [--witness-policy FILE]\n" \
  "[--out DIR (.)] [--format html,md,json] [--pdf]"
#define LEDGER_REPORT_ANCHOR_USAGE \
  "\n[--anchor --key KEY (a ReportPublished of the files, through --server)]"
#define LEDGER_REPORT_SOURCE_FLAGS \
  "bundle vkey admin-vkey expect trusted witness-policy out format "
#define LEDGER_REPORT_METRIC_USAGE                                  \
  "\n[--alpha A (0.05)] [--adjust holm|bh] [--min-n N] [--edition " \
  "auditor|public] [--min-cell K]"
#define LEDGER_REPORT_METRIC_FLAGS "alpha adjust min-n edition min-cell "

const CliCommand kReportAiaCommand{
    .name = "report aia",
    .summary = "the Canada AIA report of a system, from a verified log",
    .usage = "--system ID [--organisation ORG] " LEDGER_REPORT_SOURCE_USAGE
        LEDGER_REPORT_ANCHOR_USAGE,
    .flags = LEDGER_REPORT_SOURCE_FLAGS "system organisation",
    .switches = "anchor pdf",
    .run = CmdReportAia,
};

const CliCommand kReportFairnessCommand{
    .name = "report fairness",
    .summary = "the fairness report of a system, from a verified log",
    .usage = "--system ID [--organisation ORG] " LEDGER_REPORT_SOURCE_USAGE
        LEDGER_REPORT_METRIC_USAGE LEDGER_REPORT_ANCHOR_USAGE,
    .flags = LEDGER_REPORT_SOURCE_FLAGS LEDGER_REPORT_METRIC_FLAGS
    "system organisation",
    .switches = "anchor pdf",
    .run = CmdReportFairness,
};

// A factsheet is not a kind a ReportPublished takes: no --anchor.
const CliCommand kReportSystemCommand{
    .name = "report system",
    .summary =
        "a system's factsheet: lifecycle, versions, assessments, metrics, "
        "incidents, approvals",
    .usage = "--system ID " LEDGER_REPORT_SOURCE_USAGE,
    .flags = LEDGER_REPORT_SOURCE_FLAGS "system",
    .switches = "pdf",
    .run = CmdReportSystem,
};

const CliCommand kReportIso42001Command{
    .name = "report iso42001",
    .summary =
        "the ISO/IEC 42001 evidence pack of an organisation (SoA, "
        "versions, clauses)",
    .usage =
        "--organisation ORG [--as-of YYYY-MM-DD] " LEDGER_REPORT_SOURCE_USAGE
            LEDGER_REPORT_ANCHOR_USAGE,
    .flags = LEDGER_REPORT_SOURCE_FLAGS "organisation as-of",
    .switches = "anchor pdf",
    .run = CmdReportIso42001,
};

const CliCommand kReportAnnualCommand{
    .name = "report annual",
    .summary =
        "the annual impact report of an organisation, from a verified log",
    .usage = "--organisation ORG --year YYYY " LEDGER_REPORT_SOURCE_USAGE
        LEDGER_REPORT_METRIC_USAGE
             "\n[--utc-days (Art. 73 days end at midnight UTC)] "
             "[--immediately-hours H (the policy for 'immediately')]\n"
             "[--other-bundle FILE --other-vkey KEY... (another party's log, "
             "for the references to it)]" LEDGER_REPORT_ANCHOR_USAGE,
    .flags = LEDGER_REPORT_SOURCE_FLAGS LEDGER_REPORT_METRIC_FLAGS
    "organisation year immediately-hours other-bundle other-vkey",
    .switches = "anchor pdf utc-days",
    .run = CmdReportAnnual,
};

const CliCommand kReportVerificationCommand{
    .name = "report verification",
    .summary = "the verification report of a log (HTML, Markdown, JSON)",
    .usage = LEDGER_REPORT_SOURCE_USAGE,
    .flags = LEDGER_REPORT_SOURCE_FLAGS,
    .switches = "pdf",
    .run = CmdReportVerification,
};

#undef LEDGER_REPORT_SOURCE_USAGE
#undef LEDGER_REPORT_SOURCE_FLAGS
#undef LEDGER_REPORT_ANCHOR_USAGE
#undef LEDGER_REPORT_METRIC_USAGE
#undef LEDGER_REPORT_METRIC_FLAGS

}  // namespace ailedger
