// ailedger keygen, genesis, key request / grant / revoke, erase: making keys
// and the log's first event, and the admin's events about keys and sealed
// attachments.
#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <limits>

#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "client/key_grant.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/key_grant_event.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"

namespace ailedger {
namespace {

// When the admin's act is said to have occurred: now, or --occurred-at
// (Unix ms) when loading a story whose log keeps its times (`ailedgerd
// --test-clock`; the time rule still bounds it by the leaf's time).
absl::StatusOr<int64_t> OccurredAt(const Cli& cli) {
  return cli.args.GetUint<int64_t>("occurred-at", NowMs(), 1,
                                   std::numeric_limits<int64_t>::max());
}

absl::StatusOr<v1::KeyKind> ParseKind(const std::string& kind) {
  if (kind == "person") return v1::KEY_KIND_PERSON;
  if (kind == "service" || kind == "service-account")
    return v1::KEY_KIND_SERVICE_ACCOUNT;
  return UsageError("--kind: person or service");
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
      (*client)->Append(AppendRequestOf(SignEvent(event, key, *origin)));
  if (!receipt.ok()) return receipt.status();
  return PrintReceipt(cli, *receipt);
}

// What the admin grants, from its own flags (the same flags as `key
// request`): the grantee's organisation, roles, kind, functions and scope.
// The organisation is the admin's to state because it decides whose records
// the key writes, corrects and approves; the possession signature covers only
// the public key, so the request's copy of it is anyone's to edit.
absl::StatusOr<v1::KeyGranted> GrantFromFlags(const Cli& cli) {
  v1::KeyGranted g;
  if (cli.args.Values("role").empty()) {
    return UsageError(
        "--role is required: key grant signs only the roles the admin states");
  }
  if (!cli.args.Has("organisation")) {
    return UsageError(
        "--organisation is required: key grant signs only the organisation "
        "the admin states");
  }
  g.set_organisation(cli.args.Get("organisation"));
  for (const std::string& r : cli.args.Values("role")) {
    auto role = ParseRole(r);
    if (!role.ok()) return AsUsageError(role.status());
    g.add_roles(*role);
  }
  auto kind = ParseKind(cli.args.Get("kind", "person"));
  if (!kind.ok()) return kind.status();
  g.set_kind(*kind);
  for (const std::string& f : cli.args.Values("function")) g.add_functions(f);
  g.set_scope_organisation(cli.args.Get("scope-organisation"));
  g.set_scope_system(cli.args.Get("scope-system"));
  return g;
}

// Refuses to write over an existing key file or its .pub unless --force: a
// log key replaced by accident cannot sign for its log again.
absl::Status RefuseExisting(const std::string& out) {
  for (const std::string& p : {out, out + ".pub"}) {
    std::error_code ec;
    const auto st = std::filesystem::symlink_status(p, ec);
    if (!ec && st.type() != std::filesystem::file_type::not_found) {
      return absl::AlreadyExistsError(absl::StrCat(
          p, " already exists; not replacing it (--force replaces it)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status CmdKeygen(const Cli& cli) {
  auto name = cli.args.Require("name");
  auto out = cli.args.Require("out");
  if (!name.ok()) return name.status();
  if (!out.ok()) return out.status();
  const uint8_t type =
      cli.args.Has("cosigner") ? kKeyTypeCosignature : kKeyTypeEd25519;
  const bool force = cli.args.Has("force");
  if (!force) {
    if (auto s = RefuseExisting(*out); !s.ok()) return s;
  }
  auto key = SigningKey::Generate(*name, type);
  if (!key.ok()) return LocalInputError(key.status());  // --name
  std::error_code ec;
  const auto parent = std::filesystem::path(*out).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  // Written through a new file of a random name (mode 0600 from its creation)
  // and linked into place, so nothing planted at the path is followed or
  // replaced without --force.
  const IfExists if_exists = force ? IfExists::kReplace : IfExists::kRefuse;
  std::string secret = key->ToString() + "\n";
  absl::Status written = WriteFileDurably(*out, secret, 0600, if_exists);
  sodium_memzero(secret.data(), secret.size());
  if (!written.ok()) return written;
  const std::string vkey = key->verifier().ToString();
  if (auto s = WriteFileDurably(*out + ".pub", vkey + "\n", 0644, if_exists);
      !s.ok())
    return s;
  *cli.out << vkey << "\n";
  return absl::OkStatus();
}

const CliCommand kKeygenCommand{
    .name = "keygen",
    .summary = "make a signing key: FILE (mode 0600) and FILE.pub",
    .usage =
        "--name NAME --out FILE [--cosigner] [--force (replace FILE, "
        "FILE.pub)]",
    .flags = "name out",
    .switches = "cosigner force",
    .run = CmdKeygen,
};

// A successor log's genesis names its predecessor's last checkpoint
// (server/restore.h): the origin it names and the signed note, as read.
absl::StatusOr<std::pair<std::string, std::string>> PredecessorCheckpoint(
    const std::string& file) {
  auto note = LocalInputError(ReadSmallFile(file));
  if (!note.ok()) return note.status();
  auto parsed = ParseNote(*note);
  auto cp = parsed.ok() ? ParseCheckpoint(parsed->text)
                        : absl::StatusOr<Checkpoint>(parsed.status());
  if (!cp.ok() || parsed->signatures.empty()) {
    return UsageError(absl::StrCat("--predecessor-checkpoint ", file,
                                   ": not a signed checkpoint"));
  }
  return std::make_pair(cp->origin, *std::move(note));
}

absl::Status CmdGenesis(const Cli& cli) {
  auto origin = cli.args.Require("origin");
  auto log_vkey = cli.args.Require("log-vkey");
  auto out = cli.args.Require("out");
  for (const auto* s : {&origin, &log_vkey, &out}) {
    if (!s->ok()) return s->status();
  }
  auto vkey = VerifierKeyFromFlag(cli, "log-vkey");
  if (!vkey.ok()) return vkey.status();
  if (vkey->name() != *origin || vkey->type() != kKeyTypeEd25519) {
    return UsageError(
        "--log-vkey: the log key must be an Ed25519 key named after the "
        "origin");
  }
  auto admin = cli.args.Require("admin-key");
  if (!admin.ok()) return admin.status();
  auto key = LocalInputError(LoadSigningKey(*admin));
  if (!key.ok()) return key.status();
  GenesisParams p;
  p.origin = *origin;
  p.log_verifier_key = vkey->ToString();
  p.admin_public_key = key->verifier().public_key();
  p.admin_name = cli.args.Get("admin-name", key->verifier().name());
  p.organisation = cli.args.Get("organisation", "unspecified");
  // An older version only for a log that must be judged as logs of that
  // version are (docs/ROLES.md); a new log takes the newest rules.
  auto version = cli.args.GetUint<uint32_t>("rules-version", kRoleTableVersion,
                                            1, kRoleTableVersion);
  if (!version.ok()) return version.status();
  p.role_table_version = *version;
  auto occurred = OccurredAt(cli);
  if (!occurred.ok()) return occurred.status();
  p.occurred_at_ms = *occurred;
  if (cli.args.Has("predecessor-checkpoint")) {
    auto named = PredecessorCheckpoint(cli.args.Get("predecessor-checkpoint"));
    if (!named.ok()) return named.status();
    if (named->first == p.origin) {
      return UsageError(
          "--predecessor-checkpoint: a successor log needs a new origin");
    }
    p.predecessor_origin = named->first;
    p.predecessor_checkpoint = named->second;
  }
  const v1::Event e = MakeGenesis(p);
  auto json = ToJson(AppendRequestOf(SignEvent(e, *key, *origin)));
  if (!json.ok()) return json.status();
  return WriteOutput(*out, *json + "\n");
}

const CliCommand kGenesisCommand{
    .name = "genesis",
    .summary = "write the log's first event, signed by its admin",
    .usage =
        "--origin NAME --admin-key FILE --log-vkey VKEY --out FILE\n"
        "[--organisation O] [--admin-name NAME] [--rules-version N (newest)]\n"
        "[--occurred-at MS (now)]\n"
        "[--predecessor-checkpoint NOTE (a successor log: the last checkpoint "
        "of the log it follows)]",
    .flags =
        "origin admin-key log-vkey out organisation admin-name rules-version "
        "occurred-at predecessor-checkpoint",
    .run = CmdGenesis,
};

absl::Status CmdKeyRequest(const Cli& cli) {
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  auto origin = Origin(cli);
  if (!origin.ok()) return origin.status();
  auto kind = ParseKind(cli.args.Get("kind", "person"));
  if (!kind.ok()) return kind.status();
  KeyGrantParams p;
  p.origin = *origin;
  p.display_name = cli.args.Get("display-name", key->verifier().name());
  p.organisation = cli.args.Get("organisation");
  p.kind = *kind;
  for (const std::string& r : cli.args.Values("role")) {
    auto role = ParseRole(r);
    if (!role.ok()) return AsUsageError(role.status());
    p.roles.push_back(*role);
  }
  p.functions = cli.args.Values("function");
  p.scope_organisation = cli.args.Get("scope-organisation");
  p.scope_system = cli.args.Get("scope-system");
  auto json = ToJson(MakeKeyGrant(*key, p).key_granted());
  if (!json.ok()) return json.status();
  if (cli.args.Has("out"))
    return WriteOutput(cli.args.Get("out"), *json + "\n");
  *cli.out << *json << "\n";
  return absl::OkStatus();
}

const CliCommand kKeyRequestCommand{
    .name = "key request",
    .summary = "ask an admin for a key grant (signed proof of possession)",
    .usage =
        "--key FILE --organisation O --role R... [--kind person|service]\n"
        "[--display-name N] [--function F...] [--scope-organisation O]\n"
        "[--scope-system S] [--origin ORIGIN] [--out FILE]",
    .flags =
        "organisation role kind display-name function "
        "scope-organisation scope-system origin out",
    .run = CmdKeyRequest,
};

absl::Status CmdKeyGrant(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("key grant: one REQUEST");
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return text.status();
  v1::KeyGranted asked;
  if (auto s = FromJson(*text, &asked, "request"); !s.ok()) return s;
  auto granted = GrantFromFlags(cli);
  if (!granted.ok()) return granted.status();
  if (auto s = CheckGrantRequest(asked, *granted); !s.ok()) return s;
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  // The request supplies only the key, its proof of possession and who holds
  // it; what the key may do is the admin's.
  auto occurred = OccurredAt(cli);
  if (!occurred.ok()) return occurred.status();
  v1::Event e = NewEvent("KeyGranted", granted->organisation(), *occurred);
  v1::KeyGranted* g = e.mutable_key_granted();
  *g = *std::move(granted);
  g->set_public_key(asked.public_key());
  g->set_display_name(asked.display_name());
  g->set_possession_signature(asked.possession_signature());
  std::cerr << DescribeGrant(*g);  // shown before it is signed
  return AppendSigned(cli, *admin, e);
}

const CliCommand kKeyGrantCommand{
    .name = "key grant",
    .summary =
        "grant a requested key exactly what these flags state (a "
        "request asking for other is refused)",
    .usage =
        "REQUEST --key ADMINKEY --organisation ORG --role R... "
        "[--kind person|service]\n"
        "[--function F...] [--scope-organisation O] [--scope-system S]\n"
        "[--origin ORIGIN | --vkey LOGVKEY] [--receipt FILE] "
        "[--occurred-at MS (now)]",
    .flags =
        "organisation role kind function scope-organisation "
        "scope-system origin vkey receipt occurred-at",
    .run = CmdKeyGrant,
};

absl::Status CmdErase(const Cli& cli) {
  // Range-checked before narrowing: 4294967296 is refused, not attachment 0.
  auto n = cli.args.GetUint<uint32_t>("attachment", 0);
  if (!n.ok()) return n.status();
  auto id = FromHex(cli.args.Get("id"));
  auto basis = cli.args.Require("basis");
  if (!id.ok() || id->size() != 32 || !basis.ok()) {
    return UsageError(
        "erase --id HEX --attachment N --basis TEXT --key ADMINKEY");
  }
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  v1::Event e =
      NewEvent("Erasure", cli.args.Get("organisation", "unspecified"), NowMs());
  v1::Erasure* x = e.mutable_erasure();
  x->set_event_id(*id);
  x->set_attachment(*n);
  x->set_legal_basis(*basis);
  x->set_requested_by(cli.args.Get("requested-by"));
  return AppendSigned(cli, *admin, e);
}

const CliCommand kEraseCommand{
    .name = "erase",
    .summary = "destroy a sealed attachment's clear text (the event stays)",
    .usage =
        "--id HEX --attachment N --basis TEXT --key ADMINKEY\n"
        "[--requested-by WHO] [--organisation O]\n"
        "[--origin ORIGIN | --vkey LOGVKEY] [--receipt FILE]",
    .flags =
        "id attachment basis requested-by organisation origin vkey "
        "receipt",
    .run = CmdErase,
};

absl::Status CmdKeyRevoke(const Cli& cli) {
  auto vkey = VerifierKeyFromFlag(cli, "revoke");
  if (!vkey.ok()) return vkey.status();
  auto admin = cli.LoadKey();
  if (!admin.ok()) return admin.status();
  auto since = cli.args.GetUint<int64_t>("compromised-since", 0);
  if (!since.ok()) return since.status();
  v1::Event e = NewEvent("KeyRevoked",
                         cli.args.Get("organisation", "unspecified"), NowMs());
  e.mutable_key_revoked()->set_public_key(
      std::string(AsBytes(vkey->public_key())));
  e.mutable_key_revoked()->set_reason(cli.args.Get("reason"));
  e.mutable_key_revoked()->set_compromised_since_ms(*since);
  return AppendSigned(cli, *admin, e);
}

const CliCommand kKeyRevokeCommand{
    .name = "key revoke",
    .summary = "revoke a key, from now or from when it was compromised",
    .usage =
        "--revoke VKEY --key ADMINKEY [--reason R] "
        "[--compromised-since MS]\n"
        "[--organisation O] [--origin ORIGIN | --vkey LOGVKEY] "
        "[--receipt FILE]",
    .flags =
        "revoke reason compromised-since organisation origin vkey "
        "receipt",
    .run = CmdKeyRevoke,
};

}  // namespace ailedger
