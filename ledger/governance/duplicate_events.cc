#include "ledger/governance/duplicate_events.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <queue>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

using Entry = DuplicateEvents::Entry;
static_assert(sizeof(Entry) == 40, "entries are spilled as raw bytes");

bool Less(const Entry& a, const Entry& b) {
  return a.id != b.id ? a.id < b.id : a.index < b.index;
}

absl::Status IoError(absl::string_view what) {
  return absl::InternalError(
      absl::StrCat("duplicate check: cannot ", what,
                   " its temporary file (TMPDIR): ", std::strerror(errno)));
}

// Reads one spilled run in blocks.
class RunCursor {
 public:
  RunCursor(int fd, uint64_t offset, uint64_t count, size_t block)
      : fd_(fd), next_(offset), end_(offset + count), block_(block) {}

  // The next entry, nullopt at the end of the run; `*error` set on a read
  // failure.
  std::optional<Entry> Next(absl::Status* error) {
    if (pos_ == buf_.size()) {
      if (next_ == end_) return std::nullopt;
      buf_.resize(std::min<uint64_t>(block_, end_ - next_));
      const size_t bytes = buf_.size() * sizeof(Entry);
      size_t got = 0;
      while (got < bytes) {
        ssize_t n = pread(fd_, reinterpret_cast<char*>(buf_.data()) + got,
                          bytes - got, next_ * sizeof(Entry) + got);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
          *error = IoError("read back");
          return std::nullopt;
        }
        got += n;
      }
      next_ += buf_.size();
      pos_ = 0;
    }
    return buf_[pos_++];
  }

 private:
  const int fd_;
  uint64_t next_;
  const uint64_t end_;
  const size_t block_;
  std::vector<Entry> buf_;
  size_t pos_ = 0;
};

// Walks entries in (id, index) order and keeps the duplicate with the smallest
// later index; on the way, settles the wanted ids (sorted the same way): each
// must be logged before the entry that cites it.
class Scan {
 public:
  explicit Scan(const std::vector<Entry>* wanted) : wanted_(wanted) {}

  void See(const Entry& e) {
    if (prev_ && prev_->id == e.id) {
      if (!found_ || e.index < found_->first) found_ = {e.index, first_};
    } else {
      first_ = e.index;
      Settle(&e);
    }
    prev_ = e;
  }
  // After the last entry: every wanted id not seen is unresolved.
  std::optional<std::pair<uint64_t, Hash>> Unresolved() {
    Settle(nullptr);
    return unresolved_;
  }
  absl::Status Result() const {
    if (!found_) return absl::OkStatus();
    return absl::FailedPreconditionError(
        absl::StrCat("index ", found_->first,
                     ": duplicate of the event at index ", found_->second));
  }

 private:
  // Wanted ids up to `e`'s (all, when null): below it, never logged; equal,
  // logged first at e->index.
  void Settle(const Entry* e) {
    for (; next_ < wanted_->size(); ++next_) {
      const Entry& w = (*wanted_)[next_];
      if (e != nullptr && e->id < w.id) break;
      if (e != nullptr && e->id == w.id && e->index < w.index) continue;
      if (!unresolved_ || w.index < unresolved_->first)
        unresolved_ = {w.index, w.id};
    }
  }

  const std::vector<Entry>* wanted_;
  size_t next_ = 0;
  std::optional<std::pair<uint64_t, Hash>> unresolved_;
  std::optional<Entry> prev_;
  uint64_t first_ = 0;
  std::optional<std::pair<uint64_t, uint64_t>> found_;
};

}  // namespace

DuplicateEvents::DuplicateEvents(size_t memory_budget)
    : max_entries_(std::max<size_t>(1024, memory_budget / sizeof(Entry))) {}

DuplicateEvents::~DuplicateEvents() {
  if (fd_ >= 0) close(fd_);
}

absl::Status DuplicateEvents::Add(const Hash& id, uint64_t index) {
  if (buffer_.size() == max_entries_) {
    if (auto s = Spill(); !s.ok()) return s;
  }
  if (buffer_.size() == buffer_.capacity()) {
    // Grow by doubling, but never past the budget.
    buffer_.reserve(
        std::min(max_entries_, std::max<size_t>(1024, 2 * buffer_.capacity())));
  }
  buffer_.push_back({id, index});
  return absl::OkStatus();
}

absl::Status DuplicateEvents::Spill() {
  if (fd_ < 0) {
    std::string path =
        (std::filesystem::temp_directory_path() / "ailedger-ids-XXXXXX")
            .string();
    fd_ = mkstemp(path.data());
    if (fd_ < 0) return IoError("create");
    unlink(path.c_str());  // gone when the process ends, however it ends
  }
  std::sort(buffer_.begin(), buffer_.end(), Less);
  const char* p = reinterpret_cast<const char*>(buffer_.data());
  size_t left = buffer_.size() * sizeof(Entry);
  off_t at = spilled_ * sizeof(Entry);
  while (left > 0) {
    ssize_t n = pwrite(fd_, p, left, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return IoError("write");
    p += n, left -= n, at += n;
  }
  runs_.push_back({spilled_, buffer_.size()});
  spilled_ += buffer_.size();
  buffer_.clear();
  return absl::OkStatus();
}

void DuplicateEvents::Want(const Hash& id, uint64_t index) {
  wanted_.push_back({id, index});
}

absl::Status DuplicateEvents::Finish() {
  std::sort(wanted_.begin(), wanted_.end(), Less);
  Scan scan(&wanted_);
  if (runs_.empty()) {
    std::sort(buffer_.begin(), buffer_.end(), Less);
    for (const Entry& e : buffer_) scan.See(e);
    unresolved_ = scan.Unresolved();
    return scan.Result();
  }
  if (!buffer_.empty()) {
    if (auto s = Spill(); !s.ok()) return s;
  }
  std::vector<Entry>().swap(buffer_);  // the budget goes to the merge
  const size_t block = std::max<size_t>(64, max_entries_ / runs_.size());
  std::vector<RunCursor> cursors;
  for (const Run& r : runs_)
    cursors.emplace_back(fd_, r.offset, r.count, block);
  using Head = std::pair<Entry, size_t>;  // an entry and its run
  auto greater = [](const Head& a, const Head& b) {
    return Less(b.first, a.first);
  };
  std::priority_queue<Head, std::vector<Head>, decltype(greater)> heads(
      greater);
  absl::Status error;
  for (size_t i = 0; i < cursors.size(); ++i) {
    if (auto e = cursors[i].Next(&error)) heads.push({*e, i});
  }
  while (!heads.empty() && error.ok()) {
    auto [e, i] = heads.top();
    heads.pop();
    scan.See(e);
    if (auto next = cursors[i].Next(&error)) heads.push({*next, i});
  }
  unresolved_ = scan.Unresolved();
  return error.ok() ? scan.Result() : error;
}

}  // namespace ailedger
