#include "ledger/tlog/witness_protocol.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/base/base64.h"

namespace ailedger {
namespace {

constexpr size_t kMaxProofLines = 63;

}  // namespace

bool ParseCanonicalDecimal(absl::string_view s, uint64_t* v) {
  return !s.empty() &&
         s.find_first_not_of("0123456789") == absl::string_view::npos &&
         (s.size() == 1 || s[0] != '0') && absl::SimpleAtoi(s, v);
}

std::string LatestCosignedPath(absl::string_view origin) {
  return absl::StrCat(kLatestCosignedPath, ToHex(Sha256Of(origin)));
}

std::string FormatAddCheckpoint(const AddCheckpointRequest& r) {
  std::string out = absl::StrCat("old ", r.old_size, "\n");
  for (const Hash& h : r.proof)
    absl::StrAppend(&out, Base64Encode(AsBytes(h)), "\n");
  absl::StrAppend(&out, "\n", r.checkpoint);
  return out;
}

absl::StatusOr<AddCheckpointRequest> ParseAddCheckpoint(
    absl::string_view body) {
  if (body.size() > kMaxAddCheckpointSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "add-checkpoint: larger than ", kMaxAddCheckpointSize, " bytes"));
  }
  AddCheckpointRequest r;
  size_t nl = body.find('\n');
  absl::string_view line = body.substr(0, nl);
  if (nl == absl::string_view::npos || !absl::ConsumePrefix(&line, "old ") ||
      !ParseCanonicalDecimal(line, &r.old_size)) {
    return absl::InvalidArgumentError(
        "add-checkpoint: first line must be 'old <size>'");
  }
  body.remove_prefix(nl + 1);
  while (true) {
    nl = body.find('\n');
    if (nl == absl::string_view::npos)
      return absl::InvalidArgumentError("add-checkpoint: truncated");
    line = body.substr(0, nl);
    body.remove_prefix(nl + 1);
    if (line.empty()) break;
    if (r.proof.size() == kMaxProofLines) {
      return absl::InvalidArgumentError(
          "add-checkpoint: more than 63 proof lines");
    }
    auto raw = Base64Decode(line, "add-checkpoint: proof line");
    if (!raw.ok()) return raw.status();
    auto h = HashFromBytes(*raw, "add-checkpoint: proof line");
    if (!h.ok()) return h.status();
    r.proof.push_back(*h);
  }
  r.checkpoint = std::string(body);
  return r;
}

}  // namespace ailedger
