// What the verification report (verification_report.h) reads off the records
// of a bundle that verified, in two passes and without an index of every
// event id (a 1M-entry log): the keys with their grants, revocations and
// what each signed; the entries signed inside a compromise window; the
// approvals, corrections, retractions, erasures and late records, with only
// the entries later ones name kept by id. Internal to reports/.
#ifndef AILEDGER_REPORTS_VERIFICATION_FACTS_H_
#define AILEDGER_REPORTS_VERIFICATION_FACTS_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "ailedger/event.pb.h"
#include "ledger/audit/bundle_verifier.h"
#include "nlohmann/json.hpp"
#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports::verification {

// No list shows more rows than this: the rest are counted and said, so that a
// 1M-entry log gives a report a person reads (and whose citations the JSON
// proves one by one).
inline constexpr size_t kMaxRows = 100;
// Late records listed (the latest recorded), as the annual report lists them.
inline constexpr size_t kLateShown = 50;
inline constexpr int64_t kDayMs = 86'400'000;
// Recorded more than this after it occurred: late (as the annual report).
inline constexpr int64_t kLateAfterMs = 7 * kDayMs;

using RecordPtrs = std::vector<const Record*>;

struct KeyFacts {
  PublicKey key{};
  std::string name, organisation;
  v1::KeyKind kind = v1::KEY_KIND_UNSPECIFIED;
  std::vector<v1::Role> roles;
  std::vector<std::string> functions;
  std::string scope;        // "organisation X" or "system Y"; "" for none
  bool unexpected = false;  // SignerSummary::unexpected
  const Record* granted = nullptr;  // its KeyGranted, or the Genesis
  const Record* revoked = nullptr;
  int64_t compromised_since_ms = 0;       // of the revocation; 0 for none
  uint64_t entries = 0;                   // signed, among the records
  std::map<std::string, uint64_t> types;  // entries by event type
  // Entries recorded at or after compromised_since_ms and before the
  // revocation: all counted (by type), the first kMaxRows kept.
  uint64_t window_entries = 0;
  std::map<std::string, uint64_t> window_types;
  RecordPtrs window_shown;
};

struct Facts {
  uint64_t records = 0;
  std::map<std::string, KeyFacts> keys;  // by the key's 32 bytes
  // Entries by the role their type required at their index (RequiredRole
  // under the role table version in force); "unknown" for none.
  std::map<std::string, uint64_t> entries_by_role;
  // The entries a later one names (supersedes, retracts, erases, approves),
  // by event id bytes; no other id is kept.
  std::map<std::string, const Record*> named;
  RecordPtrs approvals, corrections, retractions, erasures;
  // Late records: (lag in ms, record), in log order.
  std::vector<std::pair<int64_t, const Record*>> late;
  const Record* first = nullptr;
  const Record* last = nullptr;
};

Facts Gather(const std::vector<Record>& records, const VerifyReport& v);

// Helpers shared by the sections.
std::string KeyBytes(const PublicKey& k);
std::string Day(int64_t ms);
std::string Iso(int64_t ms);
std::string KindName(v1::KeyKind k);
// "Ada Lovelace (Acme AI, person)"; the key's first bytes when not on the
// roster the records show.
std::string Who(const KeyFacts& k);
// The key's facts, or nullptr.
const KeyFacts* KeyOf(const Facts& f, const PublicKey& key);
const KeyFacts* KeyOf(const Facts& f, const std::string& key_bytes);
// The entry a later one names by `id`, or nullptr (before the range).
const Record* Named(const Facts& f, const std::string& id);
// The record at `index` (records are in index order), or nullptr.
const Record* AtIndex(const std::vector<Record>& records, uint64_t index);
// "N WHAT in all; the M ... are listed, the other K counted only." or "".
std::string Cut(size_t total, size_t shown, const std::string& what,
                const std::string& which);
// "A 3, B 1" of a count map.
std::string Counts(const std::map<std::string, uint64_t>& counts);

// The sections, each with its figures in data[KEY] (verification_*.cc).
Section RangeSection(const VerifyReport& v, const VerifyOptions& o,
                     const Facts& f, nlohmann::json* data);
Section SignersSection(const VerifyReport& v, const Facts& f,
                       nlohmann::json* data);
Section SegregationSection(const Facts& f, nlohmann::json* data);
Section KeysSection(const Facts& f, nlohmann::json* data);
Section CorrectionsSection(const Facts& f, nlohmann::json* data);
Section LateSection(const Facts& f, nlohmann::json* data);
Section ApprovalsSection(const VerifyReport& v,
                         const std::vector<Record>& records, const Facts& f,
                         nlohmann::json* data);
Section ErasuresSection(const Facts& f, nlohmann::json* data);
Section AttentionSection(const VerifyReport& v,
                         const std::vector<Record>& records,
                         nlohmann::json* data);

}  // namespace ailedger::reports::verification

#endif  // AILEDGER_REPORTS_VERIFICATION_FACTS_H_
