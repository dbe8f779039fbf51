#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {

absl::StatusOr<SigningKey> Cli::LoadKey() const {
  auto path = args.Require("key");
  if (!path.ok()) return path.status();
  return LoadSigningKey(*path);  // refuses a key others may read
}

absl::StatusOr<std::unique_ptr<LedgerClient>> Cli::Connect(
    const SigningKey* key) const {
  LedgerClient::Options o;
  o.target = args.Get("server", o.target);
  o.key = key;
  o.tls_ca_file = args.Get("tls-ca");
  // Bounded so that the deadline in milliseconds fits its int64.
  auto timeout = args.GetDouble("timeout", 10, 0.001, 1e6);
  if (!timeout.ok()) return timeout.status();
  o.timeout_seconds = *timeout;
  return LedgerClient::Connect(o);
}

absl::StatusOr<std::unique_ptr<LedgerClient>> Cli::ConnectAsReader(
    std::optional<SigningKey>* key) const {
  if (args.Has("key")) {
    auto k = LoadKey();
    if (!k.ok()) return k.status();
    key->emplace(*std::move(k));
  }
  return Connect(key->has_value() ? &**key : nullptr);
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path != "-") return ReadSmallFile(path);
  return ReadBounded(std::cin, "stdin");
}

absl::Status WriteOutput(const std::string& path, const std::string& data,
                         int mode) {
  const auto parent = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  return WriteFileDurably(path, data, mode);
}

absl::StatusOr<std::string> ToJson(const google::protobuf::Message& m) {
  std::string out;
  google::protobuf::util::JsonPrintOptions o;
  o.preserve_proto_field_names = true;
  if (!google::protobuf::util::MessageToJsonString(m, &out, o).ok()) {
    return absl::InternalError("cannot print JSON");
  }
  return out;
}

absl::Status FromJson(const std::string& json, google::protobuf::Message* m,
                      absl::string_view what) {
  auto s = google::protobuf::util::JsonStringToMessage(json, m);
  if (!s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": ", s.message().ToString()));
  }
  return absl::OkStatus();
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

absl::StatusOr<std::string> SigningOrigin(const Cli& cli,
                                          const std::string& server_origin) {
  std::string pinned = cli.args.Get("origin");
  if (cli.args.Has("vkey")) {
    auto k = VerifierKey::Parse(cli.args.Get("vkey"));
    if (!k.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("--vkey: ", k.status().message()));
    pinned = k->name();
  }
  if (!pinned.empty() && pinned != server_origin) {
    return absl::FailedPreconditionError(
        absl::StrCat("the server says its origin is '", server_origin,
                     "', not '", pinned, "'; not signing"));
  }
  return server_origin;
}

absl::Status PrintReceipt(const Cli& cli, const v1::Receipt& r) {
  if (cli.args.Has("vkey")) {
    auto k = VerifierKey::Parse(cli.args.Get("vkey"));
    auto proof = ParseTlogProof(r.tlog_proof());
    if (!k.ok() || !proof.ok())
      return absl::DataLossError("receipt: malformed");
    auto cp = VerifyTlogProof(*proof, HashLeaf(proof->extra), *k);
    if (!cp.ok() || AsBytes(HashLeaf(proof->extra)) != r.leaf_hash()) {
      return absl::DataLossError(
          absl::StrCat("receipt does not verify: ", cp.status().message()));
    }
  }
  std::ostream& out = *cli.out;
  const std::string id = ToHex(r.event_id()),
                    leaf = Base64Encode(r.leaf_hash());
  if (cli.json) {
    out << "{\"index\":" << r.index() << ",\"event_id\":\"" << id
        << "\",\"leaf_hash\":\"" << leaf
        << "\",\"duplicate\":" << (r.duplicate() ? "true" : "false") << "}\n";
  } else {
    out << "index " << r.index()
        << (r.duplicate() ? " (duplicate of an earlier push)" : "")
        << "\nevent_id " << id << "\nleaf_hash " << leaf << "\n";
  }
  if (!cli.args.Has("receipt")) return absl::OkStatus();
  // A batch keeps one receipt per event: FILE.<index>.
  const std::string path =
      cli.args.Has("batch")
          ? absl::StrCat(cli.args.Get("receipt"), ".", r.index())
          : cli.args.Get("receipt");
  return WriteOutput(path, r.tlog_proof());
  return absl::OkStatus();
}

}  // namespace ailedger
