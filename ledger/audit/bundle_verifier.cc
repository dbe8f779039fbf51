#include "ledger/audit/bundle_verifier.h"

#include <algorithm>
#include <future>
#include <map>
#include <memory>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ailedger/bundle.pb.h"
#include "ledger/audit/bundle.h"
#include "ledger/audit/entry_checks.h"
#include "ledger/audit/key_rotation_records.h"
#include "ledger/audit/leaf_check.h"
#include "ledger/audit/verify_failure.h"
#include "ledger/audit/witnessed_checkpoints.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/event_types.h"
#include "ledger/governance/roster.h"
#include "ledger/merkle/compact_range.h"
#include "ledger/merkle/verify.h"
#include "ledger/rules/engine.h"
#include "ledger/tlog/chain.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/trust.h"

namespace ailedger {
namespace {

constexpr size_t kBatch = 1024;

class Verifier {
 public:
  Verifier(std::istream* in, const VerifyOptions& o)
      : in_(in), reader_(in), o_(o), anchors_{o.log_keys, o.witness_policy} {}

  absl::StatusOr<VerifyReport> Run() {
    if (auto s = reader_.ReadMagic(); !s.ok()) return s;
    absl::Status s = Steps();
    if (!unusable_.ok()) return unusable_;
    report_.verified = s.ok();
    if (!s.ok()) {
      report_.failure = std::string(s.message());
      report_.failed_check = RuleOf(s);
    }
    Summarise();
    return std::move(report_);
  }

