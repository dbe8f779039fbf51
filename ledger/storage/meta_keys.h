// The names of the meta rows, owned here with the rest of the key layout
// (rocksdb_store.cc's table; docs/STORAGE.md). No other file spells a meta key.
//
// clang-format off
//   "format_version"           u32 store format version (rocksdb_store.cc)
//   "tree_state"               EncodeTreeState (log_store.h)
//   "origin"                   the log's origin
//   "roster"                   RosterSnapshot as of the last commit
//   "phase/<kind>\0<id>"       a subject's lifecycle phase, one byte (lifecycle.h)
//   "erased/<hex id>.<n>"      u64 index of the Erasure ("1" in old stores)
//   "cosigned"                 the latest checkpoint a witness quorum cosigned
//   "cosigned/<u64 BE size>"   every cosigned checkpoint kept, by size: old
//                              entries' witnessed times (CosignedAtKey)
//   "log-key-rotation/<u64 BE index>"  u64 BE size of the first checkpoint
//                              after that LogKeyRotated: its handover
//                              (LogKeyRotationKey)
// clang-format on
#ifndef AILEDGER_LEDGER_STORAGE_META_KEYS_H_
#define AILEDGER_LEDGER_STORAGE_META_KEYS_H_

#include <cstdint>
#include <string>

#include "ledger/merkle/hash.h"

namespace ailedger {

// The row of a subject's phase; `subject` is lifecycle.h's PhaseKey.
std::string PhaseMetaKey(const std::string& subject);
// The row marking a sealed attachment erased, and its value: the index of the
// Erasure that erased it.
std::string ErasedKey(const Hash& event_id, uint32_t attachment);
std::string ErasedMarker(uint64_t erasure_index);

// The log's origin, written once by `ailedgerd init`.
inline constexpr char kOriginMetaKey[] = "origin";
// The roster snapshot (RosterSnapshot) as of the last commit: start-up reads
// it instead of replaying the log (stored_roster.h).
inline constexpr char kRosterMetaKey[] = "roster";
// The latest checkpoint a witness quorum cosigned (server/witness_submitter.h).
inline constexpr char kCosignedMetaKey[] = "cosigned";
// Every cosigned checkpoint, kept by size (big-endian, so rows sort by size):
// an export carries them so that a reader can say "recorded no later than T,
// per witness W" of old entries too (docs/BUNDLE.md).
inline constexpr char kCosignedAtPrefix[] = "cosigned/";
std::string CosignedAtKey(uint64_t size);
// The size of the checkpoint that hands the log over to the key a
// LogKeyRotated names (the first after it, signed by the old and the new
// key), by the rotation's index: what a rotation proof is made of
// (ledger/governance/log_key_rotation.h). Written in the rotation's batch.
inline constexpr char kLogKeyRotationPrefix[] = "log-key-rotation/";
std::string LogKeyRotationKey(uint64_t index);
// The prefix of every subject's phase row.
inline constexpr char kPhaseMetaPrefix[] = "phase/";

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_STORAGE_META_KEYS_H_
