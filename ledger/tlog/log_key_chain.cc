#include "ledger/tlog/log_key_chain.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace ailedger {
namespace {

bool SameKey(const VerifierKey& a, const VerifierKey& b) {
  return a.type() == b.type() && a.public_key() == b.public_key() &&
         a.name() == b.name();
}

std::string Named(const VerifierKey& k) {
  return absl::StrCat("log key '", k.ToString(), "'");
}

}  // namespace

LogKeyChain::LogKeyChain(const std::vector<VerifierKey>& pinned) {
  for (const VerifierKey& k : pinned) {
    if (Find(k) != nullptr) continue;
    Link pin;
    pin.key = k;
    links_.push_back(std::move(pin));
  }
}

absl::Status LogKeyChain::Rotate(const LogKeyRotation& r) {
  const VerifierKey& k = r.new_key;
  if (k.type() != kKeyTypeEd25519) {
    return absl::InvalidArgumentError(
        "log key rotation: the new key is not an Ed25519 (type 0x01) key");
  }
  if (!links_.empty() && k.name() != links_.front().key.name()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "log key rotation: the new key is named '", k.name(),
        "', not after this log's origin '", links_.front().key.name(), "'"));
  }
  if (r.overlap_entries == 0 || r.overlap_entries > kMaxOverlapEntries) {
    return absl::InvalidArgumentError(
        absl::StrCat("log key rotation: the overlap must be 1 to ",
                     kMaxOverlapEntries, " entries"));
  }
  if (r.compromised_since && *r.compromised_since > r.index) {
    return absl::InvalidArgumentError(
        absl::StrCat("log key rotation: compromised since size ",
                     *r.compromised_since, ", beyond the rotation's own index ",
                     r.index, " (a compromise is declared for the past)"));
  }
  if (!rotations_.empty() && r.index <= rotations_.back().index) {
    return absl::FailedPreconditionError(
        absl::StrCat("log key rotation at index ", r.index,
                     ": not after the one at index ", rotations_.back().index));
  }
  const Link* known = FindPublicKey(k.public_key());
  if (known != nullptr && (known->rotated_at || known->last_size)) {
    return absl::FailedPreconditionError(
        absl::StrCat("log key rotation at index ", r.index, ": ", Named(k),
                     " already signed for this log (a log never returns to a "
                     "key it left)"));
  }
  uint64_t last = r.index + r.overlap_entries;
  if (r.compromised_since) last = std::min(last, *r.compromised_since);
  for (Link& l : links_) {
    if (l.last_size || l.key.public_key() == k.public_key()) continue;
    l.last_size = last;
    l.closed_at = r.index;
    l.compromised = r.compromised_since.has_value();
  }
  if (known != nullptr) {
    // Pinned in advance by the reader: it keeps its window.
    for (Link& l : links_) {
      if (l.key.public_key() == k.public_key()) l.rotated_at = r.index;
    }
  } else {
    Link added;
    added.key = k;
    added.first_size = r.index + 1;
    added.rotated_at = r.index;
    links_.push_back(std::move(added));
  }
  rotations_.push_back(r);
  return absl::OkStatus();
}

std::vector<VerifierKey> LogKeyChain::keys() const {
  std::vector<VerifierKey> out;
  for (const Link& l : links_) out.push_back(l.key);
  return out;
}

const LogKeyChain::Link* LogKeyChain::Find(const VerifierKey& key) const {
  for (const Link& l : links_) {
    if (SameKey(l.key, key)) return &l;
  }
  return nullptr;
}

const LogKeyChain::Link* LogKeyChain::FindPublicKey(
    const PublicKey& key) const {
  for (const Link& l : links_) {
    if (l.key.public_key() == key) return &l;
  }
  return nullptr;
}

bool LogKeyChain::MaySign(const VerifierKey& key, uint64_t size) const {
  return WhyNot(key, size).empty();
}

std::vector<VerifierKey> LogKeyChain::KeysAt(uint64_t size) const {
  std::vector<VerifierKey> out;
  for (const Link& l : links_) {
    if (MaySign(l.key, size)) out.push_back(l.key);
  }
  return out;
}

std::string LogKeyChain::WhyNot(const VerifierKey& key, uint64_t size) const {
  const Link* l = Find(key);
  if (l == nullptr) {
    return absl::StrCat(Named(key),
                        " is not a key the log rotated to from the reader's");
  }
  if (size < l->first_size) {
    return absl::StrCat(Named(key), " signs sizes from ", l->first_size,
                        " on only (the log rotated to it at index ",
                        l->first_size - 1, "), not size ", size);
  }
  if (l->last_size && size > *l->last_size) {
    if (l->compromised) {
      return absl::StrCat(Named(key), " was declared compromised since size ",
                          *l->last_size, " (LogKeyRotated at index ",
                          *l->closed_at, "): it is not trusted for size ",
                          size);
    }
    return absl::StrCat(Named(key), " signs sizes up to ", *l->last_size,
                        " only (the log rotated away from it at index ",
                        *l->closed_at, " and its overlap ended), not size ",
                        size);
  }
  return "";
}

}  // namespace ailedger
