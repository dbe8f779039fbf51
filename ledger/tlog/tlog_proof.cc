#include "ledger/tlog/tlog_proof.h"

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ledger/base/base64.h"
#include "ledger/merkle/verify.h"

namespace ailedger {
namespace {

constexpr absl::string_view kHeader = "c2sp.org/tlog-proof@v1\n";

// Takes the next "\n"-terminated line off `text`.
bool NextLine(absl::string_view* text, absl::string_view* line) {
  size_t nl = text->find('\n');
  if (nl == absl::string_view::npos) return false;
  *line = text->substr(0, nl);
  text->remove_prefix(nl + 1);
  return true;
}

absl::StatusOr<uint64_t> ParseIndex(absl::string_view line) {
  uint64_t index = 0;
  if (!absl::ConsumePrefix(&line, "index ") || line.empty() ||
      line.find_first_not_of("0123456789") != absl::string_view::npos ||
      (line.size() > 1 && line[0] == '0') || !absl::SimpleAtoi(line, &index)) {
    return absl::InvalidArgumentError(
        "tlog-proof: expected 'index <decimal, no leading zeros>'");
  }
  return index;
}

}  // namespace

std::string FormatTlogProof(const TlogProof& p) {
  std::string out(kHeader);
  if (!p.extra.empty())
    absl::StrAppend(&out, "extra ", Base64Encode(p.extra), "\n");
  absl::StrAppend(&out, "index ", p.index, "\n");
  for (const Hash& h : p.hashes)
    absl::StrAppend(&out, Base64Encode(AsBytes(h)), "\n");
  absl::StrAppend(&out, "\n", p.checkpoint);
  return out;
}

absl::StatusOr<TlogProof> ParseTlogProof(absl::string_view text) {
  if (!absl::ConsumePrefix(&text, kHeader)) {
    return absl::InvalidArgumentError(
        "tlog-proof: missing c2sp.org/tlog-proof@v1 line");
  }
  TlogProof p;
  absl::string_view line;
  if (!NextLine(&text, &line))
    return absl::InvalidArgumentError("tlog-proof: truncated");
  if (absl::ConsumePrefix(&line, "extra ")) {
    auto extra = Base64Decode(line, "tlog-proof: extra");
    if (!extra.ok()) return extra.status();
    p.extra = *std::move(extra);
    if (!NextLine(&text, &line))
      return absl::InvalidArgumentError("tlog-proof: truncated");
  }
  auto index = ParseIndex(line);
  if (!index.ok()) return index.status();
  p.index = *index;
  while (NextLine(&text, &line) && !line.empty()) {
    auto raw = Base64Decode(line, "tlog-proof: hash");
    if (!raw.ok()) return raw.status();
    auto h = HashFromBytes(*raw, "tlog-proof: hash");
    if (!h.ok()) return h.status();
    p.hashes.push_back(*h);
  }
  if (!line.empty() || text.empty()) {
    return absl::InvalidArgumentError(
        "tlog-proof: no checkpoint after the proof");
  }
  p.checkpoint = std::string(text);
  return p;
}

absl::StatusOr<std::vector<std::string>> SplitTlogProofs(
    absl::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    absl::string_view rest = text, line;
    if (!absl::StartsWith(rest, kHeader)) {
      return absl::InvalidArgumentError(
          absl::StrCat("tlog-proof ", out.size() + 1,
                       ": does not start with c2sp.org/tlog-proof@v1"));
    }
    // The proof's lines up to its empty line, then the checkpoint's text up
    // to the note's empty line, then its signature lines.
    int blank_lines = 0;
    while (blank_lines < 2 && NextLine(&rest, &line)) {
      if (line.empty()) ++blank_lines;
    }
    while (absl::StartsWith(rest, "\xe2\x80\x94 ") && NextLine(&rest, &line)) {
    }
    if (blank_lines < 2 || rest.size() == text.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("tlog-proof ", out.size() + 1, ": truncated"));
    }
    out.emplace_back(text.substr(0, text.size() - rest.size()));
    text = rest;
  }
  return out;
}

absl::StatusOr<VerifiedCheckpoint> VerifyTlogProof(
    const TlogProof& proof, const Hash& leaf_hash, const VerifierKey& log_key,
    absl::Span<const VerifierKey> cosigners) {
  auto cp = OpenCheckpoint(proof.checkpoint, log_key, cosigners);
  if (!cp.ok()) return cp.status();
  auto s = VerifyInclusion(proof.index, cp->checkpoint.size, leaf_hash,
                           proof.hashes, cp->checkpoint.root);
  if (!s.ok()) return s;
  return cp;
}

}  // namespace ailedger
