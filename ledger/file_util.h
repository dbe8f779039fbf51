// Small-file I/O for keys, marks, receipts and notes.
#ifndef AILEDGER_LEDGER_FILE_UTIL_H_
#define AILEDGER_LEDGER_FILE_UTIL_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// Reads a whole file. NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path);

// Reads a file that holds a secret (a private key). FAILED_PRECONDITION, as
// ssh does, when its group or others may read or write it ("PATH: permissions
// 0644 are too open; chmod 600 PATH") or when it is not a regular file;
// NOT_FOUND when it cannot be opened.
absl::StatusOr<std::string> ReadPrivateFile(const std::string& path);

// What WriteFileDurably does when `path` already exists (as anything: a file,
// a directory, a symbolic link, even a dangling one).
enum class IfExists {
  kReplace,  // replace the name; a symbolic link is replaced, never followed
  kRefuse,   // ALREADY_EXISTS "PATH: already exists", nothing written
};

// Writes a file durably: a new temporary file of a random name next to `path`
// (O_CREAT|O_EXCL|O_NOFOLLOW with `mode` as in open(2), so a file or link
// planted there is never reused or followed), fsync, then rename (kReplace) or
// link (kRefuse) to `path`, then fsync of the directory.
absl::Status WriteFileDurably(const std::string& path, absl::string_view data,
                              int mode = 0644,
                              IfExists if_exists = IfExists::kReplace);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_FILE_UTIL_H_
