#include "ledger/storage/event_index.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"

namespace ailedger {

namespace {

// A component preceded by its length: no prefix of one encoding is another's.
// Events are far below 4 GiB (kMaxEventSize), so every string fits a u32.
void PutComponent(absl::string_view s, std::string* out) {
  PutBigEndian32(static_cast<uint32_t>(s.size()), out);
  out->append(s.data(), s.size());
}

}  // namespace

std::string SubjectPrefix(const std::string& kind, const std::string& id) {
  std::string p = "s";
  PutComponent(kind, &p);
  PutComponent(id, &p);
  return p;
}

std::string TypePrefix(const std::string& event_type) {
  std::string p = "t";
  PutComponent(event_type, &p);
  return p;
}

std::string SupersededPrefix(const std::string& event_id) {
  return absl::StrCat("x", event_id);
}

std::string RetractedPrefix(const std::string& event_id) {
  return absl::StrCat("r", event_id);
}

std::string OrganisationPrefix(const std::string& organisation) {
  std::string p = "o";
  PutComponent(organisation, &p);
  return p;
}

uint32_t DayOf(int64_t occurred_at_ms) {
  constexpr int64_t kDayMs = 86400000;
  if (occurred_at_ms <= 0) return 0;
  return static_cast<uint32_t>(
      std::min<int64_t>(occurred_at_ms / kDayMs, UINT32_MAX));
}

std::string DayPrefix(uint32_t day) {
  std::string p = "m";
  for (int shift = 24; shift >= 0; shift -= 8)
    p.push_back(static_cast<char>((day >> shift) & 0xff));
  return p;
}

std::vector<std::pair<std::string, std::string>> IndexRowsFor(
    const v1::Event& event, uint64_t index) {
  std::vector<std::pair<std::string, std::string>> rows;
  auto add = [&](std::string prefix) {
    PutBigEndian64(index, &prefix);
    rows.emplace_back(std::move(prefix), "");
  };
  for (const auto& s : event.subjects()) add(SubjectPrefix(s.kind(), s.id()));
  add(TypePrefix(event.event_type()));
  if (!event.supersedes().empty()) add(SupersededPrefix(event.supersedes()));
  if (event.has_retraction())
    add(RetractedPrefix(event.retraction().retracts()));
  if (!event.organisation().empty())
    add(OrganisationPrefix(event.organisation()));
  add(DayPrefix(DayOf(event.occurred_at_ms())));
  return rows;
}

uint64_t IndexOfRow(const std::string& key) {
  return key.size() < 8
             ? 0
             : GetBigEndian64(absl::string_view(key).substr(key.size() - 8));
}

}  // namespace ailedger
