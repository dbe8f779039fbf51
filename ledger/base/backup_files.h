// A backup directory's bookkeeping, shared by the log, the sealed store and
// the witness (server/backup.h, server/sealed_backup.h,
// client/cli_witness_backup.cc; files only, so in base, below both): a manifest
// naming what was copied and the SHA-256 of every file, files copied durably,
// and a backup that appears under its name only once it is whole (built in
// DEST.partial, then renamed).
//
// The manifest, DEST/manifest, is text, one "KEY VALUE" a line, in this order
// (the log's fields only in a log's backup); files sorted by path:
//
// clang-format off
//   ailedger-backup/v1
//   kind log | sealed-store | witness-state
//   origin ORIGIN                       (log)
//   size N                              (log) the copy's tree size
//   root BASE64                         (log) its root
//   format-version V                    (log) kStoreFormatVersion of the copy
//   time YYYY-MM-DDTHH:MM:SSZ           when the copy was made (UTC)
//   file SHA256HEX RELATIVE/PATH        every file of the backup but itself
// clang-format on
#ifndef AILEDGER_LEDGER_BASE_BACKUP_FILES_H_
#define AILEDGER_LEDGER_BASE_BACKUP_FILES_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace ailedger {

inline constexpr char kBackupManifestName[] = "manifest";
inline constexpr char kBackupPartialSuffix[] = ".partial";

struct BackupManifest {
  std::string kind;
  // A log's backup only.
  std::string origin;
  uint64_t size = 0;
  std::string root;  // base64 of the 32-byte root
  uint32_t format_version = 0;
  int64_t time_ms = 0;
  // Relative path and lower-case hex SHA-256, sorted by path.
  std::vector<std::pair<std::string, std::string>> files;
};

std::string EncodeManifest(const BackupManifest& m);
// INVALID_ARGUMENT naming the line that is wrong (a path that is absolute,
// holds "..", or is listed twice is wrong).
absl::StatusOr<BackupManifest> ParseManifest(absl::string_view text);

// The regular files under `dir`, recursively, as sorted relative paths with
// their SHA-256; `skip` (may be empty) leaves out a relative path. A symbolic
// link or other special file is an error (FAILED_PRECONDITION naming it).
absl::StatusOr<std::vector<std::pair<std::string, std::string>>> HashFiles(
    const std::string& dir,
    const std::function<bool(const std::string&)>& skip = nullptr);

// Copies `from` to `to` (which must not exist), mode 0600, and fsyncs it.
// With `expect` (hex), DATA_LOSS unless the bytes copied have that SHA-256.
absl::Status CopyFileDurably(const std::string& from, const std::string& to,
                             const std::string& expect = "");
// fsync of a directory.
absl::Status SyncDirectory(const std::string& dir);

// Reads DIR/manifest of kind `kind` and checks every file it lists against its
// SHA-256 (DATA_LOSS naming the first that differs or is missing).
absl::StatusOr<BackupManifest> ReadVerifiedBackup(const std::string& dir,
                                                  const std::string& kind);

// Makes DEST.partial (FAILED_PRECONDITION if DEST exists, or if DEST.partial
// does: an earlier backup was interrupted) and returns its path.
absl::StatusOr<std::string> StartBackupDir(const std::string& dest);
// Writes the manifest into `partial` (files hashed there, the manifest left
// out), syncs, and renames `partial` to `dest`.
absl::Status FinishBackupDir(const std::string& partial,
                             const std::string& dest, BackupManifest m);

// Copies every file of `manifest` whose path starts with `prefix` from
// `backup` to `to` (made, must not exist), the prefix removed, each checked
// against its SHA-256 as it is copied, and syncs. Returns how many.
absl::StatusOr<size_t> RestoreFiles(const std::string& backup,
                                    const BackupManifest& manifest,
                                    const std::string& prefix,
                                    const std::string& to);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_BACKUP_FILES_H_
