// ailedger report verification | aia: reports (reports/) of a bundle, verified
// here first under the reader's keys, written to --out DIR as KIND.html / .md
// / .json (--format). The same bundle and keys give byte-identical files. A
// report other than the verification report is never built from a bundle
// that did not verify.
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli.h"
#include "client/report_anchor.h"
#include "reports/aia_report.h"
#include "reports/annual_report.h"
#include "reports/fairness_report.h"
#include "reports/iso42001_report.h"
#include "reports/records.h"
#include "reports/verification_report.h"

namespace ailedger {
namespace {

absl::StatusOr<VerifyReport> VerifyBundleFile(const Cli& cli,
                                              const VerifyOptions& o,
                                              std::ifstream* in) {
  const std::string path = cli.args.Get("bundle");
  if (path.empty()) return UsageError("--bundle FILE is required");
  in->open(path, std::ios::binary);
  if (!*in || !in->seekg(0, std::ios::end) || in->tellg() < 0 || !in->seekg(0))
    return UsageError("--bundle: cannot read a seekable file there");
  auto report = VerifyBundle(in, o);
  if (!report.ok()) return UsageError(report.status().message());
  return report;
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
  return absl::OkStatus();
}

absl::Status CmdReportVerification(const Cli& cli) {
  auto options = VerifyOptionsFromFlags(cli);
  if (!options.ok()) return options.status();
  options->progress = nullptr;
  std::ifstream in;
  auto verified = VerifyBundleFile(cli, *options, &in);
  if (!verified.ok()) return verified.status();
  if (auto s =
          WriteForms(cli, reports::VerificationReport(*verified, *options));
      !s.ok())
    return s;
  if (verified->verified) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("verification failed: ", verified->failure));
}

// A report of one system built from the records of a verified bundle.
using SystemReport = absl::StatusOr<reports::Report> (*)(
    const std::vector<reports::Record>&, const VerifyReport&,
    const VerifyOptions&, const std::string&);

// What every report but the verification report starts from: the bundle
// verified under the reader's keys (a bundle that does not verify gives no
// report) and its records.
struct Verified {
  VerifyOptions options;
  VerifyReport report;
  std::vector<reports::Record> records;
};

absl::StatusOr<Verified> VerifiedRecords(const Cli& cli) {
  auto options = VerifyOptionsFromFlags(cli);
  if (!options.ok()) return options.status();
  options->progress = nullptr;
  std::ifstream in;
  auto verified = VerifyBundleFile(cli, *options, &in);
  if (!verified.ok()) return verified.status();
  if (!verified->verified) {
    return absl::FailedPreconditionError(
        absl::StrCat("the bundle does not verify (", verified->failure,
                     "): no report is built from it"));
  }
  auto records = reports::ReadRecords(&in, verified->origin);
  if (!records.ok()) return records.status();
  return Verified{*std::move(options), *std::move(verified),
                  *std::move(records)};
}

// `flag`: what the report is of ("system", "organisation").
absl::Status RunSystemReport(const Cli& cli, SystemReport build,
                             const std::string& flag = "system") {
  const std::string system = cli.args.Get(flag);
  if (system.empty())
    return UsageError(absl::StrCat("--", flag, " is required"));
  auto v = VerifiedRecords(cli);
  if (!v.ok()) return v.status();
  auto report = build(v->records, v->report, v->options, system);
  if (!report.ok()) return report.status();
  return WriteForms(cli, *report);
}

absl::Status CmdReportAia(const Cli& cli) {
  return RunSystemReport(cli, reports::AiaReport);
}

absl::Status CmdReportFairness(const Cli& cli) {
  return RunSystemReport(cli, reports::FairnessReport);
}

absl::Status CmdReportAnnual(const Cli& cli) {
  reports::AnnualOptions a;
  a.organisation = cli.args.Get("organisation");
  if (a.organisation.empty()) return UsageError("--organisation is required");
  auto year = cli.args.GetUint<int>("year", 0, 1970, 9999);
  if (!year.ok()) return year.status();
  a.year = *year;
  auto v = VerifiedRecords(cli);
  if (!v.ok()) return v.status();
  auto report = reports::AnnualReport(v->records, v->report, v->options, a);
  if (!report.ok()) return report.status();
  AnchorInput anchor{a.organisation, a.start_ms(),
                     a.end_ms(),     v->report.checkpoint_size,
                     v->report.root, {}};
  if (auto s = WriteForms(cli, *report, &anchor.forms); !s.ok()) return s;
  if (!cli.args.Has("anchor")) return absl::OkStatus();
  return AnchorReport(cli, *report, anchor);
}

absl::Status CmdReportIso42001(const Cli& cli) {
  return RunSystemReport(cli, reports::Iso42001Report, "organisation");
}

}  // namespace

const CliCommand kReportAiaCommand{
    .name = "report aia",
    .summary = "the Canada AIA report of a system, from a verified bundle",
    .usage =
        "--system ID --bundle FILE --vkey LOGVKEY... --admin-vkey VKEY "
        "[--expect ROLE=VKEY...]\n"
        "[--witness-policy FILE] [--out DIR (.)] [--format html,md,json]",
    .flags = "system bundle vkey admin-vkey expect witness-policy out format",
    .run = CmdReportAia,
};

const CliCommand kReportFairnessCommand{
    .name = "report fairness",
    .summary = "the fairness report of a system, from a verified bundle",
    .usage = kReportAiaCommand.usage,
    .flags = kReportAiaCommand.flags,
    .run = CmdReportFairness,
};

const CliCommand kReportIso42001Command{
    .name = "report iso42001",
    .summary =
        "the ISO/IEC 42001 evidence pack of an organisation (SoA, "
        "versions, clauses)",
    .usage =
        "--organisation ORG --bundle FILE --vkey LOGVKEY... --admin-vkey VKEY "
        "[--expect ROLE=VKEY...]\n"
        "[--witness-policy FILE] [--out DIR (.)] [--format html,md,json]",
    .flags =
        "organisation bundle vkey admin-vkey expect witness-policy out format",
    .run = CmdReportIso42001,
};

const CliCommand kReportAnnualCommand{
    .name = "report annual",
    .summary =
        "the annual impact report of an organisation, from a verified "
        "bundle",
    .usage =
        "--organisation ORG --year YYYY --bundle FILE --vkey LOGVKEY... "
        "--admin-vkey VKEY\n"
        "[--expect ROLE=VKEY...] [--witness-policy FILE] [--out DIR (.)] "
        "[--format html,md,json]\n"
        "[--anchor --key KEY (a ReportPublished of the files, through "
        "--server)]",
    .flags =
        "organisation year bundle vkey admin-vkey expect witness-policy "
        "out format key",
    .switches = "anchor",
    .run = CmdReportAnnual,
};

const CliCommand kReportVerificationCommand{
    .name = "report verification",
    .summary = "the verification report of a bundle (HTML, Markdown, JSON)",
    .usage =
        "--bundle FILE --vkey LOGVKEY... --admin-vkey VKEY "
        "[--expect ROLE=VKEY...]\n"
        "[--witness-policy FILE] [--out DIR (.)] [--format html,md,json]",
    .flags = "bundle vkey admin-vkey expect witness-policy out format",
    .run = CmdReportVerification,
};

}  // namespace ailedger
