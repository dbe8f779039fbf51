// Small-file I/O for keys, marks, receipts and notes.
#ifndef AILEDGER_LEDGER_FILE_UTIL_H_
#define AILEDGER_LEDGER_FILE_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// Reads a whole file. NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path);

// Writes a file durably: temp file, fsync, rename, fsync of the directory.
// `mode` as in open(2).
absl::Status WriteFileDurably(const std::string& path, absl::string_view data,
                              int mode = 0644);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_FILE_UTIL_H_
