// A bundle's records read whole and written back, for tests that forge
// bundles (a log re-signed by its operator, an exporter that leaves records
// out) and check that the verifier refuses them.
#ifndef AILEDGER_TESTS_TESTING_BUNDLE_RECORDS_H_
#define AILEDGER_TESTS_TESTING_BUNDLE_RECORDS_H_

#include <string>
#include <vector>

#include "ledger/audit/bundle.h"

namespace ailedger::testing {

// Every record of the bundle at `path` after its magic (EXPECTs the magic).
std::vector<BundleRecord> ReadRecords(const std::string& path);

// Writes `records` as a bundle to `path` (ASSERTs each write).
void WriteRecords(const std::string& path,
                  const std::vector<BundleRecord>& records);

// `s` without its trailing newlines.
std::string Chomp(std::string s);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_BUNDLE_RECORDS_H_
