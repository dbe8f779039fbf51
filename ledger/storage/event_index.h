// Secondary index rows for Query, written in the same batch as their leaf. Each
// row's key ends in the entry's u64 big-endian index, so a scan of one prefix
// yields entries in index order; values are empty. Every variable-length
// component is preceded by its length (u32 big-endian), so no two different
// subjects, types or organisations share a prefix, whatever bytes they hold
// (store format version 2; version 1 ended components with NUL, and a NUL
// inside a subject id let one subject's rows sort inside another's range).
//
//   's' u32 n, kind, u32 n, id, u64 index   entries naming subject (kind, id)
//   't' u32 n, event_type, u64 index        entries of a type
//   'o' u32 n, organisation, u64 index      entries for an organisation
//   'm' u32 day, u64 index                  entries that occurred on that day
//                                           (occurred_at_ms / 86,400,000; 0
//                                           for times at or before the epoch)
//   'x' [32] event id, u64 index            the event superseded by `index`
//   'r' [32] event id, u64 index            the event retracted by `index`
//
// (u32 n: the length of the string that follows.)
//
// The rows are a convenience: they can be rebuilt from the leaves
// (IndexRowsFor; `ailedgerd check-indexes --repair`), and only a verified full
// range proves completeness.
#ifndef AILEDGER_LEDGER_STORAGE_EVENT_INDEX_H_
#define AILEDGER_LEDGER_STORAGE_EVENT_INDEX_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ailedger/event.pb.h"

namespace ailedger {

std::vector<std::pair<std::string, std::string>> IndexRowsFor(
    const v1::Event& event, uint64_t index);

std::string SubjectPrefix(const std::string& kind, const std::string& id);
std::string TypePrefix(const std::string& event_type);
std::string OrganisationPrefix(const std::string& organisation);
// The day bucket of an occurred_at time, and the prefix of its rows.
uint32_t DayOf(int64_t occurred_at_ms);
std::string DayPrefix(uint32_t day);
// Rows marking an event (by its 32-byte id) as superseded or retracted, ending
// in the index of the correcting or retracting event.
std::string SupersededPrefix(const std::string& event_id);
std::string RetractedPrefix(const std::string& event_id);

// The index at the end of a row key (the last 8 bytes).
uint64_t IndexOfRow(const std::string& key);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_EVENT_INDEX_H_
