// ailedger export, export-tiles, verify: what an auditor runs, trusting
// nobody. `verify` takes a bundle, or a tlog-tiles directory (checked as a
// tree, then its entries as ledger leaves through a bundle made from them).
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "ailedger/bundle.pb.h"
#include "client/cli.h"
#include "client/export.h"
#include "ledger/audit/bundle.h"
#include "ledger/audit/bundle_verifier.h"
#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "ledger/tlog/tiles.h"
#include "ledger/tlog/tlog_proof.h"

namespace ailedger {

absl::Status VerifyFile(const Cli& cli, const std::string& path);

namespace {
// A new file only this process can have opened (mkstemp), or "" on failure.
std::string MakePrivateTemp() {
  std::string path =
      (std::filesystem::temp_directory_path() / "ailedger-tiles-XXXXXX")
          .string();
  int fd = mkstemp(path.data());
  if (fd < 0) return "";
  close(fd);
  return path;
}

// Progress on stderr when it is a terminal and output is not --json; otherwise
// silent.
std::function<void(uint64_t, uint64_t)> Progress(const Cli& cli,
                                                 const char* what) {
  if (cli.json || !isatty(2)) return nullptr;
  return [what](uint64_t done, uint64_t total) {
    std::fprintf(stderr, "\r%s %llu / %llu entries", what,
                 (unsigned long long)done, (unsigned long long)total);
    if (done == total) std::fprintf(stderr, "\n");
  };
}

}  // namespace

absl::StatusOr<WitnessPolicy> WitnessPolicyFromFlags(const Cli& cli) {
  if (!cli.args.Has("witness-policy")) return WitnessPolicy{};
  auto text = ReadSmallFile(cli.args.Get("witness-policy"));
  if (!text.ok()) return AsUsageError(text.status());
  return LocalInputError(ParseWitnessPolicy(*text));
}

absl::StatusOr<VerifyOptions> VerifyOptionsFromFlags(const Cli& cli) {
  VerifyOptions o;
  auto keys = LogKeysFromFlags(cli);
  if (!keys.ok()) return keys.status();
  o.log_keys = *std::move(keys);
  auto admin = VerifierKey::Parse(cli.args.Get("admin-vkey"));
  if (!admin.ok())
    return UsageError("--admin-vkey: a verifier key is required");
  o.admin = *std::move(admin);
  for (const std::string& e : cli.args.Values("expect")) {
    std::vector<std::string> kv = absl::StrSplit(e, absl::MaxSplits('=', 1));
    auto role = kv.size() == 2 ? ParseRole(kv[0])
                               : absl::InvalidArgumentError("ROLE=VKEY");
    auto key = kv.size() == 2 ? VerifierKey::Parse(kv[1])
                              : absl::InvalidArgumentError("ROLE=VKEY");
    if (!role.ok() || !key.ok())
      return UsageError("--expect: ROLE=VKEY expected");
    o.expected.emplace_back(*role, key->public_key());
  }
  if (cli.args.Has("trusted")) {
    auto t = ReadSmallFile(cli.args.Get("trusted"));
    if (!t.ok()) return AsUsageError(t.status());
    o.trusted_checkpoint = *std::move(t);
  }
  auto policy = WitnessPolicyFromFlags(cli);
  if (!policy.ok()) return policy.status();
  o.witness_policy = *std::move(policy);
  o.progress = Progress(cli, "verified");
  return o;
}

namespace {

std::string RolesText(const std::vector<v1::Role>& roles) {
  std::string out;
  for (v1::Role r : roles)
    absl::StrAppend(&out, out.empty() ? "" : ",", RoleName(r));
  return out.empty() ? "-" : out;
}

// Each witnessed checkpoint: its size and its witnesses' times.
nlohmann::json WitnessedJson(const VerifyReport& r) {
  nlohmann::json out = nlohmann::json::array();
  for (const WitnessedCheckpoint& w : r.witnessed) {
    nlohmann::json times = nlohmann::json::array();
    for (const auto& [name, t] : w.times)
      times.push_back({{"witness", name}, {"time", t}});
    out.push_back({{"size", w.size}, {"times", times}});
  }
  return out;
}

// "recorded no later than": the entries each witnessed checkpoint first holds.
void PrintWitnessed(std::ostream& out, const VerifyReport& r) {
  uint64_t from = r.from;
  for (const WitnessedCheckpoint& w : r.witnessed) {
    for (const auto& [name, t] : w.times) {
      out << "witnessed: entries [" << from << ", " << w.size
          << ") recorded no later than "
          << absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::FromUnixSeconds(t),
                              absl::UTCTimeZone())
          << " per " << EscapeForTerminal(name) << "\n";
    }
    from = w.size;
  }
}

// Names, organisations, origins, event types and messages come from the
// bundle: the JSON is built with a JSON library, and every output goes through
// EscapeForTerminal so that no control sequence reaches the reader's terminal.
void PrintReport(const Cli& cli, const VerifyReport& r) {
  std::ostream& out = *cli.out;
  const auto esc = [](absl::string_view s) { return EscapeForTerminal(s); };
  if (cli.json) {
    nlohmann::json j = {{"verified", r.verified},
                        {"failure", r.failure},
                        {"origin", r.origin},
                        {"from", r.from},
                        {"to", r.to},
                        {"checkpoint_size", r.checkpoint_size},
                        {"root", Base64Encode(AsBytes(r.root))},
                        {"cosignatures", r.cosignatures},
                        {"roster_complete", r.roster_complete},
                        {"roster_events_supplied", r.roster_events_supplied},
                        {"warnings", r.warnings},
                        {"signers", nlohmann::json::array()},
                        {"pending_approvals", nlohmann::json::array()},
                        {"rejected", nlohmann::json::array()}};
    for (const auto& sg : r.signers) {
      j["signers"].push_back({{"key", Base64Encode(AsBytes(sg.key))},
                              {"name", sg.name},
                              {"organisation", sg.organisation},
                              {"roles", RolesText(sg.roles)},
                              {"entries", sg.entries},
                              {"unexpected", sg.unexpected}});
    }
    for (const auto& [index, type] : r.pending_approvals) {
      j["pending_approvals"].push_back(
          {{"index", index}, {"event_type", type}});
    }
    for (const auto& [index, type] : r.rejected)
      j["rejected"].push_back({{"index", index}, {"event_type", type}});
    j["witnessed"] = WitnessedJson(r);
    j["key_rotations"] = nlohmann::json::array();
    for (const LogKeyRotation& k : r.key_rotations) {
      nlohmann::json one = {{"index", k.index},
                            {"new_key", k.new_key.ToString()},
                            {"overlap_entries", k.overlap_entries}};
      if (k.compromised_since) one["compromised_since"] = *k.compromised_since;
      j["key_rotations"].push_back(std::move(one));
    }
    j["after_decommissioning"] = nlohmann::json::array();
    for (const auto& [index, what] : r.after_decommissioning)
      j["after_decommissioning"].push_back(
          {{"index", index}, {"record", what}});
    out << esc(j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace))
        << "\n";
    return;
  }
  out << (r.verified ? "VERIFIED " : "FAILED ") << esc(r.origin) << " entries ["
      << r.from << ", " << r.to << ") against the checkpoint at size "
      << r.checkpoint_size << " (" << r.cosignatures
      << " witness cosignatures)\n";
  if (!r.verified) out << "first failure: " << esc(r.failure) << "\n";
  out << "signers:\n";
  for (const auto& s : r.signers) {
    out << "  " << Base64Encode(AsBytes(s.key)) << "  " << esc(s.name) << " ("
        << esc(s.organisation) << ")  roles " << RolesText(s.roles)
        << "  entries " << s.entries
        << (s.unexpected ? "  NOT EXPECTED by the reader for this role" : "")
        << "\n";
  }
  for (const auto& w : r.warnings) out << "warning: " << esc(w) << "\n";
  for (const auto& [index, type] : r.pending_approvals) {
    out << "awaiting approval: index " << index << " (" << esc(type) << ")\n";
  }
  for (const auto& [index, type] : r.rejected) {
    out << "rejected by an approver: index " << index << " (" << esc(type)
        << ")\n";
  }
  for (const auto& [index, what] : r.after_decommissioning) {
    out << "after decommissioning: index " << index << " (" << esc(what)
        << ")\n";
  }
  for (const LogKeyRotation& k : r.key_rotations)
    out << esc(DescribeRotation(k)) << "\n";
  PrintWitnessed(out, r);
}

