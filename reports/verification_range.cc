// The verification report's range, checkpoint and witnesses, its approvals
// pending and rejected, and what the verifier flagged for the reader
// (verification_facts.h), each cited from the records.
#include <algorithm>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "ledger/base/base64.h"
#include "ledger/governance/approvals.h"
#include "reports/verification_facts.h"

namespace ailedger::reports::verification {
namespace {

std::string Seconds(uint64_t unix_seconds) {
  return Iso(static_cast<int64_t>(unix_seconds) * 1000);
}

// The record at `index`, cited, or what stands in for it.
std::string CiteAt(const std::vector<Record>& records, uint64_t index,
                   const std::string& type) {
  const Record* r = AtIndex(records, index);
  return r != nullptr ? Cite(*r)
                      : absl::StrCat("index ", index, " (", type,
                                     "): not among the records");
}

// The newest `max` of (index, text) pairs, in log order.
template <typename T>
std::vector<T> NewestOf(const std::vector<T>& all, size_t max) {
  return all.size() <= max ? all : std::vector<T>(all.end() - max, all.end());
}

struct WitnessRow {
  uint64_t checkpoints = 0;
  const WitnessedCheckpoint* first = nullptr;
  const WitnessedCheckpoint* last = nullptr;
  uint64_t first_time = 0, last_time = 0;
};

Table WitnessTable(const VerifyReport& v, uint64_t* timed_below) {
  std::map<std::string, WitnessRow> by_witness;
  for (const WitnessedCheckpoint& w : v.witnessed) {
    for (const auto& [name, t] : w.times) {
      WitnessRow& row = by_witness[name];
      if (row.checkpoints++ == 0) {
        row.first = &w;
        row.first_time = t;
      }
      row.last = &w;
      row.last_time = t;
    }
    if (!w.times.empty()) *timed_below = std::max(*timed_below, w.size);
  }
  Table t{{"witness", "checkpoints cosigned in the bundle", "first", "latest"},
          {}};
  for (const auto& [name, row] : by_witness) {
    t.rows.push_back({name, absl::StrCat(row.checkpoints),
                      absl::StrCat("size ", row.first->size, " by ",
                                   Seconds(row.first_time)),
                      absl::StrCat("size ", row.last->size, " by ",
                                   Seconds(row.last_time))});
  }
  return t;
}

std::string Completeness(const VerifyReport& v) {
  if (v.from == 0 && v.roster_complete)
    return "The range starts at index 0: a statement that no other record "
           "exists holds for every index below the checkpoint's size.";
  return absl::StrCat(
      "The range starts at index ", v.from, ": the exporter supplied ",
      v.roster_events_supplied,
      " roster events before it, which proves they were logged, not that "
      "none was left out",
      v.roster_complete ? " (they equal the roster the reader replayed)"
                        : " (the roster is NOT proven complete)",
      ". Nothing here speaks for entries before index ", v.from, ".");
}

}  // namespace

Section RangeSection(const VerifyReport& v, const VerifyOptions& o,
                     const Facts& f, nlohmann::json* data) {
  Section s{"Range, checkpoint and witnesses", {}, {}};
  s.paragraphs.push_back(absl::StrCat(
      "Entries [", v.from, ", ", v.to, ") of ", v.origin,
      " against the checkpoint of size ", v.checkpoint_size, " and root ",
      Base64Encode(AsBytes(v.root)),
      v.to == v.checkpoint_size
          ? "."
          : absl::StrCat(" (the checkpoint holds ", v.checkpoint_size - v.to,
                         " entries past the range).")));
  s.paragraphs.push_back(Completeness(v));
  if (f.first != nullptr) {
    s.paragraphs.push_back(absl::StrCat(
        "The first entry read was recorded ", Iso(f.first->integrated_time_ms),
        " (", Cite(*f.first), "), the last ", Iso(f.last->integrated_time_ms),
        " (", Cite(*f.last), ")."));
  }
  std::vector<std::string> names;
  for (const VerifierKey& w : o.witness_policy.witnesses)
    names.push_back(w.name());
  uint64_t timed_below = 0;
  Table witnesses = WitnessTable(v, &timed_below);
  if (names.empty()) {
    s.paragraphs.push_back(
        "The reader named no witness: no entry is timed independently of the "
        "log operator's clock.");
  } else {
    s.paragraphs.push_back(absl::StrCat(
        "The reader's witnesses: ", absl::StrJoin(names, ", "), " (quorum ",
        o.witness_policy.quorum, "); the checkpoint carries ", v.cosignatures,
        " of their cosignatures. ",
        timed_below > v.from
            ? absl::StrCat("Entries below ", timed_below,
                           " were recorded no later than a witness's "
                           "cosignature time; entries from ",
                           std::max(timed_below, v.from),
                           " on are dated by the log alone.")
            : "No older cosigned checkpoint is in the bundle: entries are "
              "dated by the log alone."));
  }
  (*data)["range"] = {{"origin", v.origin},
                      {"from", v.from},
                      {"to", v.to},
                      {"checkpoint_size", v.checkpoint_size},
                      {"checkpoint_root", Base64Encode(AsBytes(v.root))},
                      {"roster_complete", v.roster_complete},
                      {"roster_events_supplied", v.roster_events_supplied},
                      {"witnesses", names},
                      {"quorum", o.witness_policy.quorum},
                      {"cosignatures", v.cosignatures},
                      {"witnessed_checkpoints", v.witnessed.size()},
                      {"timed_below", timed_below}};
  if (!witnesses.rows.empty()) s.tables.push_back(std::move(witnesses));
  return s;
}

Section ApprovalsSection(const VerifyReport& v,
                         const std::vector<Record>& records, const Facts& f,
                         nlohmann::json* data) {
  Section s{"Approvals pending and rejected", {}, {}};
  std::map<std::string, uint64_t> pending_types, rejected_types;
  for (const auto& [i, type] : v.pending_approvals) ++pending_types[type];
  for (const auto& [i, type] : v.rejected) ++rejected_types[type];
  s.paragraphs.push_back(absl::StrCat(
      "Entries awaiting an approval: ", v.pending_approvals.size(), " (",
      Counts(pending_types), "); rejected by an approver: ", v.rejected.size(),
      " (", Counts(rejected_types), ")."));
  Table pending{{"entry awaiting approval", "approval needed from"}, {}};
  nlohmann::json pending_json = nlohmann::json::array();
  for (const auto& [i, type] : NewestOf(v.pending_approvals, kMaxRows)) {
    const Record* r = AtIndex(records, i);
    const std::string from = absl::StrCat(
        "a holder of the '", ApprovalFunction(type).value_or("approver"),
        "' function of ",
        r != nullptr ? r->event.organisation() : "its organisation",
        r != nullptr && !PartiesOf(r->event).empty()
            ? " and of each party it binds"
            : "");
    pending.rows.push_back({CiteAt(records, i, type), from});
    pending_json.push_back(
        {{"record", pending.rows.back()[0]}, {"from", from}});
  }
  std::map<uint64_t, RecordPtrs> rejections;  // rejected index -> decisions
  for (const Record* a : f.approvals) {
    if (a->event.approval().decision() != v1::DECISION_REJECT) continue;
    if (const Record* t = Named(f, a->event.approval().approves()))
      rejections[t->index].push_back(a);
  }
  Table rejected{{"rejected entry", "rejected by", "authority"}, {}};
  nlohmann::json rejected_json = nlohmann::json::array();
  for (const auto& [i, type] : NewestOf(v.rejected, kMaxRows)) {
    std::vector<std::string> by, authority;
    for (const Record* a : rejections[i]) {
      const KeyFacts* k = KeyOf(f, a->signer);
      by.push_back(absl::StrCat(k != nullptr ? Who(*k) : "-", ": ", Cite(*a)));
      authority.push_back(a->event.approval().authority());
    }
    rejected.rows.push_back(
        {CiteAt(records, i, type),
         by.empty() ? "not among the records" : absl::StrJoin(by, "; "),
         absl::StrJoin(authority, "; ")});
    rejected_json.push_back({{"record", rejected.rows.back()[0]},
                             {"rejected_by", by},
                             {"authority", authority}});
  }
  for (const auto& [table, total, what] :
       {std::tuple{&pending, v.pending_approvals.size(), "pending approvals"},
        std::tuple{&rejected, v.rejected.size(), "rejections"}}) {
    if (std::string c = Cut(total, table->rows.size(), what, "latest");
        !c.empty())
      s.paragraphs.push_back(c);
  }
  s.tables = {std::move(pending), std::move(rejected)};
  (*data)["approvals"] = {{"pending", v.pending_approvals.size()},
                          {"pending_by_type", pending_types},
                          {"pending_listed", std::move(pending_json)},
                          {"rejected", v.rejected.size()},
                          {"rejected_by_type", rejected_types},
                          {"rejected_listed", std::move(rejected_json)}};
  return s;
}

Section AttentionSection(const VerifyReport& v,
                         const std::vector<Record>& records,
                         nlohmann::json* data) {
  Section s{
      "For the reader's attention", v.warnings, {{{"record", "what"}, {}}}};
  for (const auto& [i, what] : NewestOf(v.after_decommissioning, kMaxRows)) {
    s.tables[0].rows.push_back({CiteAt(records, i, what),
                                what + ": after the system's decommissioning"});
  }
  if (std::string c =
          Cut(v.after_decommissioning.size(), s.tables[0].rows.size(),
              "records after a decommissioning", "latest");
      !c.empty())
    s.paragraphs.push_back(c);
  if (s.paragraphs.empty() && s.tables[0].rows.empty())
    s.paragraphs.push_back(
        "Nothing: no warning, no record after a "
        "system's decommissioning.");
  if (s.tables[0].rows.empty()) s.tables.clear();
  (*data)["after_decommissioning_count"] = v.after_decommissioning.size();
  return s;
}

}  // namespace ailedger::reports::verification
