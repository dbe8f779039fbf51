// `report annual --anchor`: appends a ReportPublished that anchors the files
// just written (their SHA-256 digests) to the state they were computed from
// (the verified bundle's checkpoint size and root), linking the previous
// report of the same kind by the same organisation. The sequencer checks that
// the size and root are the log's own (role table version 3), so a report
// cannot anchor a state that never existed.
#ifndef AILEDGER_CLIENT_REPORT_ANCHOR_H_
#define AILEDGER_CLIENT_REPORT_ANCHOR_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "client/cli.h"
#include "reports/report.h"

namespace ailedger {

struct AnchorInput {
  std::string organisation;
  int64_t period_start_ms = 0, period_end_ms = 0;
  uint64_t tree_size = 0;
  Hash root{};
  // (form, bytes) of each file written; the first is the anchored digest.
  std::vector<std::pair<std::string, std::string>> forms;
};

// Signs with --key and appends through --server; prints the receipt.
absl::Status AnchorReport(const Cli& cli, const reports::Report& report,
                          const AnchorInput& in);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_REPORT_ANCHOR_H_