// The core's messages name no flag (ledger/audit/bundle_verifier.h); the CLI
// says which of its flags a failed check was judged against.
std::string FlagsOf(absl::string_view check) {
  // clang-format off
  static constexpr std::pair<absl::string_view, absl::string_view> kFlags[] = {
      {"genesis",              "--admin-vkey, --vkey"},
      {"unexpected key",       "--expect, --admin-vkey"},
      {"checkpoint signature", "--vkey, --witness-policy"},
      {"witness quorum",       "--witness-policy"},
      {"trusted",              "--trusted"},  // and "trusted consistency"
      {"key rotation",         "--vkey"},
  };
  // clang-format on
  for (const auto& [c, flags] : kFlags) {
    if (absl::StartsWith(check, c)) return absl::StrCat(" (see ", flags, ")");
  }
  return "";
}

// A bundle the verifier could not use, with the flag behind it.
absl::Status Unusable(absl::string_view message) {
  absl::string_view rest = message;
  if (absl::ConsumePrefix(&rest, "trusted checkpoint: "))
    return UsageError(absl::StrCat("--trusted: ", rest));
  return UsageError(message);
}

}  // namespace

absl::Status CmdExport(const Cli& cli) {
  auto path = cli.args.Require("out");
  if (!path.ok()) return path.status();
  ExportOptions o;
  auto from = cli.args.GetUint("from", 0);
  if (!from.ok()) return from.status();
  o.from = *from;
  if (cli.args.Has("to")) {
    auto to = cli.args.GetUint("to", 0);
    if (!to.ok()) return to.status();
    o.to = *to;
  }
  if (cli.args.Has("trusted")) {
    auto t = ReadSmallFile(cli.args.Get("trusted"));
    if (!t.ok()) return AsUsageError(t.status());
    o.trusted_checkpoint = *std::move(t);
  }
  o.progress = Progress(cli, "exported");
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  const std::string tmp = *path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return UsageError(absl::StrCat("--out: cannot write ", tmp));
    if (auto s = ExportBundle(**client, o, &out); !s.ok()) return s.status();
    out.flush();
    if (!out) return absl::InternalError("export: write failed");
  }
  if (std::rename(tmp.c_str(), path->c_str()) != 0)
    return absl::InternalError("export: rename");
  *cli.out << "wrote " << *path << "\n";
  return absl::OkStatus();
}

