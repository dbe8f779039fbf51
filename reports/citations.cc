#include "reports/citations.h"

#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "ledger/merkle/proof.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger::reports {
namespace {

constexpr char kMark[] = "idx ";
constexpr char kDot[] = " \xC2\xB7 ";  // " · " after the index

std::string KeyHex(const PublicKey& k) {
  return ToHex(
      absl::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
}

std::string HashKey(const Hash& h) { return std::string(AsBytes(h)); }

std::string Iso(int64_t ms) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", absl::FromUnixMillis(ms),
                          absl::UTCTimeZone());
}

bool Approves(v1::Decision d) {
  return d == v1::DECISION_APPROVE || d == v1::DECISION_APPROVE_WITH_CONDITIONS;
}

// Types whose figures reports recompute from the raw inputs the entry
// carries: confusion counts (fairness.h) and AIA answers (ledger/aia).
bool CarriesRawInputs(const v1::Event& e) {
  return e.has_fairness_snapshot() || e.has_impact_assessment_recorded();
}

struct Signer {
  std::string name, organisation;
  v1::KeyKind kind = v1::KEY_KIND_UNSPECIFIED;
};

// What later entries say about earlier ones, and who signed what.
struct LogFacts {
  std::map<std::string, uint64_t> position;  // event id -> vector position
  std::map<std::string, Signer> signers;     // key bytes -> its grant
  std::map<uint64_t, std::vector<std::string>> status;     // by index
  std::map<uint64_t, std::vector<std::string>> assurance;  // by index
};

std::string KeyBytes(const PublicKey& k) {
  return std::string(reinterpret_cast<const char*>(k.data()), k.size());
}

// The record an id names, or nullptr.
const Record* Target(const std::vector<Record>& records, const LogFacts& f,
                     const std::string& id) {
  auto it = f.position.find(id);
  return it == f.position.end() ? nullptr : &records[it->second];
}

void NoteApproval(const std::vector<Record>& records, const Record& r,
                  const std::set<std::string>& auditors, LogFacts* f) {
  const v1::Approval& a = r.event.approval();
  const Record* t = Target(records, *f, a.approves());
  if (t == nullptr || !Approves(a.decision())) return;
  const std::string key = KeyBytes(r.signer);
  const auto signer = f->signers.find(key);
  if (signer != f->signers.end() &&
      signer->second.organisation != t->event.organisation()) {
    f->assurance[t->index].push_back(
        absl::StrCat("attested by the other party (idx ", r.index, ", ",
                     signer->second.organisation, ")"));
  }
  if (auditors.contains(key)) {
    f->assurance[t->index].push_back(absl::StrCat(
        "confirmed by an expected auditor (approval idx ", r.index, ")"));
  }
}

void NoteLater(const std::vector<Record>& records, const Record& r,
               const std::set<std::string>& auditors, LogFacts* f) {
  const v1::Event& e = r.event;
  if (const Record* t = Target(records, *f, e.supersedes())) {
    f->status[t->index].push_back(
        absl::StrCat("superseded by idx ", r.index,
                     e.supersedes_reason().empty()
                         ? ""
                         : absl::StrCat(" (", e.supersedes_reason(), ")")));
  }
  if (e.has_retraction()) {
    if (const Record* t = Target(records, *f, e.retraction().retracts())) {
      f->status[t->index].push_back(absl::StrCat(
          "retracted by idx ", r.index, " (", e.retraction().reason(), ")"));
    }
  }
  if (e.has_erasure()) {
    if (const Record* t = Target(records, *f, e.erasure().event_id())) {
      f->status[t->index].push_back(absl::StrCat(
          "attachment ", e.erasure().attachment(), " erased by idx ", r.index));
    }
  }
  if (e.has_approval()) NoteApproval(records, r, auditors, f);
}

LogFacts FactsOf(const std::vector<Record>& records,
                 const VerifyOptions& options) {
  std::set<std::string> auditors;
  for (const auto& [role, key] : options.expected)
    if (role == v1::ROLE_AUDITOR) auditors.insert(KeyBytes(key));
  LogFacts f;
  for (size_t i = 0; i < records.size(); ++i) {
    const Record& r = records[i];
    f.position[HashKey(r.event_id)] = i;
    if (r.event.has_key_granted()) {
      const v1::KeyGranted& g = r.event.key_granted();
      f.signers[g.public_key()] =
          Signer{g.display_name(), g.organisation(), g.kind()};
    }
    NoteLater(records, r, auditors, &f);
  }
  for (const Record& r : records) {
    if (auditors.contains(KeyBytes(r.signer)))
      f.assurance[r.index].push_back("confirmed by an expected auditor");
  }
  return f;
}

