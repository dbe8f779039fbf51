// The generated history (tools/history.h) as a verified bundle would give it
// to a report, without a server: index order from 1 (index 0 is the
// genesis), recorded at the story's time, the signers' summaries from the
// roster's grants, no proofs. For in-memory tests of the reports.
#ifndef AILEDGER_TESTS_TESTING_HISTORY_RECORDS_H_
#define AILEDGER_TESTS_TESTING_HISTORY_RECORDS_H_

#include <string>
#include <vector>

#include "ledger/audit/bundle_verifier.h"
#include "reports/records.h"
#include "tools/history.h"

namespace ailedger::testing {

struct HistoryLog {
  std::vector<reports::Record> records;
  VerifyReport verified;
};

// `admin_seed` names the genesis admin's key (SigningKey::FromSeed of its
// HashLeaf): the same options and seed give the same records, byte for byte.
HistoryLog HistoryAsVerified(const history::Options& options,
                             const std::string& admin_seed);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_HISTORY_RECORDS_H_
