// A bundle's records read whole and written back, for tests that forge
// bundles (a log re-signed by its operator, an exporter that leaves records
// out) and check that the verifier refuses them.
#ifndef AILEDGER_TESTS_TESTING_BUNDLE_RECORDS_H_
#define AILEDGER_TESTS_TESTING_BUNDLE_RECORDS_H_

#include <string>
#include <vector>

#include "ailedger/ledger.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/tlog/keys.h"
#include "ledger/tlog/leaf.h"

namespace ailedger::testing {

// Every record of the bundle at `path` after its magic (EXPECTs the magic).
std::vector<BundleRecord> ReadRecords(const std::string& path);

// Writes `records` as a bundle to `path` (ASSERTs each write).
void WriteRecords(const std::string& path,
                  const std::vector<BundleRecord>& records);

// The leaves re-chained (each prev_leaf_hash the hash of the one before),
// encoded; `*checkpoint` is a checkpoint over them signed by `log_key` (whose
// name is the origin): a log as the operator holding the log key could
// re-sign it.
std::vector<std::string> RechainAndSign(std::vector<Leaf> leaves,
                                        const SigningKey& log_key,
                                        std::string* checkpoint);

// Puts the event, signer and signature of `replacement` in `leaf`.
void ReplaceEvent(Leaf& leaf, const v1::AppendRequest& replacement);

// Replaces the event of leaf `index` (counted from the bundle's first leaf)
// by `replacement`'s, re-chains the leaves and re-signs the checkpoint that
// follows them with `log_key` (ASSERTs it there).
void ReplaceLeafAndResign(std::vector<BundleRecord>& records, size_t index,
                          const v1::AppendRequest& replacement,
                          const SigningKey& log_key);

// `s` without its trailing newlines.
std::string Chomp(std::string s);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_BUNDLE_RECORDS_H_
