#include "server/append_checks.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/event_signature.h"
#include "ledger/rules/engine.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {

absl::Status CheckAppendSizes(const AppendInput& in) {
  if (in.event.empty()) return absl::InvalidArgumentError("event: empty");
  if (in.event.size() > kMaxEventSize) {
    return absl::InvalidArgumentError(absl::StrCat(
        "event: ", in.event.size(), " bytes; a leaf holds at most ",
        kMaxEventSize, " (put larger material in evidence digests)"));
  }
  if (in.signer.size() != 32) {
    return absl::InvalidArgumentError(
        "signer: must be a 32-byte Ed25519 public key");
  }
  if (in.signature.size() != 64) {
    return absl::InvalidArgumentError("signature: must be 64 bytes");
  }
  return absl::OkStatus();
}

absl::StatusOr<PendingAppend> CheckAppend(absl::string_view origin,
                                          const AppendInput& in, int64_t now_ms,
                                          int64_t skew_ms,
                                          uint32_t log_version) {
  if (auto s = CheckAppendSizes(in); !s.ok()) return s;
  auto parsed = ParseCanonicalEvent(in.event);
  if (!parsed.ok()) return parsed.status();
  if (auto s = CheckAlone(*parsed, log_version, now_ms, skew_ms); !s.ok())
    return s;
  PendingAppend p;
  p.event.event_bytes = in.event;
  std::memcpy(p.event.signer.data(), in.signer.data(), 32);
  std::memcpy(p.event.signature.data(), in.signature.data(), 64);
  if (!VerifyEventSignature(origin, in.event, p.event.signer, in.signature)) {
    return absl::UnauthenticatedError(
        "signature: does not verify for this signer, event and log origin");
  }
  p.parsed = *std::move(parsed);
  p.event_id = EventId(origin, in.event);
  p.fields_version = log_version;
  return p;
}

}  // namespace ailedger
