// Writing an export bundle from a live log (docs/BUNDLE.md), streaming: leaves
// go to the output as they arrive, so memory does not grow with the ledger.
#ifndef AILEDGER_CLIENT_EXPORT_H_
#define AILEDGER_CLIENT_EXPORT_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "client/ledger_client.h"

namespace ailedger {

struct ExportOptions {
  uint64_t from = 0;
  std::optional<uint64_t> to;  // default: the checkpoint's size
  // A signed note the reader already trusts, or "".
  std::string trusted_checkpoint;
  std::string checkpoint;  // export against exactly this note; "" = the newest
  std::function<void(uint64_t done, uint64_t total)> progress;  // may be empty
};

// Exports [from, to) with everything `ailedger verify` needs to check it alone.
// Returns the signed checkpoint the bundle carries.
absl::StatusOr<std::string> ExportBundle(LedgerClient& client,
                                         const ExportOptions& options,
                                         std::ostream* out);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_EXPORT_H_