const CliCommand kExportCommand{
    .name = "export",
    .summary = "write a bundle of entries with everything verify needs",
    .usage = "--out FILE [--from A --to B] [--trusted CHECKPOINT]",
    .flags = "out from to trusted",
    .run = CmdExport,
};

absl::Status CmdExportTiles(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("export-tiles DIR");
  const std::string dir = cli.words()[0];
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  auto note = (*client)->GetCheckpoint(v1::GetCheckpointRequest());
  if (!note.ok()) return note.status();
  auto cp = ParseCheckpoint(ParseNote(*note).value_or(ParsedNote{}).text);
  if (!cp.ok()) return cp.status();
  TileBuilder builder(
      [&dir](const std::string& path, const std::string& bytes) {
        std::filesystem::create_directories(
            std::filesystem::path(dir + "/" + path).parent_path());
        return WriteFileDurably(dir + "/" + path, bytes);
      });
  absl::Status add_error;
  auto progress = Progress(cli, "exported");
  v1::GetEntriesRequest req;
  req.set_end(cp->size);
  req.set_page_size(1000);
  auto s = cp->size == 0 ? absl::OkStatus()
                         : (*client)->GetEntries(req, [&](const v1::Entry& e) {
                             if (add_error.ok())
                               add_error = builder.Add(e.leaf());
                             if (progress && builder.size() % 4096 == 0)
                               progress(builder.size(), cp->size);
                           });
  if (!s.ok()) return s;
  if (!add_error.ok()) return add_error;
  if (auto f = builder.Finish(); !f.ok()) return f;
  if (builder.Root() != cp->root) {
    return absl::DataLossError(
        "export-tiles: the entries do not hash to the checkpoint's root");
  }
  if (auto w = WriteFileDurably(dir + "/checkpoint", *note); !w.ok()) return w;
  // Beside the tiles, how a reader follows the log's keys (tiles.h).
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  std::vector<std::string> rotations;
  for (const std::string& p : info->key_rotations()) {
    auto proof = ParseTlogProof(p);
    if (proof.ok() && proof->index < cp->size) rotations.push_back(p);
  }
  if (!rotations.empty()) {
    if (auto w = WriteFileDurably(dir + "/" + kTileKeyRotationsFile,
                                  JoinRotationProofs(rotations));
        !w.ok())
      return w;
  }
  *cli.out << "wrote " << cp->size << " entries as tiles in " << dir << "\n";
  return absl::OkStatus();
}

