// What the failover test (tests/e2e_ha_test.cc) checks of the receipts its
// appenders recorded, against the live log and against its export.
#ifndef AILEDGER_TESTS_TESTING_HA_RECEIPT_CHECKS_H_
#define AILEDGER_TESTS_TESTING_HA_RECEIPT_CHECKS_H_

#include <set>
#include <string>
#include <vector>

#include "client/ledger_client.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "tests/testing/ha_appenders.h"

namespace ailedger::testing {

// The hash of every leaf of the bundle at `path` (exported from index 0), in
// order; the bundle's checkpoint, opened with `log_key`, in `*checkpoint`
// (EXPECTs it opens).
std::vector<Hash> BundleLeafHashes(const std::string& path,
                                   const VerifierKey& log_key,
                                   Checkpoint* checkpoint);

// The event ids of the acknowledged appends whose index does not hold their
// leaf: as `reader` serves it (GetEntry), or in the exported `leaves`. A
// failure is added for the first few.
std::set<std::string> LostAppends(LedgerClient& reader,
                                  const std::vector<AckedAppend>& acked,
                                  const std::vector<Hash>& leaves);

// Every receipt's checkpoint opens with the log key and proves its leaf at
// its index; no size is named with two roots; each root is the root of the
// exported `leaves` at that size (computed here with CompactRange), so every
// checkpoint is consistent with every other. Returns the number of distinct
// sizes.
size_t ExpectReceiptCheckpointsAgree(const std::vector<AckedAppend>& acked,
                                     const std::vector<Hash>& leaves,
                                     const VerifierKey& log_key);

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_HA_RECEIPT_CHECKS_H_
