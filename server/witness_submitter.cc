#include "server/witness_submitter.h"

#include <httplib.h>

#include <cstdio>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ledger/checkpoint.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/witness.h"

namespace ailedger {

absl::StatusOr<WitnessEndpoint> ParseWitnessFlag(const std::string& flag) {
  const size_t eq = flag.find('=');
  if (eq == std::string::npos)
    return absl::InvalidArgumentError("--witness: URL=VKEY");
  auto key = VerifierKey::Parse(flag.substr(eq + 1));
  if (!key.ok() || key->type() != kKeyTypeCosignature) {
    return absl::InvalidArgumentError(
        "--witness: VKEY must be a cosigner (type 0x04) key");
  }
  return WitnessEndpoint{flag.substr(0, eq), *std::move(key), 0};
}

WitnessSubmitter::WitnessSubmitter(const LogStore* store, LogStore* meta,
                                   std::vector<WitnessEndpoint> witnesses,
                                   Options options)
    : store_(store),
      meta_(meta),
      witnesses_(std::move(witnesses)),
      options_(options) {
  if (auto saved = store_->ReadMeta(kCosignedMetaKey);
      saved.ok() && saved->has_value()) {
    cosigned_note_ = **saved;
  }
  thread_ = std::thread([this] { Loop(); });
}

WitnessSubmitter::~WitnessSubmitter() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void WitnessSubmitter::Loop() {
  uint64_t submitted_size = 0;
  auto last = std::chrono::steady_clock::now() - options_.idle_interval;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto note = store_->ReadLatestCheckpoint();
    auto cp =
        note.ok()
            ? ParseCheckpoint(ParseNote(*note).value_or(ParsedNote{}).text)
            : absl::StatusOr<Checkpoint>(note.status());
    const auto now = std::chrono::steady_clock::now();
    if (cp.ok() &&
        (cp->size != submitted_size || now - last >= options_.idle_interval)) {
      if (Round(*note)) {  // otherwise retried at the next tick
        submitted_size = cp->size;
        last = now;
      }
    }
    lock.lock();
    wake_.wait_for(lock, options_.active_interval, [this] { return stop_; });
  }
}

bool WitnessSubmitter::Round(const std::string& note) {
  auto parsed = ParseNote(note);
  if (!parsed.ok()) return false;
  auto cp = ParseCheckpoint(parsed->text);
  if (!cp.ok()) return false;
  std::string lines;
  for (WitnessEndpoint& w : witnesses_) {
    auto cosig = Submit(w, note, cp->size);
    if (!cosig.ok()) {
      std::fprintf(stderr, "ailedgerd: witness %s: %s\n", w.url.c_str(),
                   std::string(cosig.status().message()).c_str());
      continue;
    }
    lines += *cosig;
  }
  if (lines.empty()) return false;
  // One line per witness for this size: a fresh cosignature replaces that
  // witness's older one.
  if (cp->size != cosigned_size_) cosigned_lines_.clear();
  for (absl::string_view line :
       absl::StrSplit(lines, '\n', absl::SkipEmpty())) {
    const std::string name(line.substr(0, line.rfind(' ')));
    cosigned_lines_[name] = std::string(line) + "\n";
  }
  std::string merged = note;
  for (const auto& [name, line] : cosigned_lines_) merged += line;
  cosigned_size_ = cp->size;
  cosigned_note_ = merged;
  (void)meta_->WriteMeta(kCosignedMetaKey, merged);
  return true;
}

absl::StatusOr<std::string> WitnessSubmitter::Submit(WitnessEndpoint& w,
                                                     const std::string& note,
                                                     uint64_t size) {
  httplib::Client http(w.url);
  http.set_connection_timeout(5);
  http.set_read_timeout(10);
  for (int attempt = 0; attempt < 2; ++attempt) {
    AddCheckpointRequest req{w.known_size, {}, note};
    auto state = store_->ReadTreeState();
    if (!state.ok()) return state.status();
    if (w.known_size > 0 && w.known_size < size) {
      auto proof =
          TreeReader(store_).ConsistencyProof(w.known_size, size, *state);
      if (!proof.ok()) return proof.status();
      req.proof = *std::move(proof);
    }
    auto res =
        http.Post("/add-checkpoint", FormatAddCheckpoint(req), "text/plain");
    if (!res) return absl::UnavailableError("unreachable");
    if (res->status == 409 &&
        res->get_header_value("Content-Type") == "text/x.tlog.size") {
      uint64_t latest = 0;
      const bool parsed =
          absl::SimpleAtoi(absl::StripAsciiWhitespace(res->body), &latest);
      if (parsed && latest > size && options_.on_witness_ahead) {
        options_.on_witness_ahead(latest);
      }
      if (!parsed || latest > size) {
        return absl::FailedPreconditionError(
            absl::StrCat("the witness has cosigned size ", res->body,
                         ", beyond this log's ", size));
      }
      w.known_size = latest;
      continue;
    }
    if (res->status != 200) {
      return absl::FailedPreconditionError(
          absl::StrCat("HTTP ", res->status, ": ", res->body));
    }
    // Keep only cosignatures that verify under this witness's key.
    auto parsed = ParseNote(note);
    auto check = OpenNote(parsed->text + "\n" + res->body, {w.key});
    if (!check.ok())
      return absl::UnauthenticatedError("cosignature does not verify");
    w.known_size = size;
    std::string lines;
    const std::string own = absl::StrCat("\xE2\x80\x94 ", w.key.name(), " ");
    for (absl::string_view line :
         absl::StrSplit(res->body, '\n', absl::SkipEmpty())) {
      if (absl::StartsWith(line, own)) absl::StrAppend(&lines, line, "\n");
    }
    return lines;
  }
  return absl::FailedPreconditionError("the witness keeps answering 409");
}

}  // namespace ailedger
