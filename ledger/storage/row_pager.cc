#include "ledger/storage/row_pager.h"

#include <algorithm>

namespace ailedger {
namespace {

// Rows scanned per call.
constexpr size_t kPage = 4096;

// Above every key the stores hold: index keys start with a letter
// (event_index.h), meta keys with an ASCII name (meta_keys.h).
const std::string& KeySpaceEnd() {
  static const std::string* end = new std::string(16, '\xff');
  return *end;
}

}  // namespace

RowPager RowPager::Index(const LogStore& store) {
  return RowPager([&store](const std::string& b, const std::string& e,
                           size_t n) { return store.ScanIndex(b, e, n); },
                  nullptr);
}

RowPager RowPager::Meta(const LogStore& store, Keep keep) {
  return RowPager([&store](const std::string& b, const std::string& e,
                           size_t n) { return store.ScanMeta(b, e, n); },
                  std::move(keep));
}

absl::StatusOr<RowPager::Rows> RowPager::Next(size_t n) {
  Rows out;
  while (!done_ && out.size() < n) {
    const size_t want = keep_ ? kPage : n - out.size();
    auto page = scan_(from_, KeySpaceEnd(), want);
    if (!page.ok()) return page.status();
    if (page->size() < want) done_ = true;
    for (auto& row : *page) {
      // Resume after the last row looked at, kept or not.
      from_ = row.first + std::string(1, '\0');
      if (keep_ && !keep_(row.first)) continue;
      out.push_back(std::move(row));
      if (out.size() == n) {
        // Rows after this one in the page are read again next time.
        done_ = false;
        break;
      }
    }
  }
  return out;
}

absl::StatusOr<const std::pair<uint64_t, std::string>*>
CheckpointPager::Peek() {
  if (page_.empty() && from_ < end_) {
    auto page = store_.ScanCheckpoints(from_, end_, kPage);
    if (!page.ok()) return page.status();
    if (page->size() < kPage) from_ = end_;
    for (auto& row : *page) {
      from_ = std::max(from_, row.first + 1);
      page_.push_back(std::move(row));
    }
  }
  if (page_.empty()) return nullptr;
  return &page_.front();
}

}  // namespace ailedger
