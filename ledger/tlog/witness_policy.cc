#include "ledger/tlog/witness_policy.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace ailedger {

absl::StatusOr<WitnessPolicy> ParseWitnessPolicy(absl::string_view text) {
  WitnessPolicy p;
  bool quorum_set = false;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripAsciiWhitespace(line.substr(0, line.find('#')));
    if (line.empty()) continue;
    if (absl::ConsumePrefix(&line, "witness ")) {
      auto k = VerifierKey::Parse(absl::StripAsciiWhitespace(line));
      if (!k.ok() || k->type() != kKeyTypeCosignature) {
        return absl::InvalidArgumentError(
            "witness policy: 'witness' needs a cosigner (0x04) key");
      }
      p.witnesses.push_back(*std::move(k));
    } else if (absl::ConsumePrefix(&line, "quorum ") &&
               absl::SimpleAtoi(line, &p.quorum)) {
      quorum_set = true;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("witness policy: cannot read '", line, "'"));
    }
  }
  if (!quorum_set) p.quorum = p.witnesses.empty() ? 0 : 1;
  if (p.quorum > p.witnesses.size()) {
    return absl::InvalidArgumentError(
        "witness policy: quorum larger than the witnesses named");
  }
  return p;
}

}  // namespace ailedger
