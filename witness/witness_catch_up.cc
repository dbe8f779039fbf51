// Witness::CatchUp: a witness restored from a backup may be behind what it
// cosigned since, and would then cosign a fork of a tree it already vouched
// for. Its own cosignatures, which the logs it witnesses keep (a log's latest
// cosigned checkpoint), bring it back to where it was.
#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/trust.h"
#include "witness/witness.h"

namespace ailedger {

absl::StatusOr<std::string> Witness::CatchUp(absl::string_view note) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return parsed.status();
  const std::string origin = parsed->text.substr(0, parsed->text.find('\n'));
  std::lock_guard<std::mutex> lock(mu_);
  // Under the log keys this witness follows (its configuration, through the
  // rotations proven to it, which its backup keeps), and carrying this
  // witness's own cosignature.
  auto anchors = Anchors(origin);
  if (absl::IsNotFound(anchors.status())) {
    return absl::NotFoundError(
        absl::StrCat("not a log this witness knows: ", origin));
  }
  if (!anchors.ok()) return anchors.status();
  TrustAnchors own = *anchors;
  own.witness_policy = {{cosigner_.verifier()}, 1};
  auto cp = OpenTrustedCheckpoint(note, own);
  if (absl::IsFailedPrecondition(cp.status())) {
    return absl::UnauthenticatedError(absl::StrCat(
        origin, ": the checkpoint carries no cosignature by this witness"));
  }
  if (!cp.ok()) return cp.status();
  const Checkpoint& c = cp->checkpoint;
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
