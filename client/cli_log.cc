// ailedger push, event-id, template, unseal: writing events to a log (and
// reading back the clear text of their sealed attachments).
#include "absl/strings/str_cat.h"
#include "client/cli.h"
#include "ledger/base/base64.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/seal.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

// --seal LABEL=FILE: encrypted here, before signing; the event carries only the
// commitment and the material goes to the server's sealed store once the event
// is logged.
absl::Status PushOne(const Cli& cli, LedgerClient& client,
                     const SigningKey& key, const std::string& origin,
                     v1::Event event) {
  std::vector<Sealed> sealed;
  for (const std::string& spec : cli.args.Values("seal")) {
    const size_t eq = spec.find('=');
    if (eq == std::string::npos) return UsageError("--seal: LABEL=FILE");
    auto plain = ReadInput(spec.substr(eq + 1));
    if (!plain.ok()) return plain.status();
    sealed.push_back(Seal(*plain));
    auto* a = event.add_sealed();
    a->set_commitment(std::string(AsBytes(sealed.back().commitment)));
    a->set_label(spec.substr(0, eq));
  }
  auto r = client.Append(AppendRequestOf(SignEvent(event, key, origin)));
  if (!r.ok()) return r.status();
  for (size_t i = 0; i < sealed.size(); ++i) {
    v1::PutSealedRequest put;
    put.set_event_id(r->event_id());
    put.set_attachment(static_cast<uint32_t>(i));
    put.set_key(sealed[i].key);
    put.set_salt(sealed[i].salt);
    put.set_ciphertext(sealed[i].ciphertext);
    if (auto s = client.PutSealed(put); !s.ok()) return s;
  }
  return PrintReceipt(cli, *r);
}

}  // namespace

absl::Status CmdUnseal(const Cli& cli) {
  auto n = cli.args.GetUint<uint32_t>("attachment", 0);  // range-checked
  if (!n.ok()) return n.status();
  auto id = FromHex(cli.args.Get("id"));
  auto out = cli.args.Require("out");
  if (!id.ok() || !out.ok()) {
    return UsageError("unseal --id HEX --attachment N --out FILE");
  }
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  v1::GetSealedRequest req;
  req.set_event_id(*id);
  req.set_attachment(*n);
  auto sealed = (*client)->GetSealed(req);
  if (!sealed.ok()) return sealed.status();
  // Check the clear text against the commitment in the signed event.
  v1::GetEntryRequest get;
  get.set_event_id(*id);
  auto entry = (*client)->GetEntry(get);
  if (!entry.ok()) return entry.status();
  auto leaf = DecodeLeaf(entry->leaf());
  v1::Event e;
  if (!leaf.ok() || !e.ParseFromString(leaf->event_bytes) ||
      *n >= static_cast<uint64_t>(e.sealed_size())) {
    return absl::DataLossError("the event does not carry that attachment");
  }
  auto commitment = SealCommitment(sealed->salt(), sealed->plaintext());
  if (!commitment.ok() || AsBytes(*commitment) != e.sealed(*n).commitment()) {
    return absl::DataLossError(
        "the clear text does not match the event's commitment");
  }
  if (auto s = WriteOutput(*out, sealed->plaintext(), 0600); !s.ok()) return s;
  *cli.out << "wrote " << *out << " (matches the commitment in event "
           << entry->index() << ")\n";
  return absl::OkStatus();
}

const CliCommand kUnsealCommand{
    .name = "unseal",
    .summary =
        "fetch a sealed attachment's clear text, checked against the "
        "event (admins, auditors and the author)",
    .usage = "--id HEX --attachment N --out FILE",
    .flags = "id attachment out",
    .run = CmdUnseal,
};

// The id an event will have in a log: SHA-256 over the origin and its
// canonical bytes (contexts.h), so that later events can reference it before
// it is pushed (an Approval's `approves`, a `supersedes`, an `_event_id`).
absl::Status CmdEventId(const Cli& cli) {
  auto origin = cli.args.Require("origin");
  if (cli.words().size() != 1 || !origin.ok())
    return UsageError("event-id FILE|- --origin ORIGIN");
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return text.status();
  v1::Event e;
  if (auto s = FromJson(*text, &e, "event"); !s.ok()) return s;
  const Hash id = EventId(*origin, CanonicalEncoding(e));
  if (cli.json) {
    *cli.out << "{\"event_id\":\"" << ToHex(id) << "\",\"base64\":\""
             << Base64Encode(AsBytes(id)) << "\"}\n";
  } else {
    *cli.out << ToHex(id) << " " << Base64Encode(AsBytes(id)) << "\n";
  }
  return absl::OkStatus();
}

const CliCommand kEventIdCommand{
    .name = "event-id",
    .summary = "the id an event will have in a log (hex and base64)",
    .usage = "FILE|- --origin ORIGIN",
    .flags = "origin",
    .run = CmdEventId,
};

// A starting point for writing an event by hand: the envelope and a body with
// every required field (worked values for the types whose rules need them,
// placeholders elsewhere; event ids in it do not resolve).
absl::Status CmdTemplate(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("template EVENT_TYPE");
  if (auto role = RequiredRole(cli.words()[0]); !role.ok())
    return AsUsageError(role.status());  // not an event type
  v1::Event e = NewEvent(cli.words()[0],
                         cli.args.Get("organisation", "Example Ltd"), NowMs());
  FillExampleBody(&e);
  auto json = ToJson(e);
  if (!json.ok()) return json.status();
  *cli.out << *json << "\n";
  return absl::OkStatus();
}

const CliCommand kTemplateCommand{
    .name = "template",
    .summary = "an event of a type with every required field, to edit",
    .usage = "EVENT_TYPE [--organisation O]",
    .flags = "organisation",
    .run = CmdTemplate,
};

absl::Status CmdPush(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("push FILE|-");
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return text.status();
  auto events = EventsFromJson(*text, cli.args.Has("batch"));
  if (!events.ok()) return events.status();
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  auto client = cli.Connect(&*key);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  auto origin = SigningOrigin(cli, info->origin());
  if (!origin.ok()) return origin.status();
  if (!cli.args.Has("batch"))
    return PushOne(cli, **client, *key, *origin, (*events)[0]);
  if (cli.args.Has("seal")) return UsageError("--seal: one event at a time");
  v1::AppendBatchRequest req;
  for (const auto& e : *events)
    *req.add_events() = AppendRequestOf(SignEvent(e, *key, *origin));
  auto resp = (*client)->AppendBatch(req);
  if (!resp.ok()) return resp.status();
  absl::Status first_error;
  for (const auto& o : resp->outcomes()) {
    if (o.code() != 0) {
      *cli.out << "refused: " << absl::StatusCode(o.code()) << ": "
               << EscapeForTerminal(o.message()) << "\n";
      if (first_error.ok())
        first_error = absl::Status(absl::StatusCode(o.code()), o.message());
      continue;
    }
    if (auto s = PrintReceipt(cli, o.receipt()); !s.ok()) return s;
  }
  return first_error;
}

const CliCommand kPushCommand{
    .name = "push",
    .summary = "sign and append an event (with --batch, a JSON array of them)",
    .usage =
        "FILE|- --key FILE [--batch] [--receipt FILE (FILE.<index> with "
        "--batch)]\n"
        "[--origin ORIGIN | --vkey LOGVKEY]   (pin the log: with --vkey "
        "the receipt is verified)\n"
        "[--seal LABEL=FILE ...]   (encrypted here; the event carries "
        "only the commitment)",
    .flags = "receipt origin vkey seal",
    .switches = "batch",
    .run = CmdPush,
};

}  // namespace ailedger
