#include "ledger/bundle_verifier.h"

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ailedger/bundle.pb.h"
#include "ledger/approvals.h"
#include "ledger/bundle.h"
#include "ledger/canonical.h"
#include "ledger/chain.h"
#include "ledger/checkpoint.h"
#include "ledger/compact_range.h"
#include "ledger/contexts.h"
#include "ledger/corrections.h"
#include "ledger/leaf.h"
#include "ledger/leaf_check.h"
#include "ledger/lifecycle.h"
#include "ledger/references.h"
#include "ledger/roles.h"
#include "ledger/roster.h"
#include "ledger/signer_summary.h"
#include "ledger/validation.h"
#include "ledger/verify.h"

namespace ailedger {
namespace {

constexpr size_t kBatch = 1024;

absl::Status Fail(uint64_t index, absl::string_view check,
                  absl::string_view detail) {
  return absl::FailedPreconditionError(
      absl::StrCat("index ", index, ": ", check, ": ", detail));
}
absl::Status Fail(absl::string_view check, absl::string_view detail) {
  return absl::FailedPreconditionError(absl::StrCat(check, ": ", detail));
}

bool IsRosterType(const std::string& type) {
  return type == "Genesis" || type == "KeyGranted" || type == "KeyRevoked" ||
         type == "LogKeyRotated";
}

class Verifier {
 public:
  Verifier(std::istream* in, const VerifyOptions& o)
      : in_(in), reader_(in), o_(o) {}

  absl::StatusOr<VerifyReport> Run() {
    if (auto s = reader_.ReadMagic(); !s.ok()) return s;
    absl::Status s = Steps();
    report_.verified = s.ok();
    if (!s.ok()) report_.failure = std::string(s.message());
    Summarise();
    return std::move(report_);
  }

