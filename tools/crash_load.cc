#include "tools/crash_load.h"

#include <chrono>
#include <random>

#include "absl/strings/str_cat.h"
#include "client/ledger_client.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/note.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger::crash {

absl::StatusOr<Checkpoint> Observed::Open(const std::string& note) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (note == last_note_) return last_cp_;
  }
  auto cp = OpenCheckpoint(note, log_key_);
  if (!cp.ok()) {
    return absl::DataLossError(absl::StrCat(
        "a checkpoint the server published does not verify under the log "
        "key: ",
        cp.status().message()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  last_note_ = note;
  last_cp_ = cp->checkpoint;
  return cp->checkpoint;
}

absl::Status Observed::Record(const Checkpoint& cp, const std::string& source) {
  auto [it, added] = checkpoints_.emplace(cp.size, cp.root);
  if (added) {
    new_sizes_.push_back(cp.size);
    sources_[cp.size] = source;
  } else if (it->second != cp.root) {
    return absl::DataLossError(absl::StrCat(
        "two checkpoints of size ", cp.size, " with different roots (",
        ToHex(it->second), " in ", sources_[cp.size], ", ", ToHex(cp.root),
        " in ", source, "): the log forked"));
  }
  return absl::OkStatus();
}

absl::Status Observed::AddCheckpoint(const std::string& note,
                                     const std::string& source) {
  auto cp = Open(note);
  if (!cp.ok()) return cp.status();
  std::lock_guard<std::mutex> lock(mu_);
  return Record(*cp, source);
}

std::string Observed::SourceOf(uint64_t size) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = sources_.find(size);
  return it == sources_.end() ? "nowhere" : it->second;
}

absl::Status Observed::AddReceipt(const v1::Receipt& r, int cycle) {
  auto proof = ParseTlogProof(r.tlog_proof());
  if (!proof.ok()) return proof.status();
  auto cp = Open(proof->checkpoint);
  if (!cp.ok()) return cp.status();
  auto leaf_hash = HashFromBytes(r.leaf_hash(), "receipt.leaf_hash");
  auto event_id = HashFromBytes(r.event_id(), "receipt.event_id");
  if (!leaf_hash.ok()) return leaf_hash.status();
  if (!event_id.ok()) return event_id.status();
  if (proof->index != r.index()) {
    return absl::DataLossError(absl::StrCat(
        "receipt of index ", r.index(), " carries a proof of ", proof->index));
  }
  if (auto s = VerifyInclusion(r.index(), cp->size, *leaf_hash, proof->hashes,
                               cp->root);
      !s.ok()) {
    return absl::DataLossError(
        absl::StrCat("receipt of index ", r.index(),
                     ": the inclusion proof does not verify: ", s.message()));
  }
  std::lock_guard<std::mutex> lock(mu_);
  if (auto s = Record(*cp, absl::StrCat("a receipt (cycle ", cycle, ")"));
      !s.ok())
    return s;
  if (acks_.size() <= r.index()) acks_.resize(r.index() + 1);
  Ack& a = acks_[r.index()];
  if (a.present && (a.leaf_hash != *leaf_hash || a.event_id != *event_id)) {
    return absl::DataLossError(absl::StrCat(
        "index ", r.index(), " was acknowledged twice for different entries"));
  }
  if (!a.present) ++acknowledged_;
  a = {true, *leaf_hash, *event_id, cycle};
  max_receipt_size_ = std::max(max_receipt_size_, cp->size);
  return absl::OkStatus();
}

uint64_t Observed::acknowledged() const {
  std::lock_guard<std::mutex> lock(mu_);
  return acknowledged_;
}

uint64_t Observed::max_receipt_size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return max_receipt_size_;
}

std::vector<Ack> Observed::Acks() const {
  std::lock_guard<std::mutex> lock(mu_);
  return acks_;
}

std::map<uint64_t, Hash> Observed::Checkpoints() const {
  std::lock_guard<std::mutex> lock(mu_);
  return checkpoints_;
}

std::vector<uint64_t> Observed::TakeNewSizes() {
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(new_sizes_, {});
}

void Observed::CorruptNewestAck() {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = acks_.size(); i-- > 0;) {
    if (acks_[i].present) {
      acks_[i].leaf_hash[0] ^= 1;
      return;
    }
  }
}

Load::Load(const bench::BenchLog& log, Observed* observed,
           std::atomic<uint64_t>* next_nonce, const std::string& address,
           int writers, uint64_t seed, int cycle)
    : log_(log),
      observed_(observed),
      next_nonce_(next_nonce),
      address_(address),
      cycle_(cycle) {
  writing_ = writers;
  for (int i = 0; i < writers; ++i) {
    threads_.emplace_back([this, seed, i] { Write(seed * 31 + i); });
  }
  threads_.emplace_back([this] { Read(); });
}

Load::~Load() {
  stop_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

void Load::Fail(const absl::Status& violation) {
  std::lock_guard<std::mutex> lock(mu_);
  if (violation_.ok()) violation_ = violation;
}

void Load::Write(uint64_t seed) {
  std::mt19937_64 rng(seed);
  LedgerClient::Options o;
  o.target = address_;
  o.timeout_seconds = 10;
  auto client = LedgerClient::Connect(o);
  while (client.ok() && !stop_) {
    const bool batched = rng() % 2 == 0;
    const size_t n = batched ? 2 + rng() % 63 : 1;
    const uint64_t first = next_nonce_->fetch_add(n);
    std::vector<v1::AppendRequest> sent;
    for (size_t k = 0; k < n; ++k) {
      sent.push_back(AppendRequestOf(bench::BenchEvent(log_, first + k)));
    }
    std::vector<v1::Receipt> receipts;
    absl::Status call;
    if (batched) {
      v1::AppendBatchRequest req;
      for (const auto& e : sent) *req.add_events() = e;
      auto res = (*client)->AppendBatch(req);
      call = res.status();
      for (int k = 0; res.ok() && k < res->outcomes_size(); ++k) {
        const v1::AppendOutcome& out = res->outcomes(k);
        if (out.code() != 0) {
          Fail(absl::InternalError(
              absl::StrCat("the server refused a valid event (code ",
                           out.code(), "): ", out.message())));
          continue;
        }
        receipts.push_back(out.receipt());
      }
    } else {
      auto res = (*client)->Append(sent[0]);
      call = res.status();
      if (res.ok()) receipts.push_back(*res);
    }
    if (!call.ok()) {  // the server is gone: these are in doubt
      std::lock_guard<std::mutex> lock(mu_);
      for (auto& e : sent) in_doubt_.push_back(std::move(e));
      break;
    }
    for (const v1::Receipt& r : receipts) {
      if (auto s = observed_->AddReceipt(r, cycle_); !s.ok()) Fail(s);
    }
  }
  --writing_;
}

void Load::Read() {
  LedgerClient::Options o;
  o.target = address_;
  o.timeout_seconds = 10;
  auto client = LedgerClient::Connect(o);
  while (client.ok() && !stop_ && writing_ > 0) {
    auto note = (*client)->GetCheckpoint(v1::GetCheckpointRequest());
    if (!note.ok()) break;
    if (auto s = observed_->AddCheckpoint(
            *note,
            absl::StrCat("GetCheckpoint during the load (cycle ", cycle_, ")"));
        !s.ok())
      Fail(s);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

absl::StatusOr<std::vector<v1::AppendRequest>> Load::Join() {
  stop_ = true;
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  std::lock_guard<std::mutex> lock(mu_);
  if (!violation_.ok()) return violation_;
  return std::move(in_doubt_);
}

}  // namespace ailedger::crash
