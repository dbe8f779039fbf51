#include "server/witness_submitter.h"

#include <algorithm>
#include <atomic>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "ledger/storage/tree_reader.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/tlog_proof.h"
#include "ledger/tlog/witness_protocol.h"
#include "server/bounded_http_client.h"
#include "server/log.h"
#include "server/log_key_reads.h"

namespace ailedger {
namespace {

using std::chrono::steady_clock;

// The longest a witness's turn in a round may take, all its requests together
// and however slowly it sends: a slow or hostile witness delays the others'
// cosignatures by at most this much.
constexpr auto kMaxExchangeTime = std::chrono::seconds(30);
// The most of a witness's answer that reaches the log.
constexpr size_t kExcerptBytes = 64;

// What a witness sent, as it may appear in the log: at most kExcerptBytes,
// C-escaped and quoted, so that it can neither forge log lines nor drive the
// operator's terminal.
std::string Excerpt(absl::string_view text) {
  std::string out =
      absl::StrCat("\"", absl::CHexEscape(text.substr(0, kExcerptBytes)), "\"");
  if (text.size() > kExcerptBytes)
    absl::StrAppend(&out, " (", text.size(), " bytes)");
  return out;
}

// One request to a witness, by `deadline`; reads at most kMaxWitnessAnswer
// bytes of its answer.
absl::StatusOr<HttpAnswer> Exchange(const std::string& url,
                                    absl::string_view method,
                                    absl::string_view path,
                                    absl::string_view body,
                                    steady_clock::time_point deadline) {
  auto parsed = ParseHttpUrl(url);  // checked by ParseWitnessFlag
  if (!parsed.ok()) return parsed.status();
  HttpClientLimits limits;
  limits.max_body = kMaxWitnessAnswer;
  auto answer =
      HttpExchange(*parsed, method, path, body.empty() ? "" : "text/plain",
                   body, deadline, limits);
  if (absl::IsDeadlineExceeded(answer.status())) {
    return absl::DeadlineExceededError(
        absl::StrCat("its answers took longer than ", kMaxExchangeTime.count(),
                     " s in all"));
  }
  return answer;
}

// A tlog-witness 409 body: the witness's latest size, "<decimal>\n".
bool ParseSize(absl::string_view body, uint64_t* size) {
  absl::ConsumeSuffix(&body, "\n");
  return !body.empty() && body.size() <= 20 &&
         body.find_first_not_of("0123456789") == absl::string_view::npos &&
         absl::SimpleAtoi(body, size);
}

}  // namespace

absl::StatusOr<WitnessEndpoint> ParseWitnessFlag(const std::string& flag) {
  const size_t eq = flag.find('=');
  if (eq == std::string::npos)
    return absl::InvalidArgumentError("--witness: URL=VKEY");
  if (auto url = ParseHttpUrl(flag.substr(0, eq)); !url.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--witness: ", url.status().message()));
  }
  auto key = VerifierKey::Parse(flag.substr(eq + 1));
  if (!key.ok() || key->type() != kKeyTypeCosignature) {
    return absl::InvalidArgumentError(
        "--witness: VKEY must be a cosigner (type 0x04) key");
  }
  return WitnessEndpoint{flag.substr(0, eq), *std::move(key), 0};
}

WitnessSubmitter::WitnessSubmitter(const LogStore* store, LogStore* meta,
                                   VerifierKey log_key,
                                   std::vector<WitnessEndpoint> witnesses,
                                   Options options)
    : store_(store),
      meta_(meta),
      log_key_(std::move(log_key)),
      witnesses_(std::move(witnesses)),
      options_(options) {
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
  auto last = steady_clock::now() - options_.idle_interval;
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    auto note = store_->ReadLatestCheckpoint();
    auto cp =
        note.ok()
            ? ParseCheckpoint(ParseNote(*note).value_or(ParsedNote{}).text)
            : absl::StatusOr<Checkpoint>(note.status());
    const auto now = steady_clock::now();
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
  // Every witness is asked at once, each in its own thread with its own
  // endpoint state, and its cosignature is served as soon as it verifies: a
  // slow or hostile witness (up to kMaxExchangeTime) delays no other's.
  // Submit reads the store and calls the thread-safe on_witness_ahead.
  std::atomic<bool> any{false};
  std::vector<std::thread> asking;
  for (WitnessEndpoint& w : witnesses_) {
    if (steady_clock::now() < w.skip_until) continue;  // it misbehaves
    asking.emplace_back([this, &w, &any, &note, size = cp->size] {
      absl::Status s = Ask(w, note, size);
      if (options_.on_answer) options_.on_answer(w, s);
      if (s.ok()) any = true;
    });
  }
  for (std::thread& t : asking) t.join();
  return any;
}

absl::Status WitnessSubmitter::Ask(WitnessEndpoint& w, const std::string& note,
                                   uint64_t size) {
  auto cosig = Submit(w, note, size);
  if (!cosig.ok()) {
    Log(LogLevel::kWarning,
        absl::StrCat("witness ", w.url, ": ", cosig.status().message()),
        {{"witness", w.url}});
    return cosig.status();
  }
  w.backoff = std::chrono::milliseconds(0);
  // A cosignature that is not stored is not served: asked again next tick.
  if (auto s = Merge(note, size, *cosig); !s.ok()) {
    Log(LogLevel::kError,
        absl::StrCat(
            "witness ", w.url, ": its cosignature of size ", size,
            " could not be stored (asked again next round): ", s.message()),
        {{"witness", w.url}, {"size", size}});
    return s;
  }
  return absl::OkStatus();
}

absl::Status WitnessSubmitter::Merge(const std::string& note, uint64_t size,
                                     const std::string& lines) {
  std::lock_guard<std::mutex> lock(merge_mu_);
  // One line per witness for this size: a fresh cosignature replaces that
  // witness's older one.
  if (size != cosigned_size_) cosigned_lines_.clear();
  for (absl::string_view line :
       absl::StrSplit(lines, '\n', absl::SkipEmpty())) {
    const std::string name(line.substr(0, line.rfind(' ')));
    cosigned_lines_[name] = std::string(line) + "\n";
  }
  std::string merged = note;
  for (const auto& [name, line] : cosigned_lines_) merged += line;
  cosigned_size_ = size;
  // Kept for every size, so that old entries keep their witnessed time.
  if (auto s = meta_->WriteMeta(CosignedAtKey(size), merged); !s.ok()) return s;
  return meta_->WriteMeta(kCosignedMetaKey, merged);
}

absl::StatusOr<std::string> WitnessSubmitter::Submit(WitnessEndpoint& w,
                                                     const std::string& note,
                                                     uint64_t size) {
  const auto deadline = steady_clock::now() + kMaxExchangeTime;
  // A rotation it has not been shown yet: shown before the checkpoint.
  auto rotations =
      store_->ScanMeta(kLogKeyRotationPrefix,
                       absl::StrCat(kLogKeyRotationPrefix, "\xff"), 1 << 16);
  if (rotations.ok() && rotations->size() > w.rotations_shown) {
    auto shown_now = ShowRotations(w, deadline);
    if (!shown_now.ok()) return shown_now.status();
    w.rotations_shown = rotations->size();
  }
  bool shown = false;
  for (int attempt = 0; attempt < 3; ++attempt) {
    AddCheckpointRequest req{w.known_size, {}, note};
    auto state = store_->ReadTreeState();
    if (!state.ok()) return state.status();
    if (w.known_size > 0 && w.known_size < size) {
      auto proof =
          TreeReader(store_).ConsistencyProof(w.known_size, size, *state);
      if (!proof.ok()) return proof.status();
      req.proof = *std::move(proof);
    }
    auto res = Exchange(w.url, "POST", "/add-checkpoint",
                        FormatAddCheckpoint(req), deadline);
    if (!res.ok()) {
      if (absl::IsUnavailable(res.status())) return res.status();
      return Misbehaving(w, res.status());
    }
    if (res->status == 409 && res->content_type == "text/x.tlog.size") {
      uint64_t latest = 0;
      if (!ParseSize(res->body, &latest)) {
        return Misbehaving(
            w, absl::InvalidArgumentError(absl::StrCat(
                   "its 409 answer is not a size: ", Excerpt(res->body))));
      }
      if (latest > size) return WitnessAhead(w, latest, size, deadline);
      w.known_size = latest;
      continue;
    }
    // Not signed by a key it follows: after a rotation, shown the proofs.
    if (res->status == 403 && !shown) {
      shown = true;
      auto followed = ShowRotations(w, deadline);
      if (followed.ok() && *followed) continue;
      if (!followed.ok()) return followed.status();
    }
    if (res->status != 200) {
      return absl::FailedPreconditionError(
          absl::StrCat("HTTP ", res->status, ": ", Excerpt(res->body)));
    }
    // Keep only its own cosignature, and only if it verifies under its key.
    auto parsed = ParseNote(note);
    auto answer = ParseNote(parsed->text + "\n" + res->body);
    auto check = OpenNote(parsed->text + "\n" + res->body, {w.key});
    if (!answer.ok() || !check.ok()) {
      return Misbehaving(
          w, absl::UnauthenticatedError(absl::StrCat(
                 "its answer is not a cosignature that verifies under its "
                 "key: ",
                 Excerpt(res->body))));
    }
    // OpenNote verified at least one line by its key; the first is kept.
    w.known_size = size;
    for (const NoteSignature& sig : answer->signatures) {
      if (sig.name == w.key.name() && sig.key_id == w.key.key_id()) {
        return sig.line + "\n";
      }
    }
    return absl::InternalError("a verified cosignature went missing");
  }
  return absl::FailedPreconditionError("the witness keeps answering 409");
}

absl::StatusOr<bool> WitnessSubmitter::ShowRotations(
    WitnessEndpoint& w, steady_clock::time_point deadline) {
  auto keys = ReadLogKeys(*store_);
  if (!keys.ok()) return keys.status();
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  bool followed = false;
  for (const std::string& text : keys->rotation_proofs) {
    auto proof = ParseTlogProof(text);
    auto cp =
        proof.ok()
            ? ParseCheckpoint(
                  ParseNote(proof->checkpoint).value_or(ParsedNote{}).text)
            : absl::StatusOr<Checkpoint>(proof.status());
    if (!cp.ok()) return cp.status();
    for (int attempt = 0; attempt < 2; ++attempt) {
      AddCheckpointRequest req{w.known_size, {}, text};
      if (w.known_size > 0 && w.known_size != cp->size) {
        auto p = TreeReader(store_).ConsistencyProof(
            std::min(w.known_size, cp->size), std::max(w.known_size, cp->size),
            *state);
        if (!p.ok()) return p.status();
        req.proof = *std::move(p);
      }
      auto res = Exchange(w.url, "POST", kAddKeyRotationPath,
                          FormatAddCheckpoint(req), deadline);
      if (!res.ok()) return res.status();
      uint64_t latest = 0;
      if (res->status == 409 && res->content_type == "text/x.tlog.size" &&
          ParseSize(res->body, &latest) && latest <= state->size) {
        w.known_size = latest;
        continue;
      }
      if (res->status != 200) {
        return absl::FailedPreconditionError(absl::StrCat(
            "it refuses the log key rotation at index ", proof->index,
            ": HTTP ", res->status, ": ", Excerpt(res->body)));
      }
      Log(LogLevel::kInfo,
          absl::StrCat("witness ", w.url, ": shown the log key rotation at ",
                       "index ", proof->index, ": ", Excerpt(res->body)),
          {{"witness", w.url}});
      followed = true;
      break;
    }
  }
  return followed;
}

absl::Status WitnessSubmitter::WitnessAhead(WitnessEndpoint& w,
                                            uint64_t claimed, uint64_t size,
                                            steady_clock::time_point deadline) {
  auto proven = ProveAhead(w, size, deadline);
  if (!proven.ok()) {
    return Misbehaving(
        w,
        absl::FailedPreconditionError(absl::StrCat(
            "it claims to have cosigned size ", claimed, ", beyond this log's ",
            size, ", but ", proven.status().message(),
            "; the claim is ignored and the high-water mark unchanged (if "
            "this store was restored from an older copy, stop the server)")));
  }
  if (options_.on_witness_ahead) options_.on_witness_ahead(*proven);
  return absl::FailedPreconditionError(absl::StrCat(
      "it proves that this log's key signed size ", proven->size,
      ", beyond this log's ", size,
      " (a checkpoint signed by the log key and cosigned by the witness): "
      "this store has been rolled back"));
}

absl::StatusOr<Checkpoint> WitnessSubmitter::ProveAhead(
    const WitnessEndpoint& w, uint64_t size,
    steady_clock::time_point deadline) {
  auto res =
      Exchange(w.url, "GET", LatestCosignedPath(log_key_.name()), "", deadline);
  if (!res.ok()) {
    return absl::Status(
        res.status().code(),
        absl::StrCat("its proof could not be read: ", res.status().message()));
  }
  if (res->status != 200) {
    return absl::NotFoundError(
        absl::StrCat("it offers no proof (HTTP ", res->status, ")"));
  }
  auto cp = OpenCheckpoint(res->body, log_key_, {w.key});
  if (!cp.ok()) {
    // After a log key rotation: the key the log signs with now.
    auto keys = ReadLogKeys(*store_);
    auto now = keys.ok() ? VerifierKey::Parse(keys->current_key)
                         : absl::StatusOr<VerifierKey>(keys.status());
    if (now.ok()) cp = OpenCheckpoint(res->body, *now, {w.key});
  }
  if (!cp.ok()) {
    return absl::UnauthenticatedError(
        "its proof is not a checkpoint signed by this log's key");
  }
  if (CountCosignatures(cp->note) == 0) {
    return absl::UnauthenticatedError("its proof is not cosigned by its key");
  }
  // Compared with the store as it is now, which may have grown since `size`.
  auto state = store_->ReadTreeState();
  if (!state.ok()) return state.status();
  const uint64_t current = std::max(size, state->size);
  if (cp->checkpoint.size <= current) {
    return absl::FailedPreconditionError(
        absl::StrCat("its proof is of size ", cp->checkpoint.size,
                     ", not beyond this log's ", current));
  }
  return cp->checkpoint;
}

absl::Status WitnessSubmitter::Misbehaving(WitnessEndpoint& w,
                                           const absl::Status& why) {
  const auto cap =
      std::max(options_.misbehaving_backoff,
               std::chrono::duration_cast<std::chrono::milliseconds>(
                   options_.idle_interval));
  w.backoff = w.backoff.count() == 0 ? options_.misbehaving_backoff
                                     : std::min(cap, w.backoff * 2);
  w.skip_until = steady_clock::now() + w.backoff;
  return absl::Status(
      why.code(), absl::StrCat(why.message(),
                               "; this witness misbehaves and is skipped for ",
                               w.backoff.count() / 1000, " s"));
}

}  // namespace ailedger