std::string KindName(v1::KeyKind k) {
  switch (k) {
    case v1::KEY_KIND_PERSON:
      return "person";
    case v1::KEY_KIND_SERVICE_ACCOUNT:
      return "service account";
    default:
      return "not stated";
  }
}

// The time the first witnessed checkpoint above `index` was cosigned, as
// "no later than T per W", or "".
std::string WitnessedTime(const VerifyReport& v, uint64_t index) {
  for (const WitnessedCheckpoint& w : v.witnessed) {
    if (w.size <= index || w.times.empty()) continue;
    return absl::StrCat(
        "independently timed by a witness: recorded no later than ",
        Iso(static_cast<int64_t>(w.times.front().second) * 1000), " per ",
        w.times.front().first);
  }
  return "";
}

std::vector<std::string> AssuranceOf(const Record& r, const LogFacts& f,
                                     const VerifyReport& v) {
  std::vector<std::string> out;
  auto it = f.assurance.find(r.index);
  if (it != f.assurance.end()) out = it->second;
  if (CarriesRawInputs(r.event)) out.push_back("computed from raw inputs");
  if (std::string w = WitnessedTime(v, r.index); !w.empty()) out.push_back(w);
  out.insert(out.begin(), "self-attested");
  return out;
}

// The entry's C2SP tlog-proof with its leaf bytes as `extra` (as ailedger's
// append receipts): `ailedger verify-proof` checks it alone. "" when the
// bundle cannot prove it (a ranged bundle).
std::string ProofText(const ProofTree& tree, const ProofSource& proofs,
                      const std::map<uint64_t, std::string>& leaves,
                      const Record& r) {
  auto hashes = tree.Inclusion(r.index);
  auto leaf = leaves.find(r.index);
  if (!hashes.ok() || leaf == leaves.end()) return "";
  return FormatTlogProof(
      TlogProof{leaf->second, r.index, *std::move(hashes), proofs.checkpoint});
}

struct Provers {
  const ProofTree& tree;
  const ProofSource& proofs;
  const std::map<uint64_t, std::string>& leaves;
};

nlohmann::json Describe(const Record& r, const LogFacts& f, const Provers& p,
                        const VerifyReport& v) {
  const auto signer = f.signers.find(KeyBytes(r.signer));
  const Signer s = signer == f.signers.end() ? Signer{} : signer->second;
  const auto status = f.status.find(r.index);
  const int64_t occurred = r.event.occurred_at_ms();
  const int64_t recorded = static_cast<int64_t>(r.integrated_time_ms);
  nlohmann::json j = {
      {"index", r.index},
      {"event_id", ToHex(r.event_id)},
      {"type", r.event.event_type()},
      {"organisation", r.event.organisation()},
      {"signer",
       {{"public_key", KeyHex(r.signer)},
        {"name", s.name},
        {"organisation", s.organisation},
        {"kind", KindName(s.kind)}}},
      {"occurred", Iso(occurred)},
      {"recorded", Iso(recorded)},
      {"lag_ms", recorded - occurred},
      {"status", status == f.status.end() ? std::vector<std::string>{"current"}
                                          : status->second},
      {"assurance", AssuranceOf(r, f, v)},
      {"tlog_proof", ProofText(p.tree, p.proofs, p.leaves, r)},
  };
  if (!r.event.backfill_reason().empty())
    j["backfill_reason"] = r.event.backfill_reason();
  return j;
}

std::vector<std::string> Row(const nlohmann::json& c) {
  return {absl::StrCat(c["index"].get<uint64_t>()),
          c["type"].get<std::string>(),
          c["organisation"].get<std::string>(),
          absl::StrCat(c["signer"]["name"].get<std::string>(), " (",
                       c["signer"]["kind"].get<std::string>(), ")"),
          c["occurred"].get<std::string>().substr(0, 10),
          c["recorded"].get<std::string>().substr(0, 10),
          absl::StrJoin(c["status"].get<std::vector<std::string>>(), "; "),
          absl::StrJoin(c["assurance"].get<std::vector<std::string>>(), "; ")};
}

}  // namespace

