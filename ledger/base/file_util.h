// Small-file I/O for keys, marks, receipts and notes.
#ifndef AILEDGER_LEDGER_BASE_FILE_UTIL_H_
#define AILEDGER_LEDGER_BASE_FILE_UTIL_H_

#include <istream>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace ailedger {

// The most ReadSmallFile reads: keys, notes, receipts, events, policies and
// seal inputs are far smaller; a gRPC message is capped at the same size.
inline constexpr size_t kMaxSmallFile = 64 << 20;

// The status for a failed file operation, by errno: a disk that refuses a
// write (ENOSPC, EDQUOT, EROFS, EIO while writing) is UNAVAILABLE, since the
// same write may succeed once the disk is fixed; EIO while reading is
// DATA_LOSS (the bytes are lost to this copy); anything else is INTERNAL. The
// message is "WHAT PATH: strerror".
absl::Status FileError(absl::string_view what, const std::string& path, int err,
                       bool reading = false);

// Reads a whole file of at most `max_bytes`. NOT_FOUND when it cannot be
// opened; OUT_OF_RANGE ("PATH: larger than N bytes") when it is bigger, read no
// further than one byte past the cap (a file, a pipe or a device alike).
absl::StatusOr<std::string> ReadSmallFile(const std::string& path,
                                          size_t max_bytes = kMaxSmallFile);

// The same bound on a stream (stdin); `name` names it in the error.
absl::StatusOr<std::string> ReadBounded(std::istream& in,
                                        const std::string& name,
                                        size_t max_bytes = kMaxSmallFile);

// Reads an open descriptor to its end, retrying EINTR, at most `max_bytes`
// (OUT_OF_RANGE beyond); `path` names it in errors. Does not close `fd`.
absl::StatusOr<std::string> ReadFd(int fd, const std::string& path,
                                   size_t max_bytes = kMaxSmallFile);

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

#endif  // AILEDGER_LEDGER_BASE_FILE_UTIL_H_