 private:
  absl::Status Steps() {
    for (auto step :
         {&Verifier::Header, &Verifier::Prefix, &Verifier::RosterEvents,
          &Verifier::Leaves, &Verifier::EntriesDone,
          &Verifier::CheckpointAndRoots, &Verifier::Trusted,
          &Verifier::Cosigned, &Verifier::Rotations, &Verifier::End}) {
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

  bool NamesALogKey(const std::string& origin) const {
    for (const VerifierKey& k : o_.log_keys)
      if (k.name() == origin) return true;
    return false;
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
    report_.roster_complete = header_.from() == 0;
    // C2SP signed-note: a log's key is named by its origin. A header naming
    // another log is refused here, before any leaf is blamed for it.
    if (!NamesALogKey(header_.origin())) {
      return Fail("header", absl::StrCat("origin '", header_.origin(),
                                         "' is not the log the reader's "
                                         "--vkey keys name"));
    }
    checks_.emplace(o_, header_.origin(), header_.from(), in_, &report_);
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
      if (!c.event.ok() || !ChangesRoster(c.event->event_type())) {
        return Fail(index, "roster", "not a roster event");
      }
      roster().AdvanceTo(index);
      const Hash id = EventId(header_.origin(), c.leaf->event_bytes);
      if (auto s = checks_->Check(index, c, id, /*count=*/false); !s.ok())
        return s;
      ++report_.roster_events_supplied;
      last = index;
    }
    roster().AdvanceTo(header_.from());
    return CheckKnownRoster();
  }

  // The roster records of a ranged bundle against the roster the reader
  // replayed itself: the same events, none left out, none added.
  absl::Status CheckKnownRoster() {
    if (!o_.known_roster || header_.from() == 0) return absl::OkStatus();
    const std::vector<RosterRef>& known = *o_.known_roster;
    const std::vector<RosterRef>& supplied = report_.roster;
    for (size_t i = 0; i < std::max(known.size(), supplied.size()); ++i) {
      const RosterRef* k = i < known.size() ? &known[i] : nullptr;
      const RosterRef* b = i < supplied.size() ? &supplied[i] : nullptr;
      if (k && b && *k == *b) continue;
      std::string detail;
      uint64_t at = 0;
      if (k && (!b || k->index < b->index)) {
        at = k->index;
        detail = absl::StrCat("the ", k->event_type, " at index ", at,
                              " is missing from the bundle");
      } else if (b && (!k || b->index < k->index)) {
        at = b->index;
        detail = absl::StrCat("the bundle adds a ", b->event_type, " at index ",
                              at, " not replayed before");
      } else {
        at = b->index;
        detail =
            absl::StrCat("the bundle's ", b->event_type, " at index ", at,
                         " is not the ", k->event_type, " replayed before");
      }
      return Fail(at, "roster",
                  absl::StrCat("differs from the roster replayed before (",
                               known.size(), " events before index ",
                               header_.from(), "; the exporter supplied ",
                               supplied.size(), "): ", detail));
    }
    report_.roster_complete = true;
    return absl::OkStatus();
  }

  // The leaves in batches of kBatch, in a pipeline of three stages: while
  // worker threads check batch k (decoding and signatures: CheckOne), this
  // thread reads batch k + 1 and then runs the index-order checks of batch k
  // as soon as it is checked, while the workers go on to batch k + 1.
  absl::Status Leaves() {
    const uint64_t total = header_.to() - header_.from();
    uint64_t read = 0, done = 0;
    ReadBatch current = Read(total, &read);
    std::future<CheckedBatch> checking = StartCheck(current.payloads);
    for (;;) {
      ReadBatch next;
      if (current.error.ok() && read < total) next = Read(total, &read);
      CheckedBatch checked = checking.get();
      if (!next.payloads->empty()) checking = StartCheck(next.payloads);
      for (size_t i = 0; i < checked.entries.size(); ++i) {
        absl::Status s = Sequential(checked.entries[i], checked.ids[i]);
        if (!s.ok()) return s;
      }
      if (!current.error.ok()) return current.error;
      done += checked.entries.size();
      if (o_.progress) o_.progress(done, total);
      if (next.payloads->empty()) return next.error;  // OK: all read
      current = std::move(next);
    }
  }

  struct ReadBatch {
    std::shared_ptr<const std::vector<std::string>> payloads =
        std::make_shared<std::vector<std::string>>();
    absl::Status error;  // reported after the leaves read before it
  };
  struct CheckedBatch {
    std::vector<Checked> entries;
    std::vector<Hash> ids;  // their event ids
  };

  ReadBatch Read(uint64_t total, uint64_t* read) {
    auto payloads = std::make_shared<std::vector<std::string>>();
    ReadBatch out;
    while (payloads->size() < kBatch && *read < total) {
      auto payload = Expect(RecordType::kLeaf, "leaf");
      if (!payload.ok()) {
        out.error = payload.status();
        break;
      }
      payloads->push_back(*std::move(payload));
      ++*read;
    }
    out.payloads = std::move(payloads);
    return out;
  }

  std::future<CheckedBatch> StartCheck(
      std::shared_ptr<const std::vector<std::string>> payloads) {
    return std::async(std::launch::async,
                      [this, payloads] { return CheckInParallel(*payloads); });
  }

  CheckedBatch CheckInParallel(const std::vector<std::string>& batch) const {
    CheckedBatch out;
    out.entries.resize(batch.size());
    out.ids.assign(batch.size(), Hash{});
    unsigned n = o_.threads ? o_.threads
                            : std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n; ++t) {
      threads.emplace_back([&, t] {
        for (size_t i = t; i < batch.size(); i += n) {
          out.entries[i] = CheckOne(header_.origin(), batch[i]);
          if (out.entries[i].leaf.ok()) {
            out.ids[i] =
                EventId(header_.origin(), out.entries[i].leaf->event_bytes);
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    return out;
  }

  // In index order: the chain, the roster, the tree.
  absl::Status Sequential(const Checked& c, const Hash& event_id) {
    const uint64_t index = chain_.next_index;
    if (!c.leaf.ok()) {
      return checks_->FirstOf(
          Fail(index, "leaf format", c.leaf.status().message()), index);
    }
    if (auto s = CheckChainLink(chain_, *c.leaf); !s.ok())
      return checks_->FirstOf(Fail(index, "chain", s.message()), index);
    if (auto s = checks_->Check(index, c, event_id, /*count=*/true); !s.ok())
      return s;
    chain_ = {index + 1, c.leaf_hash, c.leaf->integrated_time_ms};
    range_.Append(c.leaf_hash, nullptr);
    if (!o_.trusted_checkpoint.empty() && range_.size() == trusted_.size) {
      root_at_trusted_ = range_.Root();
    }
    return absl::OkStatus();
  }

  Roster& roster() { return checks_->roster(); }

  absl::Status EntriesDone() { return checks_->Finish(); }

  // The bundle's checkpoint under the reader's trust (ledger/tlog/trust.h).
  absl::StatusOr<TrustedCheckpoint> OpenWithPolicy(const std::string& note,
                                                   uint64_t index) {
    auto cp = OpenTrustedCheckpoint(note, anchors_);
    if (!cp.ok()) {
      return Fail(index,
                  absl::IsFailedPrecondition(cp.status())
                      ? "witness quorum"
                      : "checkpoint signature",
                  cp.status().message());
    }
    report_.cosignatures = cp->cosignatures;
    newest_times_ = cp->witness_times;
    for (const std::string& name : cp->unknown_signers) {
      report_.warnings.push_back(
          absl::StrCat("checkpoint: a signature by '", name,
                       "', a key the reader did not name, was not checked "
                       "(add it to the witness policy)"));
    }
    return cp;
  }

  absl::Status CheckpointAndRoots() {
    auto note = Expect(RecordType::kCheckpoint, "checkpoint");
    if (!note.ok()) return note.status();
    // The log's rotations as the replay met them (admin-signed, to new
    // keys): the checkpoints are opened along them from the reader's keys,
    // and each is confirmed by its ROTATION record (Rotations).
    anchors_.rotations = roster().log_keys().rotations();
    report_.key_rotations = anchors_.rotations;
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
    // Signed by a key the log rotated to: opened along the rotations the
    // replay met (each confirmed by its record in Rotations).
    if (trusted_deferred_) {
      auto cp = OpenTrustedCheckpoint(o_.trusted_checkpoint, anchors_);
      if (!cp.ok()) {
        // Unusable input, as when it fails before the bundle is read.
        unusable_ = absl::InvalidArgumentError(absl::StrCat(
            "trusted checkpoint: ",
            absl::StripPrefix(cp.status().message(), "checkpoint: ")));
        return unusable_;
      }
    }
    if (o_.trusted_checkpoint.empty()) {
      if (header_.trusted_consistency()) {
        return Fail("trusted consistency",
                    "the bundle carries a proof from a trusted checkpoint; "
                    "the reader named none to check it against");
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

  // The older cosigned checkpoints (witnessed_checkpoints.h), then the
  // bundle's own: witnessed times, in ascending size.
  absl::Status Cosigned() {
    uint64_t after = header_.from();
    for (uint32_t i = 0; i < header_.cosigned_checkpoints(); ++i) {
      auto payload = Expect(RecordType::kCosigned, "cosigned checkpoint");
      if (!payload.ok()) return payload.status();
      auto w = CheckCosignedRecord(*payload, anchors_, checkpoint_, after);
      // Signed only by a key the log left (declared compromised): its
      // witnesses' times are not used, and nothing else rests on it.
      if (IsOutsideKeyWindow(w.status())) {
        report_.warnings.push_back(absl::StrCat(
            w.status().message(), " (its witnessed times are not used)"));
        continue;
      }
      if (!w.ok()) return w.status();
      after = w->size;
      report_.witnessed.push_back(*std::move(w));
    }
    if (!newest_times_.empty() &&
        (report_.witnessed.empty() ||
         report_.witnessed.back().size < checkpoint_.size)) {
      report_.witnessed.push_back({checkpoint_.size, newest_times_});
    }
    return absl::OkStatus();
  }

  // One ROTATION record per LogKeyRotated replayed, each confirmed under the
  // rotations before it (key_rotation_records.h).
  absl::Status Rotations() {
    const std::vector<LogKeyRotation>& replayed = report_.key_rotations;
    if (header_.key_rotations() != replayed.size()) {
      return Fail(
          "key rotation",
          absl::StrCat("the bundle carries ", header_.key_rotations(),
                       " key rotation records; the log holds ", replayed.size(),
                       " LogKeyRotated before ", header_.to()));
    }
    TrustAnchors confirmed{o_.log_keys, o_.witness_policy};
    for (const LogKeyRotation& r : replayed) {
      auto payload = Expect(RecordType::kRotation, "key rotation");
      if (!payload.ok()) return payload.status();
      const RosterRef* ref = nullptr;
      for (const RosterRef& x : report_.roster)
        if (x.index == r.index) ref = &x;
      if (ref == nullptr) return Fail(r.index, "key rotation", "not replayed");
      if (auto s =
              CheckRotationRecord(*payload, confirmed, r, *ref, checkpoint_);
          !s.ok())
        return s;
      confirmed.rotations.push_back(r);
    }
    return absl::OkStatus();
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
    if (!report_.origin.empty() && !report_.roster_complete) {
      report_.warnings.insert(
          report_.warnings.begin(),
          absl::StrCat(
              "roster completeness is not proven: the bundle starts at index ",
              header_.from(), " and the exporter supplied ",
              report_.roster_events_supplied,
              " roster events before it; a KeyRevoked or KeyGranted it left "
              "out goes unseen, and events by a key revoked before ",
              header_.from(),
              " would verify (a bundle from 0, or `monitor`, proves the "
              "roster)"));
    }
    if (checks_) checks_->Summarise();
  }

 public:
  absl::Status LoadTrusted() {
    if (o_.trusted_checkpoint.empty()) return absl::OkStatus();
    auto cp = OpenTrustedCheckpoint(o_.trusted_checkpoint, anchors_);
    // Signed by a key the log rotated to: opened once the bundle has proven
    // the rotations (Rotations); its size and root are used meanwhile.
    if (absl::IsUnauthenticated(cp.status())) {
      auto parsed = ParseNote(o_.trusted_checkpoint);
      auto peek = parsed.ok() ? ParseCheckpoint(parsed->text)
                              : absl::StatusOr<Checkpoint>(parsed.status());
      if (peek.ok()) {
        trusted_ = *std::move(peek);
        trusted_deferred_ = true;
        return absl::OkStatus();
      }
    }
    if (!cp.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "trusted checkpoint: ",
          absl::StripPrefix(cp.status().message(), "checkpoint: ")));
    }
    trusted_ = cp->checkpoint;
    return absl::OkStatus();
  }

 private:
  std::istream* const in_;
  BundleReader reader_;
  const VerifyOptions& o_;
  // The reader's log keys and witness policy, and the log's rotations once
  // the leaves are replayed.
  TrustAnchors anchors_;
  bool trusted_deferred_ = false;
  absl::Status unusable_;  // a trusted checkpoint that never opened
  VerifyReport report_;
  v1::BundleHeader header_;
  uint64_t records_ = 0;
  CompactRange range_;
  Hash root_at_from_ = EmptyRoot();
  ChainState chain_;
  Checkpoint checkpoint_, trusted_;
  std::optional<Hash> root_at_trusted_;
  std::vector<std::pair<std::string, uint64_t>> newest_times_;
  // The checks of each entry in index order, from the header on.
  std::optional<EntryChecks> checks_;
};

}  // namespace

absl::StatusOr<VerifyReport> VerifyBundle(std::istream* in,
                                          const VerifyOptions& options) {
  if (options.log_keys.empty())
    return absl::InvalidArgumentError(
        "a log key is required: the verifier trusts only the reader's keys");
  if (in->tellg() < 0) {
    return absl::InvalidArgumentError(
        "the bundle must be seekable (the second pass re-reads it)");
  }
  Verifier v(in, options);
  if (auto s = v.LoadTrusted(); !s.ok()) return s;
  return v.Run();
}

}  // namespace ailedger