const CliCommand kExportTilesCommand{
    .name = "export-tiles",
    .summary = "write the log as C2SP tlog-tiles, for any static web server",
    .usage = "DIR",
    .run = CmdExportTiles,
};

namespace {

// The ROTATION records of a bundle made from a tile directory of `size`
// leaves: each rotation proof before `size`, with the consistency proof from
// its handover read from the hash tiles.
absl::StatusOr<std::vector<std::string>> TileRotationRecords(
    const std::string& dir, uint64_t size,
    const std::vector<std::string>& proofs) {
  std::vector<std::string> out;
  for (const std::string& text : proofs) {
    auto proof = ParseTlogProof(text);
    if (!proof.ok()) return AsUsageError(proof.status());
    if (proof->index >= size) continue;
    auto note = ParseNote(proof->checkpoint);
    auto cp = note.ok() ? ParseCheckpoint(note->text)
                        : absl::StatusOr<Checkpoint>(note.status());
    if (!cp.ok()) return AsUsageError(cp.status());
    v1::KeyRotationRecord r;
    r.set_rotation_proof(text);
    if (cp->size < size) {
      auto hashes = TileConsistencyProof(dir, size, cp->size, size);
      if (!hashes.ok()) return hashes.status();
      for (const Hash& h : *hashes) r.add_hashes(std::string(AsBytes(h)));
    }
    out.push_back(CanonicalEncoding(r));
  }
  return out;
}

// `verify DIR`: the tree-only check, then the entries verified as ledger leaves
// through a bundle synthesised from the tiles. The log's key rotations are
// followed from --vkey by the proofs in DIR/log-key-rotations.
absl::Status VerifyTileDirectory(const Cli& cli, const std::string& dir) {
  auto keys = LogKeysFromFlags(cli);
  if (!keys.ok()) return keys.status();
  auto policy = WitnessPolicyFromFlags(cli);
  if (!policy.ok()) return policy.status();
  auto rotations = ReadRotationProofs(dir + "/" + kTileKeyRotationsFile, false);
  if (!rotations.ok()) return rotations.status();
  auto anchors = FollowRotations(TrustAnchors{*keys, *policy}, *rotations);
  if (!anchors.ok()) return anchors.status();
  auto tree = VerifyTreeOnly(dir, *anchors);
  // Not a tile directory at all: unusable input, not a failed verification.
  if (absl::IsInvalidArgument(tree.status()))
    return AsUsageError(tree.status());
  if (!tree.ok()) {
    const bool checkpoint =
        absl::StartsWith(tree.status().message(), "checkpoint: ");
    return absl::FailedPreconditionError(
        absl::StrCat("verification failed: ", tree.status().message(),
                     checkpoint ? FlagsOf("checkpoint signature") : ""));
  }
  if (cli.args.Has("tree-only")) {
    *cli.out << "VERIFIED tree of " << tree->checkpoint.origin << " at size "
             << tree->checkpoint.size
             << ": checkpoint, entry bundles and hash tiles ("
             << tree->cosignatures << " witness cosignatures)\n";
    return absl::OkStatus();
  }
  const std::string tmp = MakePrivateTemp();
  if (tmp.empty())
    return absl::InternalError("verify: cannot create a temporary file");
  struct Remove {
    std::string path;
    ~Remove() { std::filesystem::remove(path); }
  } cleanup{tmp};
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    BundleWriter w(&out);
    v1::BundleHeader h;
    h.set_version(1);
    h.set_origin(tree->checkpoint.origin);
    h.set_to(tree->checkpoint.size);
    h.set_checkpoint_size(tree->checkpoint.size);
    auto rotation_records =
        TileRotationRecords(dir, tree->checkpoint.size, *rotations);
    if (!rotation_records.ok()) return rotation_records.status();
    h.set_key_rotations(static_cast<uint32_t>(rotation_records->size()));
    if (auto s = w.Write(RecordType::kHeader, CanonicalEncoding(h)); !s.ok())
      return s;
    auto s = ForEachTileEntry(dir, tree->checkpoint.size, [&](std::string e) {
      return w.Write(RecordType::kLeaf, e);
    });
    if (!s.ok()) return s;
    auto note = ReadSmallFile(dir + "/checkpoint");
    if (!note.ok()) return AsUsageError(note.status());
    if (auto c = w.Write(RecordType::kCheckpoint, *note); !c.ok()) return c;
    for (const std::string& r : *rotation_records) {
      if (auto c = w.Write(RecordType::kRotation, r); !c.ok()) return c;
    }
    v1::BundleEnd end;
    end.set_records(w.records());
    end.set_leaves(tree->checkpoint.size);
    if (auto e = w.Write(RecordType::kEnd, CanonicalEncoding(end)); !e.ok())
      return e;
  }
  return VerifyFile(cli, tmp);
}

}  // namespace

