#include "ledger/tlog/checkpoint.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ledger/base/base64.h"

namespace ailedger {
namespace {

absl::StatusOr<uint64_t> ParseSize(absl::string_view line) {
  uint64_t size = 0;
  bool digits = !line.empty() &&
                line.find_first_not_of("0123456789") == absl::string_view::npos;
  if (!digits || (line.size() > 1 && line[0] == '0') ||
      !absl::SimpleAtoi(line, &size)) {
    return absl::InvalidArgumentError(
        "checkpoint: line 2 (size) must be a decimal without leading zeros");
  }
  return size;
}

}  // namespace

std::string Checkpoint::ToText() const {
  return absl::StrCat(origin, "\n", size, "\n", Base64Encode(AsBytes(root)),
                      "\n");
}

absl::StatusOr<Checkpoint> ParseCheckpoint(absl::string_view text) {
  if (text.empty() || text.back() != '\n') {
    return absl::InvalidArgumentError("checkpoint: must end with a newline");
  }
  text.remove_suffix(1);
  std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  if (lines.size() < 3) {
    return absl::InvalidArgumentError(
        "checkpoint: needs origin, size and root");
  }
  if (lines.size() > 3) {
    return absl::InvalidArgumentError(
        "checkpoint: extension lines are not allowed in ailedger checkpoints");
  }
  Checkpoint cp;
  if (lines[0].empty()) {
    return absl::InvalidArgumentError("checkpoint: line 1 (origin) is empty");
  }
  cp.origin = std::string(lines[0]);
  auto size = ParseSize(lines[1]);
  if (!size.ok()) return size.status();
  cp.size = *size;
  auto root = Base64Decode(lines[2], "checkpoint: line 3 (root)");
  if (!root.ok()) return root.status();
  auto h = HashFromBytes(*root, "checkpoint: line 3 (root)");
  if (!h.ok()) return h.status();
  cp.root = *h;
  return cp;
}

absl::StatusOr<std::string> SignCheckpoint(const Checkpoint& cp,
                                           const SigningKey& log_key) {
  if (log_key.verifier().name() != cp.origin) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: log key name '", log_key.verifier().name(),
                     "' differs from origin '", cp.origin, "'"));
  }
  const SigningKey* keys[] = {&log_key};
  return SignNote(cp.ToText(), keys);
}

absl::StatusOr<VerifiedCheckpoint> OpenCheckpoint(
    absl::string_view note, const VerifierKey& log_key,
    absl::Span<const VerifierKey> cosigners) {
  std::vector<VerifierKey> keys{log_key};
  keys.insert(keys.end(), cosigners.begin(), cosigners.end());
  auto opened = OpenNote(note, keys);
  if (!opened.ok()) return opened.status();
  bool log_signed = false;
  for (const VerifiedSignature& v : opened->verified) {
    log_signed |= v.key.type() == log_key.type() &&
                  v.key.public_key() == log_key.public_key() &&
                  v.key.name() == log_key.name();
  }
  if (!log_signed) {
    return absl::UnauthenticatedError("checkpoint: not signed by the log key");
  }
  auto cp = ParseCheckpoint(opened->text);
  if (!cp.ok()) return cp.status();
  if (cp->origin != log_key.name()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint: origin '", cp->origin,
                     "' is not the log key's name '", log_key.name(), "'"));
  }
  VerifiedCheckpoint out{*std::move(cp), *std::move(opened)};
  return out;
}

}  // namespace ailedger
