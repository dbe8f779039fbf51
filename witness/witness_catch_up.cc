// Witness::CatchUp: a witness restored from a backup may be behind what it
// cosigned since, and would then cosign a fork of a tree it already vouched
// for. Its own cosignatures, which the logs it witnesses keep (a log's latest
// cosigned checkpoint), bring it back to where it was.
#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "witness/witness.h"

namespace ailedger {

absl::StatusOr<std::string> Witness::CatchUp(absl::string_view note) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  const std::string origin = parsed->text.substr(0, parsed->text.find('\n'));
  const VerifierKey& self = cosigner_.verifier();
  absl::StatusOr<VerifiedCheckpoint> cp = absl::NotFoundError(
      absl::StrCat("not a log this witness knows: ", origin));
  for (const VerifierKey& k : log_keys_) {
    if (k.name() != origin) continue;
    cp = OpenCheckpoint(note, k, {&self, 1});
    if (cp.ok()) break;
  }
  if (!cp.ok()) return cp.status();
  bool cosigned = false;
  for (const VerifiedSignature& v : cp->note.verified) {
    cosigned |= v.timestamp.has_value() && v.key.ToString() == self.ToString();
  }
  if (!cosigned) {
    return absl::UnauthenticatedError(absl::StrCat(
        origin, ": the checkpoint carries no cosignature by this witness"));
  }
  const Checkpoint& c = cp->checkpoint;
  std::lock_guard<std::mutex> lock(mu_);
  auto latest = Load(origin);
  if (!latest.ok()) return latest.status();
  if (c.size == latest->size && latest->size > 0 && c.root != latest->root) {
    return absl::DataLossError(
        absl::StrCat(origin, ": this witness cosigned another root at size ",
                     c.size, " than its state holds"));
  }
  if (c.size <= latest->size) {
    return absl::StrCat(origin, ": at size ", latest->size,
                        ", the checkpoint given (size ", c.size,
                        ") is not newer");
  }
  if (auto s = WriteFileDurably(
          StatePath(origin),
          absl::StrCat(c.size, "\n", Base64Encode(AsBytes(c.root)), "\n",
                       note));
      !s.ok())
    return s;
  return absl::StrCat(origin, ": raised from size ", latest->size, " to ",
                      c.size, ", which this witness had cosigned");
}

}  // namespace ailedger
