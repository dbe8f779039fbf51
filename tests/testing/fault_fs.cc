#include "tests/testing/fault_fs.h"

#include <filesystem>
#include <utility>

namespace ailedger::testing {
namespace {

using rocksdb::IODebugContext;
using rocksdb::IOOptions;
using rocksdb::IOStatus;
using rocksdb::Slice;

IOStatus Injected(FaultFs::Fault f, const std::string& name) {
  if (f == FaultFs::Fault::kNoSpace) {
    return IOStatus::NoSpace("injected ENOSPC", name);
  }
  return IOStatus::IOError("injected EIO", name);
}

IOStatus AfterTheCut(const std::string& name) {
  return IOStatus::IOError("power cut", name);
}

class FaultyWritableFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  FaultyWritableFile(std::unique_ptr<rocksdb::FSWritableFile> file,
                     std::string name, FaultFs* fs)
      : FSWritableFileOwnerWrapper(std::move(file)),
        name_(std::move(name)),
        fs_(fs) {}

  IOStatus Append(const Slice& data, const IOOptions& o,
                  IODebugContext* dbg) override {
    if (IOStatus s = BeforeWrite(); !s.ok()) return s;
    IOStatus s = target()->Append(data, o, dbg);
    if (s.ok()) fs_->Wrote(name_, data.size());
    return s;
  }
  IOStatus Append(const Slice& data, const IOOptions& o,
                  const rocksdb::DataVerificationInfo&,
                  IODebugContext* dbg) override {
    return Append(data, o, dbg);
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& o, IODebugContext* dbg) override {
    if (IOStatus s = BeforeWrite(); !s.ok()) return s;
    IOStatus s = target()->PositionedAppend(data, offset, o, dbg);
    if (s.ok()) fs_->Wrote(name_, data.size());
    return s;
  }
  IOStatus PositionedAppend(const Slice& data, uint64_t offset,
                            const IOOptions& o,
                            const rocksdb::DataVerificationInfo&,
                            IODebugContext* dbg) override {
    return PositionedAppend(data, offset, o, dbg);
  }
  IOStatus Truncate(uint64_t size, const IOOptions& o,
                    IODebugContext* dbg) override {
    if (fs_->cut()) return AfterTheCut(name_);
    return target()->Truncate(size, o, dbg);
  }
  IOStatus Sync(const IOOptions& o, IODebugContext* dbg) override {
    return DoSync([&] { return target()->Sync(o, dbg); });
  }
  IOStatus Fsync(const IOOptions& o, IODebugContext* dbg) override {
    return DoSync([&] { return target()->Fsync(o, dbg); });
  }

 private:
  IOStatus BeforeWrite() {
    if (fs_->cut()) return AfterTheCut(name_);
    FaultFs::Fault f = fs_->Take(FaultFs::Op::kWrite, name_);
    if (f != FaultFs::Fault::kNone) return Injected(f, name_);
    return IOStatus::OK();
  }
  template <typename F>
  IOStatus DoSync(F sync) {
    if (fs_->cut()) return AfterTheCut(name_);
    if (fs_->Take(FaultFs::Op::kSync, name_) != FaultFs::Fault::kNone) {
      return IOStatus::IOError("injected EIO on sync", name_);
    }
    IOStatus s = sync();
    if (s.ok()) fs_->Synced(name_);
    return s;
  }

  const std::string name_;
  FaultFs* const fs_;
};

class FaultyRandomAccessFile : public rocksdb::FSRandomAccessFileOwnerWrapper {
 public:
  FaultyRandomAccessFile(std::unique_ptr<rocksdb::FSRandomAccessFile> file,
                         std::string name, FaultFs* fs)
      : FSRandomAccessFileOwnerWrapper(std::move(file)),
        name_(std::move(name)),
        fs_(fs) {}

  IOStatus Read(uint64_t offset, size_t n, const IOOptions& o, Slice* result,
                char* scratch, IODebugContext* dbg) const override {
    FaultFs::Fault f = fs_->Take(FaultFs::Op::kRead, name_);
    if (f == FaultFs::Fault::kReadEio) return Injected(f, name_);
    IOStatus s = target()->Read(offset, n, o, result, scratch, dbg);
    if (s.ok() && f == FaultFs::Fault::kReadCorrupt) Flip(result, scratch);
    return s;
  }
  IOStatus MultiRead(rocksdb::FSReadRequest* reqs, size_t num_reqs,
                     const IOOptions& o, IODebugContext* dbg) override {
    for (size_t i = 0; i < num_reqs; ++i) {
      reqs[i].status = Read(reqs[i].offset, reqs[i].len, o, &reqs[i].result,
                            reqs[i].scratch, dbg);
    }
    return IOStatus::OK();
  }

 private:
  // One bit of the middle byte, in a copy the file does not share.
  static void Flip(Slice* result, char* scratch) {
    if (result->empty() || scratch == nullptr) return;
    if (result->data() != scratch) {
      std::copy(result->data(), result->data() + result->size(), scratch);
      *result = Slice(scratch, result->size());
    }
    scratch[result->size() / 2] ^= 0x10;
  }

