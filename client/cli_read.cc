// ailedger get, query, checkpoint, log-info, prove: reading a log's entries,
// checkpoints and proofs.
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli.h"
#include "ledger/base/base64.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/note.h"

namespace ailedger {
namespace {

absl::Status PrintEntry(const Cli& cli, const v1::Entry& entry) {
  std::ostream& out = *cli.out;
  if (cli.args.Has("raw")) {
    out << Base64Encode(entry.leaf()) << "\n";
    return absl::OkStatus();
  }
  auto leaf = DecodeLeaf(entry.leaf());
  if (!leaf.ok()) return absl::DataLossError(leaf.status().message());
  v1::Event event;
  if (!event.ParseFromString(leaf->event_bytes))
    return absl::DataLossError("event does not parse");
  auto printed = ToJson(event);
  if (!printed.ok()) return printed.status();
  // The event's strings are the author's: no control sequence reaches the
  // terminal (the escapes keep the JSON valid, with the same strings).
  const std::string json = EscapeForTerminal(*printed);
  const std::string hash = Base64Encode(AsBytes(HashLeaf(entry.leaf())));
  const std::string signer = Base64Encode(AsBytes(leaf->signer));
  if (cli.json) {
    out << "{\"index\":" << entry.index() << ",\"leaf_hash\":\"" << hash
        << "\",\"integrated_time_ms\":" << leaf->integrated_time_ms
        << ",\"signer\":\"" << signer << "\",\"event\":" << json << "}\n";
  } else {
    out << "index " << entry.index() << "\nleaf_hash " << hash
        << "\nintegrated_time_ms " << leaf->integrated_time_ms << "\nsigner "
        << signer << "\nevent " << json << "\n";
  }
  return absl::OkStatus();
}

std::string HashesJson(
    const google::protobuf::RepeatedPtrField<std::string>& hashes) {
  std::string out = "[";
  for (int i = 0; i < hashes.size(); ++i) {
    absl::StrAppend(&out, i ? "," : "", "\"", Base64Encode(hashes[i]), "\"");
  }
  return out + "]";
}

absl::Status ProveInclusion(const Cli& cli, LedgerClient& client) {
  v1::GetInclusionProofRequest req;
  auto index = cli.args.GetUint("index", 0);
  auto size = cli.args.GetUint("size", 0);
  if (!index.ok()) return index.status();
  if (!size.ok()) return size.status();
  if (!cli.args.Has("index")) return UsageError("--index is required");
  req.set_index(*index);
  req.set_tree_size(*size);
  auto p = client.GetInclusionProof(req);
  if (!p.ok()) return p.status();
  *cli.out << "{\"log_index\":" << p->index()
           << ",\"tree_size\":" << p->tree_size() << ",\"leaf_hash\":\""
           << Base64Encode(AsBytes(HashLeaf(p->leaf())))
           << "\",\"leaf_data\":\"" << Base64Encode(p->leaf())
           << "\",\"hashes\":" << HashesJson(p->hashes()) << "}\n";
  return absl::OkStatus();
}

absl::Status ProveConsistency(const Cli& cli, LedgerClient& client) {
  auto first = cli.args.GetUint("from", 0);
  auto second = cli.args.GetUint("to", 0);
  if (!first.ok()) return first.status();
  if (!second.ok()) return second.status();
  v1::GetConsistencyProofRequest req;
  req.set_first(*first);
  req.set_second(*second);
  auto p = client.GetConsistencyProof(req);
  if (!p.ok()) return p.status();
  *cli.out << "{\"first\":" << p->first() << ",\"second\":" << p->second()
           << ",\"hashes\":" << HashesJson(p->hashes()) << "}\n";
  return absl::OkStatus();
}
}  // namespace

absl::Status CmdGet(const Cli& cli) {
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  v1::GetEntryRequest req;
  if (cli.args.Has("id")) {
    auto id = FromHex(cli.args.Get("id"));
    if (!id.ok()) return UsageError("--id: hex event id expected");
    req.set_event_id(*id);
  } else {
    auto index = cli.args.GetUint("index", 0);
    if (!index.ok()) return index.status();
    if (!cli.args.Has("index"))
      return UsageError("--index or --id is required");
    req.set_index(*index);
  }
  auto entry = (*client)->GetEntry(req);
  if (!entry.ok()) return entry.status();
  return PrintEntry(cli, *entry);
}

const CliCommand kGetCommand{
    .name = "get",
    .summary = "one entry, by index or event id",
    .usage = "--index N | --id HEX [--raw]",
    .flags = "index id",
    .switches = "raw",
    .run = CmdGet,
};

absl::Status CmdQuery(const Cli& cli) {
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  v1::QueryRequest req;
  if (cli.args.Has("subject")) {
    std::vector<std::string> kv =
        absl::StrSplit(cli.args.Get("subject"), absl::MaxSplits(':', 1));
    if (kv.size() != 2) return UsageError("--subject: KIND:ID");
    req.set_subject_kind(kv[0]);
    req.set_subject_id(kv[1]);
  }
  req.set_event_type(cli.args.Get("type"));
  req.set_organisation(cli.args.Get("organisation"));
  auto from = cli.args.GetUint<int64_t>("from", 0),
       to = cli.args.GetUint<int64_t>("to", 0);
  auto limit = cli.args.GetUint<uint32_t>("limit", 0);
  for (const auto* s : {&from, &to}) {
    if (!s->ok()) return s->status();
  }
  if (!limit.ok()) return limit.status();
  req.set_from_ms(*from);
  req.set_to_ms(*to);
  req.set_limit(*limit);
  absl::Status print_error;
  auto s = (*client)->Query(req, [&](const v1::Entry& e) {
    if (print_error.ok()) print_error = PrintEntry(cli, e);
  });
  return s.ok() ? print_error : s;
}

const CliCommand kQueryCommand{
    .name = "query",
    .summary =
        "the entries about a subject, of a type, of an organisation "
        "or in a time range",
    .usage =
        "[--subject KIND:ID] [--type T] [--organisation O] [--from MS] "
        "[--to MS]\n"
        "[--limit N] [--raw]",
    .flags = "subject type organisation from to limit",
    .switches = "raw",
    .run = CmdQuery,
};

absl::Status CmdCheckpoint(const Cli& cli) {
  auto client = cli.Connect(nullptr);
  if (!client.ok()) return client.status();
  v1::GetCheckpointRequest req;
  if (cli.args.Has("cosigned"))
    req.set_which(v1::GetCheckpointRequest::LATEST_COSIGNED);
  if (cli.args.Has("size")) {
    auto size = cli.args.GetUint("size", 0);
    if (!size.ok()) return size.status();
    req.set_which(v1::GetCheckpointRequest::AT_SIZE);
    req.set_size(*size);
  }
  auto note = (*client)->GetCheckpoint(req);
  if (!note.ok()) return note.status();
  // Printed as is (it is saved and verified byte for byte), so it must be a
  // signed note and hold nothing a terminal would act on.
  if (auto parsed = ParseNote(*note); !parsed.ok()) {
    return absl::DataLossError(
        absl::StrCat("checkpoint: the server's answer is not a signed note: ",
                     parsed.status().message()));
  }
  for (absl::string_view line : absl::StrSplit(*note, '\n')) {
    if (EscapeForTerminal(line) != line) {
      return absl::DataLossError(
          "checkpoint: the server's answer holds terminal control characters");
    }
  }
  *cli.out << *note;
  return absl::OkStatus();
}

const CliCommand kCheckpointCommand{
    .name = "checkpoint",
    .summary =
        "the log's signed checkpoint (the newest, the newest "
        "cosigned, or one at a size)",
    .usage = "[--cosigned | --size N]",
    .flags = "size",
    .switches = "cosigned",
    .run = CmdCheckpoint,
};

absl::Status CmdLogInfo(const Cli& cli) {
  auto client = cli.Connect(nullptr);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  if (cli.json) {
    *cli.out << "{\"origin\":\"" << EscapeForTerminal(info->origin())
             << "\",\"verifier_key\":\"" << info->log_verifier_key()
             << "\",\"size\":" << info->size();
    if (info->read_only())
      *cli.out << ",\"read_only\":true,\"replica_lag_ms\":"
               << info->replica_lag_ms();
    *cli.out << "}\n";
  } else {
    *cli.out << "origin " << EscapeForTerminal(info->origin())
             << "\nverifier_key " << info->log_verifier_key() << "\nsize "
             << info->size() << "\n";
    // A read-only replica's copy trails the writer's.
    if (info->read_only())
      *cli.out << "read-only replica, " << info->replica_lag_ms()
               << " ms behind the writer\n";
  }
  return absl::OkStatus();
}

const CliCommand kLogInfoCommand{
    .name = "log-info",
    .summary = "the log's origin, verifier key and size",
    .run = CmdLogInfo,
};

absl::Status CmdProve(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("prove inclusion|consistency");
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  if (cli.words()[0] == "inclusion") return ProveInclusion(cli, **client);
  if (cli.words()[0] == "consistency") return ProveConsistency(cli, **client);
  return UsageError("prove inclusion|consistency");
}

const CliCommand kProveCommand{
    .name = "prove",
    .summary = "an inclusion or consistency proof, as JSON for verify-proof",
    .usage = "inclusion --index N [--size S]\n| consistency --from A --to B",
    .flags = "index size from to",
    .run = CmdProve,
};

}  // namespace ailedger