absl::Status CmdVerify(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("verify FILE|DIR");
  if (std::filesystem::is_directory(cli.words()[0])) {
    return VerifyTileDirectory(cli, cli.words()[0]);
  }
  if (cli.args.Has("tree-only")) {
    return UsageError("--tree-only: expects a tile directory");
  }
  return VerifyFile(cli, cli.words()[0]);
}

const CliCommand kVerifyCommand{
    .name = "verify",
    .summary =
        "verify a bundle or a tile directory offline (exit 0 verified, "
        "1 failed, 2 unusable)",
    .usage =
        "BUNDLE|DIR --vkey LOGVKEY... --admin-vkey VKEY "
        "[--expect ROLE=VKEY...]\n"
        "[--trusted CHECKPOINT] [--witness-policy FILE]\n"
        "| DIR --tree-only --vkey LOGVKEY... [--witness-policy FILE]\n"
        "(DIR: C2SP tlog-tiles; --tree-only checks only the checkpoint, "
        "entry bundles and hash tiles)",
    .flags = "vkey admin-vkey expect trusted witness-policy",
    .switches = "tree-only",
    .run = CmdVerify,
};

absl::Status VerifyFile(const Cli& cli, const std::string& path) {
  auto options = VerifyOptionsFromFlags(cli);
  if (!options.ok()) return options.status();
  std::ifstream in(path, std::ios::binary);
  if (!in) return UsageError(absl::StrCat(cli.words()[0], ": cannot read"));
  // Corrections are checked in a second pass over the bundle: a pipe cannot be
  // read twice, so it is refused now rather than failing late and obscurely.
  if (!in.seekg(0, std::ios::end) || in.tellg() < 0 || !in.seekg(0)) {
    return UsageError(
        "verify: BUNDLE must be a seekable file (the second pass re-reads "
        "it); save the stream to a file first");
  }
  auto report = VerifyBundle(&in, *options);
  // The verifier could not read the bundle: unusable input (exit 2), unlike
  // a bundle that it read and that failed (exit 1).
  if (!report.ok()) return Unusable(report.status().message());
  PrintReport(cli, *report);
  if (report->verified) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "verification failed: ", report->failure, FlagsOf(report->failed_check)));
}

}  // namespace ailedger
