#include "cmdline/usage_error.h"

#include "absl/strings/cord.h"

namespace ailedger {

absl::Status UsageError(absl::string_view message, absl::string_view usage) {
  absl::Status s = absl::InvalidArgumentError(message);
  s.SetPayload(kUsageErrorPayload, absl::Cord(usage));
  return s;
}

absl::Status AsUsageError(absl::Status s) {
  if (!s.ok() && !IsUsageError(s)) s.SetPayload(kUsageErrorPayload, {});
  return s;
}

absl::Status LocalInputError(absl::Status s) {
  switch (s.code()) {
    case absl::StatusCode::kNotFound:
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kOutOfRange:
      return AsUsageError(std::move(s));
    default:
      return s;
  }
}

bool IsUsageError(const absl::Status& s) {
  return s.GetPayload(kUsageErrorPayload).has_value();
}

std::string UsageText(const absl::Status& s) {
  auto usage = s.GetPayload(kUsageErrorPayload);
  return usage ? std::string(*usage) : "";
}

int ExitCode(const absl::Status& s) {
  if (s.ok()) return 0;
  return IsUsageError(s) ? 2 : 1;
}

}  // namespace ailedger