std::set<uint64_t> CitedIndices(const Report& report) {
  // Sections' text, then the JSON form (data and charts).
  std::string text;
  for (const Section& s : report.sections) {
    for (const std::string& p : s.paragraphs) absl::StrAppend(&text, p, "\n");
    for (const Table& t : s.tables) {
      for (const auto& row : t.rows)
        absl::StrAppend(&text, absl::StrJoin(row, "\n"), "\n");
    }
  }
  absl::StrAppend(&text, RenderJson(report));
  std::set<uint64_t> out;
  for (size_t at = text.find(kMark); at != std::string::npos;
       at = text.find(kMark, at + 1)) {
    size_t end = at + sizeof(kMark) - 1;
    uint64_t index = 0;
    bool digits = false;
    while (end < text.size() && absl::ascii_isdigit(text[end]) &&
           end < at + 24) {
      index = index * 10 + static_cast<uint64_t>(text[end++] - '0');
      digits = true;
    }
    if (digits && text.compare(end, sizeof(kDot) - 1, kDot) == 0)
      out.insert(index);
  }
  return out;
}

ProofTree::ProofTree(const ProofSource& proofs, uint64_t size) {
  if (proofs.first != 0 || proofs.leaf_hashes.size() < size) return;
  // Every perfect node below `size`, level by level (RFC 9162 §2.1.1).
  levels_.emplace_back(proofs.leaf_hashes.begin(),
                       proofs.leaf_hashes.begin() + size);
  while (levels_.back().size() > 1) {
    const std::vector<Hash>& below = levels_.back();
    std::vector<Hash> up(below.size() / 2);
    for (size_t i = 0; i < up.size(); ++i)
      up[i] = HashChildren(below[2 * i], below[2 * i + 1]);
    levels_.push_back(std::move(up));
  }
}

absl::StatusOr<std::vector<Hash>> ProofTree::Fold(
    const absl::StatusOr<ProofPlan>& plan) const {
  if (levels_.empty()) {
    return absl::FailedPreconditionError(
        "no proof: the bundle does not hold every leaf from 0 to the "
        "checkpoint's size");
  }
  if (!plan.ok()) return plan.status();
  std::vector<Hash> nodes;
  nodes.reserve(plan->ids.size());
  for (const NodeId& id : plan->ids)
    nodes.push_back(levels_[id.level][id.index]);
  return Rehash(*plan, nodes);
}

absl::StatusOr<std::vector<Hash>> ProofTree::Inclusion(uint64_t index) const {
  return Fold(InclusionPlan(index, levels_.empty() ? 0 : levels_[0].size()));
}

absl::StatusOr<std::vector<Hash>> ProofTree::Consistency(uint64_t first) const {
  return Fold(ConsistencyPlan(first, levels_.empty() ? 0 : levels_[0].size()));
}

absl::StatusOr<Hash> ProofTree::RootAt(uint64_t size) const {
  if (!levels_.empty() && size > levels_[0].size())
    return absl::InvalidArgumentError("size: above the bundle's");
  auto root = Fold(RootPlan(size));
  if (!root.ok()) return root.status();
  return root->front();
}

void AttachCitations(const std::vector<Record>& records,
                     const ProofSource& proofs, const VerifyReport& verified,
                     const VerifyOptions& options, Report* report) {
  const std::set<uint64_t> cited = CitedIndices(*report);
  const LogFacts facts = FactsOf(records, options);
  const ProofTree tree(cited.empty() ? ProofSource{} : proofs,
                       verified.checkpoint_size);
  std::map<uint64_t, std::string> leaves;
  if (proofs.bundle != nullptr && !cited.empty()) {
    auto read = ReadLeaves(proofs.bundle, cited);
    if (read.ok()) leaves = *std::move(read);
  }
  const Provers provers{tree, proofs, leaves};
  nlohmann::json list = nlohmann::json::array();
  Table table{{"idx", "type", "organisation", "signer", "occurred", "recorded",
               "status", "assurance"},
              {}};
  for (const Record& r : records) {
    if (!cited.contains(r.index)) continue;
    nlohmann::json c = Describe(r, facts, provers, verified);
    table.rows.push_back(Row(c));
    list.push_back(std::move(c));
  }
  report->data["citations"] = std::move(list);
  Section s{"Evidence cited",
            {absl::StrCat(
                 table.rows.size(),
                 " entries are cited. Each can be checked alone: the JSON form "
                 "carries, per entry, a C2SP tlog-proof of its inclusion in "
                 "the checkpoint of size ",
                 verified.checkpoint_size,
                 " (`ailedger get --index N`, `ailedger prove inclusion`)."),
             "Assurance: self-attested unless a later entry says more; "
             "attested by the other party = approved by a key of another "
             "organisation; confirmed by an expected auditor = signed or "
             "approved by a key the reader pinned as auditor; computed from "
             "raw inputs = the report recomputes it from the counts or "
             "answers the entry carries; independently timed = below a "
             "checkpoint a witness cosigned."},
            {std::move(table)}};
  report->sections.push_back(std::move(s));
}

}  // namespace ailedger::reports
