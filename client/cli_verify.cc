// ailedger export, verify, verify-proof: what an auditor runs, trusting nobody.
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "client/cli.h"
#include "client/export.h"
#include "ledger/base64.h"
#include "ledger/bundle_verifier.h"
#include "ledger/file_util.h"
#include "ledger/roles.h"
#include "ledger/tlog_proof.h"

namespace ailedger {
namespace {

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

absl::StatusOr<std::vector<VerifierKey>> LogKeys(const Cli& cli) {
  std::vector<VerifierKey> keys;
  for (const std::string& v : cli.args.Values("vkey")) {
    auto k = VerifierKey::Parse(v);
    if (!k.ok())
      return absl::InvalidArgumentError(
          absl::StrCat("--vkey: ", k.status().message()));
    keys.push_back(*std::move(k));
  }
  if (keys.empty()) return absl::InvalidArgumentError("--vkey is required");
  return keys;
}

absl::StatusOr<WitnessPolicy> Policy(const Cli& cli) {
  if (!cli.args.Has("witness-policy")) return WitnessPolicy{};
  auto text = ReadSmallFile(cli.args.Get("witness-policy"));
  if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
  return ParseWitnessPolicy(*text);
}

absl::StatusOr<VerifyOptions> Options(const Cli& cli) {
  VerifyOptions o;
  auto keys = LogKeys(cli);
  if (!keys.ok()) return keys.status();
  o.log_keys = *std::move(keys);
  auto admin = VerifierKey::Parse(cli.args.Get("admin-vkey"));
  if (!admin.ok())
    return absl::InvalidArgumentError(
        "--admin-vkey: a verifier key is required");
  o.admin = *std::move(admin);
  for (const std::string& e : cli.args.Values("expect")) {
    std::vector<std::string> kv = absl::StrSplit(e, absl::MaxSplits('=', 1));
    auto role = kv.size() == 2 ? ParseRole(kv[0])
                               : absl::InvalidArgumentError("ROLE=VKEY");
    auto key = kv.size() == 2 ? VerifierKey::Parse(kv[1])
                              : absl::InvalidArgumentError("ROLE=VKEY");
    if (!role.ok() || !key.ok())
      return absl::InvalidArgumentError("--expect: ROLE=VKEY expected");
    o.expected.emplace_back(*role, key->public_key());
  }
  if (cli.args.Has("trusted")) {
    auto t = ReadSmallFile(cli.args.Get("trusted"));
    if (!t.ok()) return absl::InvalidArgumentError(t.status().message());
    o.trusted_checkpoint = *std::move(t);
  }
  auto policy = Policy(cli);
  if (!policy.ok()) return policy.status();
  o.witness_policy = *std::move(policy);
  o.progress = Progress(cli, "verified");
  return o;
}

std::string RolesText(const std::vector<v1::Role>& roles) {
  std::string out;
  for (v1::Role r : roles)
    absl::StrAppend(&out, out.empty() ? "" : ",", RoleName(r));
  return out.empty() ? "-" : out;
}

void PrintReport(const Cli& cli, const VerifyReport& r) {
  std::ostream& out = *cli.out;
  if (cli.json) {
    out << "{\"verified\":" << (r.verified ? "true" : "false")
        << ",\"failure\":\"" << r.failure << "\",\"origin\":\"" << r.origin
        << "\",\"from\":" << r.from << ",\"to\":" << r.to
        << ",\"checkpoint_size\":" << r.checkpoint_size << ",\"root\":\""
        << Base64Encode(AsBytes(r.root))
        << "\",\"cosignatures\":" << r.cosignatures << ",\"signers\":[";
    for (size_t i = 0; i < r.signers.size(); ++i) {
      const auto& s = r.signers[i];
      out << (i ? "," : "") << "{\"key\":\"" << Base64Encode(AsBytes(s.key))
          << "\",\"name\":\"" << s.name << "\",\"organisation\":\""
          << s.organisation << "\",\"roles\":\"" << RolesText(s.roles)
          << "\",\"entries\":" << s.entries
          << ",\"unexpected\":" << (s.unexpected ? "true" : "false") << "}";
    }
    out << "],\"warnings\":" << r.warnings.size() << "}\n";
    return;
  }
  out << (r.verified ? "VERIFIED " : "FAILED ") << r.origin << " entries ["
      << r.from << ", " << r.to << ") against the checkpoint at size "
      << r.checkpoint_size << " (" << r.cosignatures
      << " witness cosignatures)\n";
  if (!r.verified) out << "first failure: " << r.failure << "\n";
  out << "signers:\n";
  for (const auto& s : r.signers) {
    out << "  " << Base64Encode(AsBytes(s.key)) << "  " << s.name << " ("
        << s.organisation << ")  roles " << RolesText(s.roles) << "  entries "
        << s.entries
        << (s.unexpected ? "  NOT EXPECTED by the reader for this role" : "")
        << "\n";
  }
  for (const auto& w : r.warnings) out << "warning: " << w << "\n";
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
    if (!t.ok()) return t.status();
    o.trusted_checkpoint = *std::move(t);
  }
  o.progress = Progress(cli, "exported");
  std::optional<SigningKey> key;
  if (cli.args.Has("key")) {
    auto k = cli.LoadKey();
    if (!k.ok()) return k.status();
    key.emplace(*std::move(k));
  }
  auto client = cli.Connect(key ? &*key : nullptr);
  if (!client.ok()) return client.status();
  const std::string tmp = *path + ".partial";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out)
      return absl::InvalidArgumentError(
          absl::StrCat("--out: cannot write ", tmp));
    if (auto s = ExportBundle(**client, o, &out); !s.ok()) return s;
    out.flush();
    if (!out) return absl::InternalError("export: write failed");
  }
  if (std::rename(tmp.c_str(), path->c_str()) != 0)
    return absl::InternalError("export: rename");
  *cli.out << "wrote " << *path << "\n";
  return absl::OkStatus();
}

