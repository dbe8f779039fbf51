// Helpers every command shares: --key, the connection to --server, reading
// inputs and writing outputs, JSON, the origin to sign for, receipts.
#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/tlog_proof.h"
#include "ledger/tlog/trust.h"

namespace ailedger {

absl::StatusOr<SigningKey> Cli::LoadKey() const {
  auto path = args.Require("key");
  if (!path.ok()) return path.status();
  // Refuses a key others may read: a failure (exit 1), not a usage error.
  return LocalInputError(LoadSigningKey(*path));
}

absl::StatusOr<std::unique_ptr<LedgerClient>> Cli::Connect(
    const SigningKey* key) const {
  LedgerClient::Options o;
  o.target = args.Get("server", o.target);
  o.key = key;
  o.tls_ca_file = args.Get("tls-ca");
  // Read here too, so that an unreadable file is told from a server's answer.
  if (!o.tls_ca_file.empty()) {
    if (auto pem = ReadSmallFile(o.tls_ca_file); !pem.ok())
      return LocalInputError(pem.status());
  }
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

namespace {

absl::StatusOr<VerifierKey> ParseKeyFlag(absl::string_view flag,
                                         const std::string& text) {
  auto k = VerifierKey::Parse(text);
  if (!k.ok())
    return UsageError(absl::StrCat("--", flag, ": ", k.status().message()));
  return k;
}

}  // namespace

absl::StatusOr<VerifierKey> VerifierKeyFromFlag(const Cli& cli,
                                                absl::string_view flag) {
  auto text = cli.args.Require(std::string(flag));
  if (!text.ok()) return text.status();
  return ParseKeyFlag(flag, *text);
}

absl::StatusOr<std::vector<VerifierKey>> VerifierKeysFromFlag(
    const Cli& cli, absl::string_view flag) {
  std::vector<VerifierKey> keys;
  for (const std::string& v : cli.args.Values(std::string(flag))) {
    auto k = ParseKeyFlag(flag, v);
    if (!k.ok()) return k.status();
    keys.push_back(*std::move(k));
  }
  if (keys.empty()) return UsageError(absl::StrCat("--", flag, " is required"));
  return keys;
}

absl::StatusOr<std::string> ReadInput(const std::string& path) {
  if (path != "-") return LocalInputError(ReadSmallFile(path));
  return LocalInputError(ReadBounded(std::cin, "stdin"));
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

absl::StatusOr<std::string> SigningOrigin(const Cli& cli,
                                          const std::string& server_origin) {
  std::string pinned = cli.args.Get("origin");
  if (cli.args.Has("vkey")) {
    auto k = VerifierKeyFromFlag(cli, "vkey");
    if (!k.ok()) return k.status();
    pinned = k->name();
  }
  if (!pinned.empty() && pinned != server_origin) {
    return absl::FailedPreconditionError(
        absl::StrCat("the server says its origin is '", server_origin,
                     "', not '", pinned, "'; not signing"));
  }
  return server_origin;
}

namespace {

// A receipt whose checkpoint a key the log rotated to signed: checked along
// the log's rotation proofs (GetLogInfo), followed from `pinned`.
absl::Status VerifyAfterRotations(const Cli& cli, const TlogProof& proof,
                                  const VerifierKey& pinned) {
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  auto anchors = FollowRotations(
      TrustAnchors{{pinned}, {}},
      {info->key_rotations().begin(), info->key_rotations().end()});
  if (!anchors.ok()) return anchors.status();
  auto cp = OpenTrustedCheckpoint(proof.checkpoint, *anchors);
  if (!cp.ok()) return cp.status();
  return VerifyInclusion(proof.index, cp->checkpoint.size,
                         HashLeaf(proof.extra), proof.hashes,
                         cp->checkpoint.root);
}

}  // namespace

absl::Status PrintReceipt(const Cli& cli, const v1::Receipt& r) {
  if (cli.args.Has("vkey")) {
    auto k = VerifierKey::Parse(cli.args.Get("vkey"));
    auto proof = ParseTlogProof(r.tlog_proof());
    if (!k.ok() || !proof.ok())
      return absl::DataLossError("receipt: malformed");
    absl::Status cp =
        VerifyTlogProof(*proof, HashLeaf(proof->extra), *k).status();
    if (!cp.ok()) cp = VerifyAfterRotations(cli, *proof, *k);
    if (!cp.ok() || AsBytes(HashLeaf(proof->extra)) != r.leaf_hash()) {
      return absl::DataLossError(
          absl::StrCat("receipt does not verify: ", cp.message()));
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
}

}  // namespace ailedger
