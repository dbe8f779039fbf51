#include "server/log_keyring.h"

#include "absl/strings/str_cat.h"
#include "ledger/tlog/note.h"

namespace ailedger {
namespace {

std::string Vkey(const LogSigner& s) { return s.verifier().ToString(); }

// Whether the rotation that closed `link` is in the batch: its checkpoint
// hands the log over, and the key it leaves signs it too.
bool LeftInBatch(const LogKeyChain::Link& link, const SigningBatch& batch) {
  return link.closed_at && *link.closed_at >= batch.first_index;
}

}  // namespace

LogKeyring::LogKeyring(LogSigner* primary, std::unique_ptr<LogSigner> next)
    : primary_(primary), next_(std::move(next)) {
  if (next_) primary_->set_follower(next_.get());
}

LogKeyring::~LogKeyring() {
  if (next_) primary_->set_follower(nullptr);
}

absl::StatusOr<std::unique_ptr<LogKeyring>> LogKeyring::Open(
    LogSigner* primary, const std::string& next_key_file) {
  std::unique_ptr<LogSigner> next;
  if (!next_key_file.empty()) {
    auto opened = LogSigner::Open(next_key_file);
    if (!opened.ok()) return opened.status();
    const VerifierKey& k = (*opened)->verifier();
    if (k.name() != primary->verifier().name()) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--next-log-key: named '", k.name(), "', not after this log's '",
          primary->verifier().name(), "'"));
    }
    if (k.public_key() == primary->verifier().public_key()) {
      return absl::InvalidArgumentError(
          "--next-log-key: the same key as --log-key");
    }
    next = *std::move(opened);
  }
  return std::unique_ptr<LogKeyring>(new LogKeyring(primary, std::move(next)));
}

std::vector<LogSigner*> LogKeyring::loaded() const {
  std::vector<LogSigner*> out{primary_};
  if (next_) out.push_back(next_.get());
  return out;
}

absl::Status LogKeyring::CheckStart(const LogKeyChain& chain,
                                    const TreeState& state) const {
  for (LogSigner* s : loaded()) {
    if (s->high_water_mark() > state.size) {
      return absl::FailedPreconditionError(
          absl::StrCat("the log key '", Vkey(*s), "' has signed size ",
                       s->high_water_mark(), ", beyond this store's ",
                       state.size, ": this looks like a restored older copy"));
    }
  }
  if (chain.links().empty()) return absl::OkStatus();
  if (chain.Find(primary_->verifier()) == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("--log-key '", Vkey(*primary_),
                     "' is not a key of this log: its current key is '",
                     chain.links().back().key.ToString(), "'"));
  }
  const VerifierKey& current = chain.links().back().key;
  for (LogSigner* s : loaded()) {
    if (s->verifier().public_key() == current.public_key())
      return absl::OkStatus();
  }
  const auto& rotated = chain.links().back().rotated_at;
  return absl::FailedPreconditionError(absl::StrCat(
      "this log's current key is '", current.ToString(), "'",
      rotated ? absl::StrCat(" (the log rotated to it at index ", *rotated, ")")
              : "",
      ": serve with --log-key set to it, or with --next-log-key set to it "
      "beside the key it replaced"));
}

absl::StatusOr<std::string> LogKeyring::Sign(const Checkpoint& cp,
                                             const SigningBatch& batch) const {
  if (batch.log_keys == nullptr || batch.log_keys->links().empty()) {
    return primary_->Sign(cp);
  }
  const LogKeyChain& chain = *batch.log_keys;
  // A rotation to a key this server does not hold would leave the log
  // unable to sign once the overlap ends: its batch is refused instead.
  for (const LogKeyChain::Link& link : chain.links()) {
    if (!link.rotated_at || *link.rotated_at < batch.first_index) continue;
    bool held = false;
    for (LogSigner* s : loaded())
      held |= s->verifier().public_key() == link.key.public_key();
    if (!held) {
      return absl::FailedPreconditionError(absl::StrCat(
          "the LogKeyRotated at index ", *link.rotated_at,
          " names the log key '", link.key.ToString(),
          "', which this server does not hold: serve with --next-log-key "
          "set to it, then append the rotation again"));
    }
  }
  std::string text, lines;
  // In the chain's order: the older key's line first.
  for (const LogKeyChain::Link& link : chain.links()) {
    for (LogSigner* s : loaded()) {
      if (s->verifier().public_key() != link.key.public_key()) continue;
      if (!chain.MaySign(link.key, cp.size) && !LeftInBatch(link, batch))
        continue;
      auto note = s->Sign(cp);
      if (!note.ok()) return note.status();
      auto parsed = ParseNote(*note);
      if (!parsed.ok()) return parsed.status();
      text = parsed->text;
      for (const NoteSignature& sig : parsed->signatures)
        absl::StrAppend(&lines, sig.line, "\n");
    }
  }
  if (lines.empty()) {
    const std::vector<VerifierKey> may = chain.KeysAt(cp.size);
    return absl::FailedPreconditionError(
        absl::StrCat("no log key given to the server may sign size ", cp.size,
                     may.empty() ? std::string()
                                 : absl::StrCat(": the log's key for it is '",
                                                may.back().ToString(), "'")));
  }
  return absl::StrCat(text, "\n", lines);
}

absl::StatusOr<VerifiedCheckpoint> LogKeyring::OpenOwn(
    absl::string_view note) const {
  for (LogSigner* s : loaded()) {
    auto cp = OpenCheckpoint(note, s->verifier());
    if (cp.ok()) return cp;
  }
  // Say who signed it: after a rotation, the key to serve with.
  std::string signers;
  if (auto parsed = ParseNote(note); parsed.ok()) {
    for (const NoteSignature& sig : parsed->signatures) {
      absl::StrAppend(&signers, signers.empty() ? "" : ", ", "'", sig.name,
                      "' (key ID ", absl::Hex(sig.key_id, absl::kZeroPad8),
                      ")");
    }
  }
  return absl::FailedPreconditionError(absl::StrCat(
      "the store's latest checkpoint is signed by ", signers,
      ", not by a log key given to the server: after a log key rotation, "
      "serve with --log-key set to the log's current key"));
}

}  // namespace ailedger
