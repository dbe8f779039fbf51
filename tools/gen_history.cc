// gen-history: pushes a deterministic, realistic multi-year history
// (tools/history.h) into a running log through the real client, in batches.
// The admin key is the log's genesis admin: it grants the history's keys.
// Sealed attachments are put in the server's sealed store when it has one.
//
//   gen-history --server HOST:PORT --admin-key FILE [--events N (500)]
//               [--seed S (1)] [--years Y (3)] [--systems K (3)]
//               [--batch B (200)] [--json] [--test-clock FILE]
//               [--keys-out FILE]
//   gen-history --dry-run --origin ORIGIN [--admin-key FILE] [...]
//       prints the count and a digest of the event ids, pushing nothing
//
// --test-clock FILE: the file an `ailedgerd serve --test-clock FILE` reads its
// clock from (Unix ms; only for origins starting with "example."). Batches are
// then cut at the story's day boundaries, and before each one the time of its
// last event (plus a second) is written into FILE, so the log integrates each
// event on its story day and times read as they would have been recorded.
// Without it, the server's own clock integrates the whole history "now".
//
// --keys-out FILE: a line per key the history grants, "ROLE ORGANISATION-NAME
// VKEY" (roles joined by ','; the name's spaces as '_'), written after the
// push: what a reader of the log is told out of band, e.g. to pin the story's
// auditor (`ailedger verify --expect auditor=VKEY`).
//
// Progress goes to a terminal's stderr, never with --json or when piped.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "client/ledger_client.h"
#include "cmdline/cli_args.h"
#include "cmdline/run_main.h"
#include "ledger/base/file_util.h"
#include "tools/history.h"

