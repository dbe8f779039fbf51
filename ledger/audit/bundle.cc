#include "ledger/audit/bundle.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"

namespace ailedger {

BundleWriter::BundleWriter(std::ostream* out) : out_(out) {
  out_->write(kBundleMagic, std::strlen(kBundleMagic));
}

absl::Status BundleWriter::Write(RecordType type, const std::string& payload) {
  if (payload.size() > kMaxBundleRecord) {
    return absl::InvalidArgumentError("bundle: record larger than 70 KB");
  }
  std::string head(1, static_cast<char>(type));
  PutBigEndian32(static_cast<uint32_t>(payload.size()), &head);
  out_->write(head.data(), head.size());
  out_->write(payload.data(), payload.size());
  ++records_;
  return out_->good() ? absl::OkStatus()
                      : absl::InternalError("bundle: write failed");
}

absl::Status BundleReader::ReadMagic() {
  const size_t n = std::strlen(kBundleMagic);
  std::string magic(n, '\0');
  in_->read(magic.data(), n);
  bytes_ += in_->gcount();
  if (static_cast<size_t>(in_->gcount()) != n || magic != kBundleMagic) {
    return absl::InvalidArgumentError(
        "bundle: not an ailedger bundle (bad magic or version)");
  }
  return absl::OkStatus();
}

absl::StatusOr<BundleRecord> BundleReader::Next() {
  char head[5];
  in_->read(head, 5);
  const auto got = in_->gcount();
  bytes_ += got;
  if (got == 0) return absl::NotFoundError("bundle: end of stream");
  if (got != 5) {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle: truncated record header at byte ", bytes_));
  }
  const uint8_t type = static_cast<uint8_t>(head[0]);
  const uint32_t len = GetBigEndian32(absl::string_view(head + 1, 4));
  if (type < 1 || type > 9) {
    return absl::InvalidArgumentError(absl::StrCat(
        "bundle: unknown record type ", type, " at byte ", bytes_ - 5));
  }
  if (len > kMaxBundleRecord) {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle: record of ", len, " bytes at byte ", bytes_ - 5,
                     " exceeds 70 KB"));
  }
  BundleRecord r{static_cast<RecordType>(type), std::string(len, '\0')};
  in_->read(r.payload.data(), len);
  bytes_ += in_->gcount();
  if (static_cast<uint32_t>(in_->gcount()) != len) {
    return absl::InvalidArgumentError(
        absl::StrCat("bundle: truncated record at byte ", bytes_));
  }
  return r;
}

}  // namespace ailedger