 private:
  absl::Status Steps() {
    for (auto step :
         {&Verifier::Header, &Verifier::Prefix, &Verifier::RosterEvents,
          &Verifier::Leaves, &Verifier::Corrections,
          &Verifier::CheckpointAndRoots, &Verifier::Trusted, &Verifier::End}) {
      if (auto s = (this->*step)(); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Expect(RecordType type, absl::string_view what) {
    auto r = reader_.Next();
    if (absl::IsNotFound(r.status()))
      return Fail("bundle", absl::StrCat("truncated: no ", what));
    if (!r.ok()) return Fail("bundle", r.status().message());
    ++records_;
    if (r->type != type) {
      return Fail("bundle",
                  absl::StrCat("expected a ", what, " record, found type ",
                               static_cast<int>(r->type)));
    }
    return std::move(r->payload);
  }

  template <typename M>
  absl::Status ExpectProto(RecordType type, absl::string_view what, M* m) {
    auto payload = Expect(type, what);
    if (!payload.ok()) return payload.status();
    auto s = ParseCanonical(*payload, m, what);
    return s.ok() ? s : Fail("bundle", s.message());
  }

  absl::Status Header() {
    if (auto s = ExpectProto(RecordType::kHeader, "header", &header_); !s.ok())
      return s;
    if (header_.version() != 1 || header_.origin().empty() ||
        header_.from() > header_.to() ||
        header_.to() > header_.checkpoint_size()) {
      return Fail("header",
                  "unknown version, no origin, or a range that does not fit");
    }
    report_.origin = header_.origin();
    report_.from = header_.from();
    report_.to = header_.to();
    report_.checkpoint_size = header_.checkpoint_size();
    roster_.emplace(header_.origin());
    return absl::OkStatus();
  }

  absl::Status Prefix() {
    const uint64_t from = header_.from();
    if (from == 0) return absl::OkStatus();
    v1::ProvenLeaf p;
    if (auto s = ExpectProto(RecordType::kPrefix, "prefix", &p); !s.ok())
      return s;
    auto leaf = DecodeLeaf(p.leaf());
    auto hashes = HashesFromBytes(
        std::vector<std::string>(p.hashes().begin(), p.hashes().end()),
        "prefix");
    if (!leaf.ok() || !hashes.ok() || p.tree_size() != from ||
        leaf->index != from - 1) {
      return Fail(from - 1, "prefix",
                  "leaf from-1 and its proof at size from expected");
    }
    const Hash h = HashLeaf(p.leaf());
    auto range = RangeFromRightmost(from, h, *hashes);
    if (!range.ok()) return Fail(from - 1, "prefix", range.status().message());
    range_ = *std::move(range);
    root_at_from_ = range_.Root();
    chain_ = {from, h, leaf->integrated_time_ms};
    return absl::OkStatus();
  }

  absl::Status RosterEvents() {
    uint64_t last = 0;
    for (uint32_t i = 0; i < header_.roster_events(); ++i) {
      v1::ProvenLeaf p;
      if (auto s = ExpectProto(RecordType::kRoster, "roster", &p); !s.ok())
        return s;
      Checked c = CheckOne(header_.origin(), p.leaf());
      if (!c.leaf.ok()) return Fail("roster", c.leaf.status().message());
      const uint64_t index = c.leaf->index;
      auto hashes = HashesFromBytes(
          std::vector<std::string>(p.hashes().begin(), p.hashes().end()),
          "roster proof");
      if (!hashes.ok() || p.tree_size() != header_.from() ||
          index >= header_.from() || (i > 0 && index <= last) ||
          (i == 0 && index != 0)) {
        return Fail(index, "roster",
                    "events before `from`, genesis first, in index order");
      }
      if (auto s = VerifyInclusion(index, header_.from(), c.leaf_hash, *hashes,
                                   root_at_from_);
          !s.ok()) {
        return Fail(index, "roster inclusion", s.message());
      }
      if (!c.event.ok() || !IsRosterType(c.event->event_type())) {
        return Fail(index, "roster", "not a roster event");
      }
      roster_->AdvanceTo(index);
      if (auto s = Apply(index, c, /*count=*/false); !s.ok()) return s;
      last = index;
    }
    roster_->AdvanceTo(header_.from());
    return absl::OkStatus();
  }

  absl::Status Leaves() {
    const uint64_t total = header_.to() - header_.from();
    std::vector<std::string> batch;
    for (uint64_t done = 0; done < total;) {
      batch.clear();
      absl::Status read_error;
      while (batch.size() < kBatch && done + batch.size() < total) {
        auto payload = Expect(RecordType::kLeaf, "leaf");
        if (!payload.ok()) {
          read_error = payload.status();  // reported after the leaves before it
          break;
        }
        batch.push_back(*std::move(payload));
      }
      std::vector<Checked> checked = CheckInParallel(batch);
      for (size_t i = 0; i < checked.size(); ++i) {
        if (auto s = Sequential(checked[i]); !s.ok()) return s;
      }
      if (!read_error.ok()) return read_error;
      done += batch.size();
      if (o_.progress) o_.progress(done, total);
    }
    return absl::OkStatus();
  }

  std::vector<Checked> CheckInParallel(const std::vector<std::string>& batch) {
    std::vector<Checked> out(batch.size());
    unsigned n = o_.threads ? o_.threads
                            : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n; ++t) {
      threads.emplace_back([&, t] {
        for (size_t i = t; i < batch.size(); i += n)
          out[i] = CheckOne(header_.origin(), batch[i]);
      });
    }
    for (auto& t : threads) t.join();
    return out;
  }

  // In index order: the chain, the roster, the tree.
  absl::Status Sequential(const Checked& c) {
    const uint64_t index = chain_.next_index;
    if (!c.leaf.ok())
      return Fail(index, "leaf format", c.leaf.status().message());
    if (auto s = CheckChainLink(chain_, *c.leaf); !s.ok())
      return Fail(index, "chain", s.message());
    if (auto s = Apply(index, c, /*count=*/true); !s.ok()) return s;
    chain_ = {index + 1, c.leaf_hash, c.leaf->integrated_time_ms};
    range_.Append(c.leaf_hash, nullptr);
    if (!o_.trusted_checkpoint.empty() && range_.size() == trusted_.size) {
      root_at_trusted_ = range_.Root();
    }
    return absl::OkStatus();
  }

  // The signature, then the roster as of `index`.
  absl::Status Apply(uint64_t index, const Checked& c, bool count) {
    if (!c.event.ok())
      return Fail(index, "event encoding", c.event.status().message());
    if (!c.signature_ok) {
      return Fail(index, "signature",
                  "the event's signature does not verify for its signer");
    }
    const v1::Event& e = *c.event;
    if (auto s = ValidateFields(e); !s.ok())
      return Fail(index, "fields", s.message());
    if (index == 0) {
      if (auto s = CheckGenesis(e, c.leaf->signer); !s.ok()) return s;
    }
    if (auto s = roster_->Check(c.leaf->signer, e); !s.ok()) {
      if (!RequiredRole(e.event_type()).ok() &&
          roster_->FindActive(c.leaf->signer)) {
        report_.warnings.push_back(
            absl::StrCat("index ", index, ": unknown event type '",
                         e.event_type(), "' (role not checked)"));
        roster_->AdvanceTo(index + 1);
      } else {
        return Fail(index, "role", s.message());
      }
    } else {
      if (auto s = CheckExpectedGrant(index, e); !s.ok()) return s;
      if (auto s = CheckApprovalAt(index, c); !s.ok()) return s;
      if (auto s = CheckLifecycleAt(index, e); !s.ok()) return s;
      if (auto s = CheckReferencesAt(index, c); !s.ok()) return s;
      NoteCorrection(index, c);
      (void)roster_->Apply(c.leaf->signer, e);
      NoteForApprovals(index, c);
    }
    if (count) ++entries_[c.leaf->signer];
    return absl::OkStatus();
  }

  // Segregation of duties: an Approval's target is on the log, not the
  // approver's own, and the approver holds the function. A target before a
  // ranged bundle's start cannot be looked up: that is reported, not failed.
  absl::Status CheckApprovalAt(uint64_t index, const Checked& c) {
    const v1::Event& e = *c.event;
    if (e.event_type() != "Approval") return absl::OkStatus();
    auto s =
        CheckApproval(e, c.leaf->signer, *roster_->FindActive(c.leaf->signer),
                      [this](const Hash& id) { return book_.Find(id); });
    if (absl::IsFailedPrecondition(s) && header_.from() > 0) {
      report_.warnings.push_back(absl::StrCat(
          "index ", index,
          ": approval of an event outside the bundle's range (not checked)"));
      return absl::OkStatus();
    }
    return s.ok() ? s : Fail(index, "approval", s.message());
  }

  // Lifecycle order, replayed from genesis. A ranged bundle cannot know the
  // phases before its start: reported once, not failed.
  absl::Status CheckLifecycleAt(uint64_t index, const v1::Event& e) {
    if (header_.from() > 0) {
      if (!lifecycle_warned_) {
        report_.warnings.push_back(
            "lifecycle order is checked only in bundles that start at genesis");
        lifecycle_warned_ = true;
      }
      return absl::OkStatus();
    }
    auto changes = CheckLifecycle(
        e, [this](const std::string& k) -> absl::StatusOr<Phase> {
          auto it = phases_.find(k);
          return it == phases_.end() ? Phase::kNone : it->second;
        });
    if (!changes.ok())
      return Fail(index, "lifecycle", changes.status().message());
    for (const PhaseChange& c : *changes) phases_[c.key] = c.phase;
    return absl::OkStatus();
  }

  // References resolve to earlier events of the right type. A ranged bundle
  // cannot see events before its start: reported, not failed.
  absl::Status CheckReferencesAt(uint64_t index, const Checked& c) {
    const v1::Event& e = *c.event;
    const v1::RosterMember* m = roster_->FindActive(c.leaf->signer);
    auto s = CheckReferences(
        e, m ? m->grant().organisation() : "",
        [this](const Hash& id) -> absl::StatusOr<std::optional<RefTarget>> {
          auto it = targets_.find(id);
          if (it == targets_.end()) return std::optional<RefTarget>();
          return std::optional<RefTarget>(it->second);
        });
    if (IsReferenceTarget(e.event_type())) {
      targets_[EventId(header_.origin(), c.leaf->event_bytes)] = {
          e.event_type(), e.organisation()};
    }
    if (absl::IsFailedPrecondition(s) && header_.from() > 0) {
      report_.warnings.push_back(absl::StrCat(
          "index ", index, ": a reference outside the bundle's range (",
          s.message(), ") not checked"));
      return absl::OkStatus();
    }
    return s.ok() ? s : Fail(index, "reference", s.message());
  }

  // Corrections, retractions and erasures name earlier events that the
  // verifier did not keep: they are checked after the first pass, against the
  // facts of just those events, read in a second pass over the bundle.
  struct Correction {
    uint64_t index;
    v1::Event event;
    bool admin;
    std::string organisation;  // the signer's, from the roster
  };
  struct TargetFacts {
    EventFacts facts;
    int attachments = 0;
  };

  void NoteCorrection(uint64_t index, const Checked& c) {
    const v1::Event& e = *c.event;
    std::string target;
    if (!e.supersedes().empty()) target = e.supersedes();
    if (e.has_retraction()) target = e.retraction().retracts();
    if (e.has_erasure()) target = e.erasure().event_id();
    auto id = HashFromBytes(target, "target");
    if (!id.ok()) return;
    const v1::RosterMember* m = roster_->FindActive(c.leaf->signer);
    corrections_.push_back({index, e,
                            roster_->HasRole(c.leaf->signer, v1::ROLE_ADMIN),
                            m ? m->grant().organisation() : ""});
    wanted_[*id];
  }

  // The second pass: the facts of the events that corrections name.
  absl::Status ReadTargets() {
    const std::streampos resume = in_->tellg();
    in_->seekg(0);
    BundleReader again(in_);
    if (resume < 0 || !in_->good() || !again.ReadMagic().ok())
      return absl::UnavailableError("the bundle cannot be read twice");
    absl::Status s = ReadTargetLeaves(&again);
    in_->clear();
    in_->seekg(resume);  // the first pass goes on from here
    return s;
  }

  absl::Status ReadTargetLeaves(BundleReader* again) {
    uint64_t index = header_.from();
    for (auto r = again->Next(); r.ok(); r = again->Next()) {
      if (r->type == RecordType::kCheckpoint) break;
      if (r->type != RecordType::kLeaf) continue;
      auto leaf = DecodeLeaf(r->payload);
      if (!leaf.ok()) return leaf.status();
      auto it = wanted_.find(EventId(header_.origin(), leaf->event_bytes));
      v1::Event e;
      if (it != wanted_.end() && e.ParseFromString(leaf->event_bytes))
        it->second = TargetFacts{FactsOf(index, e), e.sealed_size()};
      ++index;
    }
    return absl::OkStatus();
  }

  absl::Status Corrections() {
    if (corrections_.empty()) return absl::OkStatus();
    if (auto s = ReadTargets(); !s.ok()) {
      report_.warnings.push_back(
          absl::StrCat("corrections not checked: ", s.message()));
      return absl::OkStatus();
    }
    std::set<Hash> superseded, retracted;
    std::set<std::pair<Hash, uint32_t>> erased;
    for (const Correction& c : corrections_) {
      auto s = ReplayCorrection(c, superseded, retracted, erased);
      if (absl::IsFailedPrecondition(s) && header_.from() > 0 &&
          absl::StrContains(s.message(), " on the log")) {
        report_.warnings.push_back(absl::StrCat(
            "index ", c.index, ": correction of an event outside the range"));
        continue;
      }
      if (!s.ok()) return Fail(c.index, "correction", s.message());
    }
    return absl::OkStatus();
  }

  std::optional<EventFacts> Earlier(const Hash& id, uint64_t before) const {
    auto it = wanted_.find(id);
    if (it == wanted_.end() || !it->second.facts.event_type.size() ||
        it->second.facts.index >= before)
      return std::nullopt;
    return it->second.facts;
  }

  absl::Status ReplayCorrection(const Correction& c, std::set<Hash>& superseded,
                                std::set<Hash>& retracted,
                                std::set<std::pair<Hash, uint32_t>>& erased) {
    const v1::Event& e = c.event;
    if (e.has_erasure()) {
      const Hash id = *HashFromBytes(e.erasure().event_id(), "event_id");
      auto t = Earlier(id, c.index);
      if (!t || e.erasure().attachment() >=
                    static_cast<uint32_t>(wanted_[id].attachments)) {
        return absl::FailedPreconditionError(
            "erasure.event_id: no logged event with that sealed attachment on "
            "the log");
      }
      if (!erased.insert({id, e.erasure().attachment()}).second)
        return absl::FailedPreconditionError("erasure: already erased");
      return absl::OkStatus();
    }
    CorrectionLookups l{
        [&](const Hash& id) -> absl::StatusOr<std::optional<EventFacts>> {
          return Earlier(id, c.index);
        },
        [&](const Hash& id) -> absl::StatusOr<bool> {
          return superseded.count(id) > 0;
        },
        [&](const Hash& id) -> absl::StatusOr<bool> {
          return retracted.count(id) > 0;
        }};
    if (auto s = CheckCorrections(e, c.admin, c.organisation, l); !s.ok())
      return s;
    if (!e.supersedes().empty())
      superseded.insert(*HashFromBytes(e.supersedes(), "supersedes"));
    if (e.has_retraction())
      retracted.insert(*HashFromBytes(e.retraction().retracts(), "retracts"));
    return absl::OkStatus();
  }

  void NoteForApprovals(uint64_t index, const Checked& c) {
    const v1::Event& e = *c.event;
    if (e.event_type() == "Approval") {
      const v1::RosterMember* m = roster_->FindActive(c.leaf->signer);
      book_.NoteApproval(e.approval(), m ? m->grant().organisation() : "");
    }
    for (const std::string* withdrawn :
         {&e.supersedes(), &e.retraction().retracts()}) {
      if (auto id = HashFromBytes(*withdrawn, "withdrawn"); id.ok())
        book_.NoteWithdrawn(*id);
    }
    if (TakesApprovals(e)) {
      book_.NoteEvent(EventId(header_.origin(), c.leaf->event_bytes),
                      {index, c.leaf->signer, e.event_type(), PartiesOf(e)});
    }
  }

  absl::Status CheckGenesis(const v1::Event& e, const PublicKey& signer) {
    if (o_.admin && signer != o_.admin->public_key()) {
      return Fail(0, "genesis",
                  "not signed by the admin key given with --admin-vkey");
    }
    for (const VerifierKey& k : o_.log_keys) {
      if (e.genesis().log_verifier_key() == k.ToString())
        return absl::OkStatus();
    }
    return Fail(0, "genesis",
                absl::StrCat("names log key '", e.genesis().log_verifier_key(),
                             "', not one given with --vkey"));
  }

  // A grant of admin or auditor to a key the reader did not name for that role
  // fails when the reader named keys for it (--admin-vkey names the admin).
  absl::Status CheckExpectedGrant(uint64_t index, const v1::Event& e) {
    auto s = CheckGrantIsExpected(o_, e);
    return s.ok() ? s : Fail(index, "unexpected key", s.message());
  }

  absl::StatusOr<VerifiedCheckpoint> OpenWithPolicy(const std::string& note,
                                                    uint64_t index) {
    absl::Status last = absl::InvalidArgumentError("no --vkey");
    for (const VerifierKey& k : o_.log_keys) {
      auto cp = OpenCheckpoint(note, k, o_.witness_policy.witnesses);
      if (!cp.ok()) {
        last = cp.status();
        continue;
      }
      const size_t cosigned = CountCosignatures(cp->note);
      if (cosigned < o_.witness_policy.quorum) {
        return Fail(index, "witness quorum",
                    absl::StrCat("expected ", o_.witness_policy.quorum,
                                 " cosignatures, found ", cosigned));
      }
      report_.cosignatures = cosigned;
      for (const NoteSignature& u : cp->note.unknown) {
        report_.warnings.push_back(
            absl::StrCat("checkpoint: a signature by '", u.name,
                         "', a key the reader did not name, was not checked "
                         "(add it to the witness policy)"));
      }
      return cp;
    }
    return Fail(index, "checkpoint signature", last.message());
  }

  absl::Status CheckpointAndRoots() {
    auto note = Expect(RecordType::kCheckpoint, "checkpoint");
    if (!note.ok()) return note.status();
    const uint64_t n = header_.checkpoint_size();
    auto cp = OpenWithPolicy(*note, n);
    if (!cp.ok()) return cp.status();
    if (cp->checkpoint.size != n || cp->checkpoint.origin != header_.origin()) {
      return Fail(n, "header",
                  "the checkpoint's size or origin differs from the header");
    }
    checkpoint_ = cp->checkpoint;
    report_.root = checkpoint_.root;
    if (!header_.range_consistency()) {
      if (header_.to() != n || range_.Root() != checkpoint_.root) {
        return Fail(n, "root",
                    absl::StrCat("expected ", ToHex(checkpoint_.root),
                                 " (signed), computed ", ToHex(range_.Root())));
      }
      return absl::OkStatus();
    }
    return CheckConsistencyRecord(header_.to(), range_.Root(),
                                  "range consistency");
  }

  absl::Status CheckConsistencyRecord(uint64_t first, const Hash& first_root,
                                      absl::string_view what) {
    v1::ConsistencyRecord c;
    if (auto s = ExpectProto(RecordType::kConsistency, what, &c); !s.ok())
      return s;
    auto hashes = HashesFromBytes(
        std::vector<std::string>(c.hashes().begin(), c.hashes().end()), what);
    if (!hashes.ok() || c.first() != first || c.second() != checkpoint_.size) {
      return Fail(checkpoint_.size, what, "a proof between the wrong sizes");
    }
    auto s = VerifyConsistency(first, checkpoint_.size, *hashes, first_root,
                               checkpoint_.root);
    return s.ok() ? s : Fail(checkpoint_.size, what, s.message());
  }

  absl::Status Trusted() {
    if (o_.trusted_checkpoint.empty()) {
      if (header_.trusted_consistency()) {
        return Fail("trusted consistency",
                    "the bundle carries a proof from a trusted checkpoint; "
                    "pass that checkpoint with --trusted to check it");
      }
      return absl::OkStatus();
    }
    if (trusted_.size > checkpoint_.size) {
      return Fail(trusted_.size, "trusted",
                  "the bundle's checkpoint is older than the trusted one");
    }
    if (header_.trusted_consistency()) {
      return CheckConsistencyRecord(trusted_.size, trusted_.root,
                                    "trusted consistency");
    }
    if (trusted_.size == checkpoint_.size &&
        trusted_.root == checkpoint_.root) {
      return absl::OkStatus();
    }
    if (root_at_trusted_ && *root_at_trusted_ == trusted_.root)
      return absl::OkStatus();
    return Fail(trusted_.size, "trusted",
                "no proof that the bundle extends the trusted checkpoint");
  }

  absl::Status End() {
    v1::BundleEnd end;
    const uint64_t before = records_;
    if (auto s = ExpectProto(RecordType::kEnd, "end", &end); !s.ok()) return s;
    if (end.records() != before ||
        end.leaves() != header_.to() - header_.from()) {
      return Fail("end",
                  absl::StrCat("counts ", end.records(), " records and ",
                               end.leaves(), " leaves; the bundle has ", before,
                               " and ", header_.to() - header_.from()));
    }
    auto extra = reader_.Next();
    if (!absl::IsNotFound(extra.status())) {
      return Fail("bundle",
                  absl::StrCat("trailing bytes after the end record at byte ",
                               reader_.bytes_read()));
    }
    return absl::OkStatus();
  }

  void Summarise() {
    for (const ApprovableEvent& p : book_.Rejected())
      report_.rejected.push_back({p.index, p.event_type});
    for (const ApprovableEvent& p : book_.Pending()) {
      report_.pending_approvals.push_back({p.index, p.event_type});
    }
    if (roster_) report_.signers = SummariseSigners(*roster_, entries_, o_);
  }

 public:
  absl::Status LoadTrusted() {
    if (o_.trusted_checkpoint.empty()) return absl::OkStatus();
    for (const VerifierKey& k : o_.log_keys) {
      auto cp =
          OpenCheckpoint(o_.trusted_checkpoint, k, o_.witness_policy.witnesses);
      if (!cp.ok()) continue;
      const size_t cosigned = CountCosignatures(cp->note);
      if (cosigned < o_.witness_policy.quorum) {
        return absl::InvalidArgumentError(
            "--trusted: fewer cosignatures than the quorum");
      }
      trusted_ = cp->checkpoint;
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        "--trusted: not a checkpoint signed by a --vkey key");
  }

 private:
  std::istream* const in_;
  BundleReader reader_;
  const VerifyOptions& o_;
  VerifyReport report_;
  v1::BundleHeader header_;
  uint64_t records_ = 0;
  std::optional<Roster> roster_;
  CompactRange range_;
  Hash root_at_from_ = EmptyRoot();
  ChainState chain_;
  Checkpoint checkpoint_, trusted_;
  std::optional<Hash> root_at_trusted_;
  std::map<PublicKey, uint64_t> entries_;
  ApprovalBook book_;
  std::map<std::string, Phase> phases_;
  std::map<Hash, RefTarget> targets_;  // events references may name
  std::vector<Correction> corrections_;
  std::map<Hash, TargetFacts> wanted_;  // the events corrections name
  bool lifecycle_warned_ = false;
};

}  // namespace

absl::StatusOr<VerifyReport> VerifyBundle(std::istream* in,
                                          const VerifyOptions& options) {
  if (options.log_keys.empty())
    return absl::InvalidArgumentError("--vkey is required");
  Verifier v(in, options);
  if (auto s = v.LoadTrusted(); !s.ok()) return s;
  return v.Run();
}

}  // namespace ailedger