namespace ailedger {
namespace {

struct Run {
  CliArgs args;
  history::Options options;
  size_t batch = 200;
  bool progress = false;
  std::string test_clock;  // --test-clock FILE, or ""
  std::string keys;        // --keys-out lines, when asked
};

// The --keys-out line of a KeyGranted, or "".
std::string KeyLine(const history::Generated& g) {
  v1::Event e;
  if (!e.ParseFromString(g.signed_event.event_bytes) || !e.has_key_granted())
    return "";
  const v1::KeyGranted& k = e.key_granted();
  auto key = PublicKeyFromBytes(k.public_key(), "public_key");
  if (!key.ok()) return "";
  std::string name = k.display_name();
  for (char& c : name)
    if (c == ' ' || c == '+') c = '_';
  auto vkey = VerifierKey::Create(name, kKeyTypeEd25519, *key);
  if (!vkey.ok()) return "";
  std::vector<std::string> roles;
  for (int r : k.roles())
    roles.push_back(absl::AsciiStrToLower(
        v1::Role_Name(static_cast<v1::Role>(r)).substr(5)));  // ROLE_
  std::string org = k.organisation();
  for (char& c : org)
    if (c == ' ') c = '_';
  return absl::StrCat(absl::StrJoin(roles, ","), " ", org, " ",
                      vkey->ToString(), "\n");
}

absl::StatusOr<SigningKey> AdminKey(const CliArgs& args,
                                    const std::string& origin) {
  if (args.Has("admin-key")) {
    return LoadSigningKey(args.Get("admin-key"));
  }
  const Hash seed = HashLeaf(absl::StrCat("gen-history admin/", origin));
  return SigningKey::FromSeed("admin", kKeyTypeEd25519, AsBytes(seed));
}

void Progress(const Run& run, uint64_t done) {
  if (!run.progress) return;
  std::fprintf(stderr, "\r%llu / %llu events", (unsigned long long)done,
               (unsigned long long)run.options.events);
}

absl::Status DryRun(Run& run) {
  auto origin = run.args.Require("origin");
  if (!origin.ok()) return origin.status();
  run.options.origin = *origin;
  auto admin = AdminKey(run.args, *origin);
  if (!admin.ok()) return admin.status();
  history::History h(run.options, &*admin);
  std::string ids;
  for (auto batch = h.Next(run.batch); !batch.empty();
       batch = h.Next(run.batch)) {
    for (const auto& g : batch) ids += std::string(AsBytes(g.event_id));
  }
  std::cout << h.emitted() << " events, digest " << ToHex(HashLeaf(ids))
            << "\n";
  return absl::OkStatus();
}

// Puts the material of a sealed attachment; a server without a sealed store
// is reported once and skipped.
void PutSealed(const Run& run, const history::Generated& g,
               const v1::Receipt& receipt, bool* warned) {
  LedgerClient::Options o;
  o.target = run.args.Get("server");
  o.key = g.author;
  auto author = LedgerClient::Connect(o);
  v1::PutSealedRequest put;
  put.set_event_id(receipt.event_id());
  put.set_key(g.sealed->key);
  put.set_salt(g.sealed->salt);
  put.set_ciphertext(g.sealed->ciphertext);
  absl::Status s = author.ok() ? (*author)->PutSealed(put) : author.status();
  if (!s.ok() && !*warned) {
    std::fprintf(stderr, "gen-history: sealed material not stored: %s\n",
                 std::string(s.message()).c_str());
    *warned = true;
  }
}

// Appends `events` in one batch; the material of a sealed attachment is put
// right after its event is logged.
absl::Status AppendBatch(const Run& run, LedgerClient& client,
                         const std::vector<history::Generated>& events,
                         size_t from, size_t to, bool* warned) {
  v1::AppendBatchRequest req;
  for (size_t i = from; i < to; ++i) {
    *req.add_events() = AppendRequestOf(events[i].signed_event);
  }
  auto resp = client.AppendBatch(req);
  if (!resp.ok()) return resp.status();
  if (resp->outcomes_size() != static_cast<int>(to - from))
    return absl::DataLossError("the server answered a different batch");
  for (int i = 0; i < resp->outcomes_size(); ++i) {
    const auto& o = resp->outcomes(i);
    const history::Generated& g = events[from + i];
    if (o.code() != 0) {
      return absl::Status(absl::StatusCode(o.code()),
                          absl::StrCat(g.event_type, ": ", o.message()));
    }
    if (g.sealed) PutSealed(run, g, o.receipt(), warned);
  }
  return absl::OkStatus();
}

// With --test-clock, the server's clock is set to the story's time of the
// last event of the batch (plus a second), so none is in its future.
absl::Status SetClock(const Run& run, const history::Generated& last) {
  if (run.test_clock.empty()) return absl::OkStatus();
  return WriteFileDurably(run.test_clock,
                          absl::StrCat(last.occurred_at_ms + 1000, "\n"));
}

// Whether a batch ends after event i: at the end, after a sealed event (its
// material is put right after), or, with --test-clock, at a day boundary.
bool EndsBatch(const Run& run, const std::vector<history::Generated>& batch,
               size_t i) {
  if (batch[i].sealed || i + 1 == batch.size()) return true;
  return !run.test_clock.empty() && batch[i].occurred_at_ms / 86400000 !=
                                        batch[i + 1].occurred_at_ms / 86400000;
}

absl::Status AppendAll(Run& run, LedgerClient& client, history::History& h) {
  bool warned = false;
  for (auto batch = h.Next(run.batch); !batch.empty();
       batch = h.Next(run.batch)) {
    size_t from = 0;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (run.args.Has("keys-out"))
        absl::StrAppend(&run.keys, KeyLine(batch[i]));
      if (!EndsBatch(run, batch, i)) continue;
      if (auto c = SetClock(run, batch[i]); !c.ok()) return c;
      auto s = AppendBatch(run, client, batch, from, i + 1, &warned);
      if (!s.ok()) return s;
      from = i + 1;
    }
    Progress(run, h.emitted());
  }
  return absl::OkStatus();
}

absl::Status Push(Run& run) {
  auto server = run.args.Require("server");
  if (!server.ok()) return server.status();
  if (auto k = run.args.Require("admin-key"); !k.ok()) return k.status();
  auto admin = AdminKey(run.args, "");
  if (!admin.ok()) return admin.status();
  LedgerClient::Options o;
  o.target = *server;
  o.key = &*admin;
  auto client = LedgerClient::Connect(o);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  run.options.origin = info->origin();
  history::History h(run.options, &*admin);
  const auto start = std::chrono::steady_clock::now();
  absl::Status s = AppendAll(run, **client, h);
  if (run.progress) std::fprintf(stderr, "\n");
  if (!s.ok()) return s;
  if (run.args.Has("keys-out")) {
    if (auto w = WriteFileDurably(run.args.Get("keys-out"), run.keys); !w.ok())
      return w;
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  if (run.args.Has("json")) {
    std::cout << "{\"events\":" << h.emitted() << ",\"seconds\":" << secs
              << ",\"events_per_second\":" << h.emitted() / secs << "}\n";
  } else {
    std::cout << "pushed " << h.emitted() << " events in " << secs << " s ("
              << static_cast<uint64_t>(h.emitted() / secs) << "/s)\n";
  }
  return absl::OkStatus();
}

absl::Status Main(const std::vector<std::string>& argv) {
  auto args =
      CliArgs::Parse(argv,
                     {"server", "admin-key", "events", "seed", "years",
                      "systems", "batch", "origin", "test-clock", "keys-out"},
                     {"json", "dry-run"});
  if (!args.ok()) return args.status();
  Run run{*args, {}, 200, false, "", ""};
  auto events = args->GetUint("events", 500);
  auto seed = args->GetUint("seed", 1);
  auto years = args->GetUint<int>("years", 3, 1, 20);
  auto systems = args->GetUint<int>("systems", 3, 1, 100);
  auto batch = args->GetUint("batch", 200, 1, 10000);
  for (const auto* v : {&events, &seed, &batch}) {
    if (!v->ok()) return v->status();
  }
  if (!years.ok()) return years.status();
  if (!systems.ok()) return systems.status();
  run.options = {"", *seed, *events, *years, *systems};
  run.batch = *batch;
  run.test_clock = args->Get("test-clock");
  run.progress = !args->Has("json") && isatty(2);
  return args->Has("dry-run") ? DryRun(run) : Push(run);
}

}  // namespace
}  // namespace ailedger

int main(int argc, char** argv) {
  return ailedger::RunMain("gen-history", argc, argv, ailedger::Main);
}