  const std::string name_;
  FaultFs* const fs_;
};

bool EndsWith(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() &&
         s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

FaultFs::FaultFs() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

std::shared_ptr<rocksdb::Env> FaultFs::NewEnv(
    const std::shared_ptr<FaultFs>& fs) {
  return std::shared_ptr<rocksdb::Env>(rocksdb::NewCompositeEnv(fs).release());
}

void FaultFs::Inject(Fault fault, Files files, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  fault_ = fault;
  files_ = files;
  times_ = times;
}

int FaultFs::hits() const {
  std::lock_guard<std::mutex> lock(mu_);
  return hits_;
}

bool FaultFs::cut() const {
  std::lock_guard<std::mutex> lock(mu_);
  return cut_;
}

void FaultFs::PowerCut() {
  std::lock_guard<std::mutex> lock(mu_);
  cut_ = true;
}

bool FaultFs::Matches(Files files, const std::string& name) {
  switch (files) {
    case Files::kAny:
      return true;
    case Files::kWal:
      return EndsWith(name, ".log");
    case Files::kSst:
      return EndsWith(name, ".sst");
    case Files::kManifest:
      return name.find("MANIFEST-") != std::string::npos;
  }
  return false;
}

FaultFs::Fault FaultFs::Take(Op op, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  if (fault_ == Fault::kNone || times_ == 0 || !Matches(files_, name)) {
    return Fault::kNone;
  }
  const bool applies =
      (op == Op::kSync && fault_ == Fault::kSyncFails) ||
      (op == Op::kWrite &&
       (fault_ == Fault::kNoSpace || fault_ == Fault::kWriteEio)) ||
      (op == Op::kRead &&
       (fault_ == Fault::kReadEio || fault_ == Fault::kReadCorrupt));
  if (!applies) return Fault::kNone;
  if (times_ > 0) --times_;
  ++hits_;
  return fault_;
}

void FaultFs::Wrote(const std::string& name, size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  written_[name].size += bytes;
}

void FaultFs::Synced(const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  Written& w = written_[name];
  w.synced = w.size;
}

void FaultFs::DropUnsyncedData(size_t torn_bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  std::error_code ec;
  for (const auto& [name, w] : written_) {
    if (w.synced == 0 && w.size > 0) {
      std::filesystem::remove(name, ec);
      continue;
    }
    const size_t keep = std::min(w.size, w.synced + torn_bytes);
    if (std::filesystem::exists(name, ec)) {
      std::filesystem::resize_file(name, keep, ec);
    }
  }
  written_.clear();
}

rocksdb::IOStatus FaultFs::NewWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (cut()) return AfterTheCut(name);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->NewWritableFile(name, options, &file, dbg);
  if (!s.ok()) return s;
  {
    std::lock_guard<std::mutex> lock(mu_);
    written_[name] = Written{};
  }
  r->reset(new FaultyWritableFile(std::move(file), name, this));
  return s;
}

rocksdb::IOStatus FaultFs::ReopenWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  if (cut()) return AfterTheCut(name);
  std::unique_ptr<rocksdb::FSWritableFile> file;
  IOStatus s = target()->ReopenWritableFile(name, options, &file, dbg);
  if (!s.ok()) return s;
  {
    std::error_code ec;
    const size_t existing = std::filesystem::file_size(name, ec);
    std::lock_guard<std::mutex> lock(mu_);
    if (!written_.count(name)) written_[name] = Written{existing, existing};
  }
  r->reset(new FaultyWritableFile(std::move(file), name, this));
  return s;
}

rocksdb::IOStatus FaultFs::ReuseWritableFile(
    const std::string& name, const std::string& old_name,
    const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* r, IODebugContext* dbg) {
  // Not a recycled file: a new one, whose bytes are tracked from zero.
  return NewWritableFile(name, options, r, dbg);
}

rocksdb::IOStatus FaultFs::NewRandomAccessFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSRandomAccessFile>* r, IODebugContext* dbg) {
  std::unique_ptr<rocksdb::FSRandomAccessFile> file;
  IOStatus s = target()->NewRandomAccessFile(name, options, &file, dbg);
  if (!s.ok()) return s;
  r->reset(new FaultyRandomAccessFile(std::move(file), name, this));
  return s;
}

rocksdb::IOStatus FaultFs::RenameFile(const std::string& from,
                                      const std::string& to,
                                      const IOOptions& options,
                                      IODebugContext* dbg) {
  if (cut()) return AfterTheCut(from);
  IOStatus s = target()->RenameFile(from, to, options, dbg);
  if (!s.ok()) return s;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = written_.find(from);
  if (it != written_.end()) {
    written_[to] = it->second;
    written_.erase(from);
  } else {
    written_.erase(to);
  }
  return s;
}

rocksdb::IOStatus FaultFs::DeleteFile(const std::string& name,
                                      const IOOptions& options,
                                      IODebugContext* dbg) {
  if (cut()) return AfterTheCut(name);
  IOStatus s = target()->DeleteFile(name, options, dbg);
  std::lock_guard<std::mutex> lock(mu_);
  if (s.ok()) written_.erase(name);
  return s;
}

}  // namespace ailedger::testing
