// The report model (issue 13, "Where it lives"): what every report is before
// a renderer turns it into HTML, Markdown or JSON. Reports are built from
// verified records only, and the same inputs give the same bytes: nothing in
// a report reads the clock or the host.
#ifndef AILEDGER_REPORTS_REPORT_H_
#define AILEDGER_REPORTS_REPORT_H_

#include <string>
#include <utility>
#include <vector>

#include "ledger/audit/bundle_verifier.h"
#include "nlohmann/json.hpp"
#include "reports/chart.h"

namespace ailedger::reports {

// The generator named in every report (and in a ReportPublished anchoring it).
inline constexpr char kGenerator[] = "ailedger-reports 0.1";

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

struct Section {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<Table> tables;
  std::vector<Chart> charts = {};  // after the paragraphs, before tables
};

// Common to every report (issue 13, "Envelope"): what was verified, against
// which keys and checkpoint, with which result, by which generator, from which
// reference data and parameters.
struct Envelope {
  std::string origin;
  std::vector<std::string> log_keys;  // the reader's, as given
  uint64_t from = 0, to = 0;
  bool complete_range = false;  // from 0: the only range a report may call
                                // complete
  uint64_t checkpoint_size = 0;
  std::string checkpoint_root;  // base64
  size_t cosignatures = 0;
  std::vector<WitnessedCheckpoint> witnessed;
  bool verified = false;
  std::string failure;
  std::string generator = kGenerator;
  // (name, SHA-256 hex) of each piece of reference data used.
  std::vector<std::pair<std::string, std::string>> reference_data;
  // (name, value) of each parameter.
  std::vector<std::pair<std::string, std::string>> parameters;
  // The previous anchored report of the same kind and the consistency of this
  // report's log with it (restatements.h AddPreviousReport); "" when not
  // looked for.
  std::string previous_report;
};

Envelope EnvelopeOf(const VerifyReport& r, const VerifyOptions& o);

struct Report {
  std::string kind;  // a ReportPublished kind ("verification", ...)
  std::string title;
  Envelope envelope;
  std::vector<Section> sections;
  // Every figure with its inputs, for machines (the JSON form carries it).
  nlohmann::json data = nlohmann::json::object();
};

// The three forms. Deterministic: the same report gives the same bytes.
std::string RenderJson(const Report& r);
std::string RenderMarkdown(const Report& r);
// One self-contained file: inline CSS, no script, no network, escaped text.
std::string RenderHtml(const Report& r);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_REPORT_H_
