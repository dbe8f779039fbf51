// ailedger keygen, genesis, key request / grant / revoke.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base64.h"
#include "ledger/contexts.h"
#include "ledger/file_util.h"
#include "ledger/leaf.h"
#include "ledger/roles.h"

namespace ailedger {
namespace {

absl::StatusOr<v1::KeyKind> ParseKind(const std::string& kind) {
  if (kind == "person") return v1::KEY_KIND_PERSON;
  if (kind == "service" || kind == "service-account")
    return v1::KEY_KIND_SERVICE_ACCOUNT;
  return absl::InvalidArgumentError("--kind: person or service");
}

// The origin the signature is for: --origin, else the server's.
absl::StatusOr<std::string> Origin(const Cli& cli) {
  if (cli.args.Has("origin")) return cli.args.Get("origin");
  auto client = cli.Connect(nullptr);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  return info->origin();
}

// Signs `event` with --key for the server's origin, appends it and prints the
// receipt.
absl::Status AppendSigned(const Cli& cli, const SigningKey& key,
                          const v1::Event& event) {
  auto client = cli.Connect(&key);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  auto origin = SigningOrigin(cli, info->origin());
  if (!origin.ok()) return origin.status();
  auto receipt =
      (*client)->Append(LedgerClient::SignEvent(event, key, *origin));
  if (!receipt.ok()) return receipt.status();
  return PrintReceipt(cli, *receipt);
}

}  // namespace

absl::Status CmdKeygen(const Cli& cli) {
  auto name = cli.args.Require("name");
  auto out = cli.args.Require("out");
  if (!name.ok()) return name.status();
  if (!out.ok()) return out.status();
  const uint8_t type =
      cli.args.Has("cosigner") ? kKeyTypeCosignature : kKeyTypeEd25519;
  auto key = SigningKey::Generate(*name, type);
  if (!key.ok()) return key.status();
  if (auto s = WriteOutput(*out, key->ToString() + "\n", 0600); !s.ok())
    return s;
  const std::string vkey = key->verifier().ToString();
  if (auto s = WriteOutput(*out + ".pub", vkey + "\n"); !s.ok()) return s;
  *cli.out << vkey << "\n";
  return absl::OkStatus();
}

absl::Status CmdGenesis(const Cli& cli) {
  auto origin = cli.args.Require("origin");
  auto log_vkey = cli.args.Require("log-vkey");
  auto out = cli.args.Require("out");
  for (const auto* s : {&origin, &log_vkey, &out}) {
    if (!s->ok()) return s->status();
  }
  auto vkey = VerifierKey::Parse(*log_vkey);
  if (!vkey.ok()) return vkey.status();
  if (vkey->name() != *origin || vkey->type() != kKeyTypeEd25519) {
    return absl::InvalidArgumentError(
        "--log-vkey: the log key must be an Ed25519 key named after the "
        "origin");
  }
  auto admin = cli.args.Has("admin-key")
                   ? ReadSmallFile(cli.args.Get("admin-key"))
                   : absl::InvalidArgumentError("--admin-key is required");
  if (!admin.ok()) return admin.status();
  auto key = SigningKey::Parse(*admin);
  if (!key.ok()) return key.status();
  v1::Event e;
  e.set_event_type("Genesis");
  e.set_schema_version(1);
  e.set_organisation(cli.args.Get("organisation", "unspecified"));
  e.set_occurred_at_ms(NowMs());
  v1::Genesis* g = e.mutable_genesis();
  g->set_origin(*origin);
  g->set_log_verifier_key(vkey->ToString());
  g->set_leaf_version(kLeafVersion);
  g->set_role_table_version(kRoleTableVersion);
  g->set_admin_public_key(std::string(AsBytes(key->verifier().public_key())));
  g->set_admin_name(cli.args.Get("admin-name", key->verifier().name()));
  g->set_admin_organisation(e.organisation());
  auto json = ToJson(LedgerClient::SignEvent(e, *key, *origin));
  if (!json.ok()) return json.status();
  return WriteOutput(*out, *json + "\n");
}

absl::Status CmdKeyRequest(const Cli& cli) {
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  auto origin = Origin(cli);
  if (!origin.ok()) return origin.status();
  auto kind = ParseKind(cli.args.Get("kind", "person"));
  if (!kind.ok()) return kind.status();
  v1::KeyGranted g;
  const PublicKey& pk = key->verifier().public_key();
  g.set_public_key(std::string(AsBytes(pk)));
  g.set_display_name(cli.args.Get("display-name", key->verifier().name()));
  g.set_organisation(cli.args.Get("organisation"));
  g.set_kind(*kind);
  for (const std::string& r : cli.args.Values("role")) {
    auto role = ParseRole(r);
    if (!role.ok()) return role.status();
    g.add_roles(*role);
  }
  for (const std::string& f : cli.args.Values("function")) g.add_functions(f);
  g.set_scope_organisation(cli.args.Get("scope-organisation"));
  g.set_scope_system(cli.args.Get("scope-system"));
  g.set_possession_signature(
      std::string(AsBytes(key->Sign(KeyPossessionMessage(*origin, pk)))));
  auto json = ToJson(g);
  if (!json.ok()) return json.status();
  if (cli.args.Has("out"))
    return WriteOutput(cli.args.Get("out"), *json + "\n");
  *cli.out << *json << "\n";
  return absl::OkStatus();
}

absl::Status CmdKeyGrant(const Cli& cli) {
  if (cli.words().size() != 1)
    return absl::InvalidArgumentError("key grant REQUEST");
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return text.status();
  v1::Event e;
  if (auto s = FromJson(*text, e.mutable_key_granted(), "request"); !s.ok())
    return s;
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  e.set_event_type("KeyGranted");
  e.set_schema_version(1);
  e.set_organisation(
      cli.args.Get("organisation", e.key_granted().organisation()));
  e.set_occurred_at_ms(NowMs());
  return AppendSigned(cli, *admin, e);
}

absl::Status CmdErase(const Cli& cli) {
  auto id = FromHex(cli.args.Get("id"));
  auto n = cli.args.GetUint("attachment", 0);
  auto basis = cli.args.Require("basis");
  if (!id.ok() || id->size() != 32 || !n.ok() || !basis.ok()) {
    return absl::InvalidArgumentError(
        "erase --id HEX --attachment N --basis TEXT --key ADMINKEY");
  }
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  v1::Event e;
  e.set_event_type("Erasure");
  e.set_schema_version(1);
  e.set_organisation(cli.args.Get("organisation", "unspecified"));
  e.set_occurred_at_ms(NowMs());
  v1::Erasure* x = e.mutable_erasure();
  x->set_event_id(*id);
  x->set_attachment(static_cast<uint32_t>(*n));
  x->set_legal_basis(*basis);
  x->set_requested_by(cli.args.Get("requested-by"));
  return AppendSigned(cli, *admin, e);
}

absl::Status CmdKeyRevoke(const Cli& cli) {
  auto target = cli.args.Require("revoke");
  if (!target.ok()) return target.status();
  auto vkey = VerifierKey::Parse(*target);
  if (!vkey.ok()) return vkey.status();
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  auto since = cli.args.GetUint("compromised-since", 0);
  if (!since.ok()) return since.status();
  v1::Event e;
  e.set_event_type("KeyRevoked");
  e.set_schema_version(1);
  e.set_organisation(cli.args.Get("organisation", "unspecified"));
  e.set_occurred_at_ms(NowMs());
  e.mutable_key_revoked()->set_public_key(
      std::string(AsBytes(vkey->public_key())));
  e.mutable_key_revoked()->set_reason(cli.args.Get("reason"));
  e.mutable_key_revoked()->set_compromised_since_ms(
      static_cast<int64_t>(*since));
  return AppendSigned(cli, *admin, e);
}

}  // namespace ailedger
