// A RocksDB file system over the local one that fails the way disks fail
// (RocksDB's public FileSystemWrapper, rocksdb/file_system.h): a sync that
// fails after the write reached the page cache, ENOSPC and EIO on writes, EIO
// and flipped bits on reads, and a power cut that keeps what was synced and a
// torn prefix of what was not. The store under test opens through it
// (RocksDbOptions::env = fault_fs->NewEnv()).
//
// Thread-safe: RocksDB calls it from its own threads while the test injects.
#ifndef AILEDGER_TESTS_TESTING_FAULT_FS_H_
#define AILEDGER_TESTS_TESTING_FAULT_FS_H_

#include <rocksdb/env.h>
#include <rocksdb/file_system.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace ailedger::testing {

class FaultFs : public rocksdb::FileSystemWrapper {
 public:
  enum class Fault {
    kNone,
    kSyncFails,    // Sync/Fsync return EIO; the bytes stay written, unsynced
    kNoSpace,      // Append returns ENOSPC, nothing written
    kWriteEio,     // Append returns EIO, nothing written
    kReadEio,      // Read returns EIO
    kReadCorrupt,  // Read returns the bytes with one bit flipped
  };
  // Which files a fault hits, by the end of their name.
  enum class Files { kAny, kWal, kSst, kManifest };

  FaultFs();
  static std::shared_ptr<FaultFs> Create() {
    return std::make_shared<FaultFs>();
  }
  // An Env doing its file I/O through `fs` (keep `fs` alive as long).
  static std::shared_ptr<rocksdb::Env> NewEnv(
      const std::shared_ptr<FaultFs>& fs);

  // From now on, every matching operation fails with `fault`, `times` times
  // (-1: until Clear).
  void Inject(Fault fault, Files files, int times = -1);
  void Clear() { Inject(Fault::kNone, Files::kAny, 0); }
  // How many operations the faults have hit so far.
  int hits() const;

  // The power cut: from now on every write, sync, rename and delete fails,
  // so what RocksDB does while closing cannot reach the disk. Then, once the
  // store is destroyed, DropUnsyncedData makes every file written through
  // this file system what a disk would hold after the cut: its synced bytes
  // and the first `torn_bytes` of its unsynced tail; files never synced are
  // removed.
  void PowerCut();
  void DropUnsyncedData(size_t torn_bytes);

  const char* Name() const override { return "FaultFs"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name,
                                    const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* r,
                                    rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReopenWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus ReuseWritableFile(
      const std::string& name, const std::string& old_name,
      const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus NewRandomAccessFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSRandomAccessFile>* r,
      rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus RenameFile(const std::string& from, const std::string& to,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;
  rocksdb::IOStatus DeleteFile(const std::string& name,
                               const rocksdb::IOOptions& options,
                               rocksdb::IODebugContext* dbg) override;

  // For the file wrappers (fault_fs.cc).
  enum class Op { kWrite, kSync, kRead };
  // The fault to apply to `op` on `name` now (kNone: none), counting the hit.
  Fault Take(Op op, const std::string& name);
  void Wrote(const std::string& name, size_t bytes);
  void Synced(const std::string& name);
  bool cut() const;

 private:
  struct Written {
    size_t size = 0;    // bytes appended through this file system
    size_t synced = 0;  // of them, synced
  };
  static bool Matches(Files files, const std::string& name);

  mutable std::mutex mu_;
  Fault fault_ = Fault::kNone;
  Files files_ = Files::kAny;
  int times_ = 0;
  int hits_ = 0;
  bool cut_ = false;
  std::map<std::string, Written> written_;
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_FAULT_FS_H_