absl::Status CmdVerify(const Cli& cli) {
  if (cli.words().size() != 1) return absl::InvalidArgumentError("verify FILE");
  auto options = Options(cli);
  if (!options.ok()) return options.status();
  std::ifstream in(cli.words()[0], std::ios::binary);
  if (!in)
    return absl::InvalidArgumentError(
        absl::StrCat(cli.words()[0], ": cannot read"));
  auto report = VerifyBundle(&in, *options);
  if (!report.ok())
    return absl::InvalidArgumentError(report.status().message());
  PrintReport(cli, *report);
  if (report->verified) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("verification failed: ", report->failure));
}

absl::Status CmdVerifyProof(const Cli& cli) {
  if (cli.words().size() != 1)
    return absl::InvalidArgumentError("verify-proof FILE");
  auto keys = LogKeys(cli);
  if (!keys.ok()) return keys.status();
  auto policy = Policy(cli);
  if (!policy.ok()) return policy.status();
  auto text = ReadInput(cli.words()[0]);
  if (!text.ok()) return absl::InvalidArgumentError(text.status().message());
  auto proof = ParseTlogProof(*text);
  if (!proof.ok()) return absl::InvalidArgumentError(proof.status().message());
  if (proof->extra.empty()) {
    return absl::InvalidArgumentError(
        "verify-proof: the proof carries no leaf (extra line)");
  }
  absl::Status last = absl::FailedPreconditionError("no key");
  for (const VerifierKey& k : *keys) {
    auto cp =
        VerifyTlogProof(*proof, HashLeaf(proof->extra), k, policy->witnesses);
    if (!cp.ok()) {
      last = cp.status();
      continue;
    }
    size_t cosigned = 0;
    for (const auto& v : cp->note.verified)
      cosigned += v.key.type() == kKeyTypeCosignature;
    if (cosigned < policy->quorum) {
      return absl::FailedPreconditionError(
          absl::StrCat("witness quorum: expected ", policy->quorum,
                       " cosignatures, found ", cosigned));
    }
    *cli.out << "VERIFIED leaf " << proof->index << " is in "
             << cp->checkpoint.origin << " at size " << cp->checkpoint.size
             << " (" << cosigned << " witness cosignatures)\n";
    return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat("verification failed: ", last.message()));
}

}  // namespace ailedger
