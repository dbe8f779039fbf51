#include "tests/testing/rule_harness.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "ailedger/bundle.pb.h"
#include "gtest/gtest.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/examples.h"
#include "ledger/governance/genesis.h"
#include "ledger/governance/time_rules.h"
#include "ledger/rules/engine.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/memory_store.h"
#include "ledger/tlog/contexts.h"
#include "server/append_checks.h"
#include "server/log_signer.h"
#include "server/sequencer.h"
#include "tests/testing/sequencer_events.h"

namespace ailedger::testing {
namespace {

Verdict Refused(const absl::Status& s) {
  return {false, RuleOf(s), std::string(s.message())};
}

// "index N: ..." -> N, or -1.
int64_t FailureIndex(const std::string& failure) {
  absl::string_view f = failure;
  if (!absl::ConsumePrefix(&f, "index ")) return -1;
  int64_t n = -1;
  if (!absl::SimpleAtoi(f.substr(0, f.find(':')), &n)) return -1;
  return n;
}

}  // namespace

std::string ToString(const Verdict& v) {
  return v.accepted ? "accepted"
                    : absl::StrCat("refused by '", v.rule, "': ", v.message);
}

RuleHarness::RuleHarness() {
  InitCrypto();
  dir_ = absl::StrCat(::testing::TempDir(), "/rule-harness-", getpid(), "-",
                      reinterpret_cast<uintptr_t>(this));
  std::filesystem::create_directories(dir_);
  admin_ = std::make_unique<SigningKey>(
      SigningKey::Generate("admin", kKeyTypeEd25519).value());
  log_key_ = std::make_unique<SigningKey>(
      SigningKey::Generate(kHarnessOrigin, kKeyTypeEd25519).value());
}

v1::Event ExampleAbout(
    const std::string& type,
    const std::vector<std::pair<std::string, std::string>>& subjects,
    const std::string& nonce, const std::string& organisation) {
  v1::Event e = NewEvent(type, organisation);
  for (const auto& [kind, id] : subjects) {
    auto* s = e.add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }
  e.set_nonce(nonce);
  FillExampleBody(&e);
  return e;
}

RuleHarness::~RuleHarness() { std::filesystem::remove_all(dir_); }

SignedEvent RuleHarness::Sign(const v1::Event& e,
                              const SigningKey& author) const {
  return SignEvent(e, author, kHarnessOrigin);
}

SignedEvent RuleHarness::Genesis(uint32_t version) const {
  GenesisParams p;
  p.origin = kHarnessOrigin;
  p.log_verifier_key = log_key_->verifier().ToString();
  p.admin_public_key = admin_->verifier().public_key();
  p.admin_name = "admin";
  p.organisation = "Acme AI";
  p.role_table_version = version;
  return Sign(MakeGenesis(p), *admin_);
}

SignedEvent RuleHarness::Grant(const SigningKey& key,
                               const std::string& organisation, v1::Role role,
                               const std::string& function) const {
  const PublicKey pub = key.verifier().public_key();
  v1::Event e;
  e.set_event_type("KeyGranted");
  e.set_organisation("Acme AI");
  e.set_nonce(key.verifier().name());
  v1::KeyGranted* g = e.mutable_key_granted();
  g->set_public_key(std::string(AsBytes(pub)));
  g->set_display_name(key.verifier().name());
  g->set_organisation(organisation);
  g->set_kind(v1::KEY_KIND_PERSON);
  g->add_roles(role);
  if (!function.empty()) g->add_functions(function);
  const Signature possession =
      key.Sign(KeyPossessionMessage(kHarnessOrigin, pub));
  g->set_possession_signature(std::string(
      reinterpret_cast<const char*>(possession.data()), possession.size()));
  return Sign(e, *admin_);
}

std::vector<Verdict> RuleHarness::Sequence(
    const std::vector<SignedEvent>& events, bool one_batch) {
  const std::string key_path = absl::StrCat(dir_, "/seq.key");
  std::filesystem::remove(key_path + ".hwm");
  EXPECT_TRUE(
      WriteFileDurably(key_path, log_key_->ToString(), 0600, IfExists::kReplace)
          .ok());
  auto signer = LogSigner::Open(key_path).value();
  MemoryStore store;
  auto writer =
      LogWriter::Open(&store, kHarnessOrigin, [&](const Checkpoint& cp) {
        return signer->Sign(cp);
      }).value();
  Sequencer seq(&store, writer.get(), signer.get(), Roster(kHarnessOrigin), {},
                [] { return uint64_t{kHarnessNowMs}; });
  std::vector<Verdict> out(events.size());
  std::vector<PendingAppend> group;
  std::vector<size_t> slots;
  auto run = [&] {
    const AppendOutcomes outcomes = SubmitAndWait(seq, std::move(group));
    for (size_t k = 0; k < outcomes.size(); ++k) {
      // A copy of a logged event is answered with the earlier receipt and
      // not logged again: the duplicate rule, as the verifier names it.
      if (outcomes[k].ok() && outcomes[k]->duplicate) {
        out[slots[k]] = {false, RuleName(Rule::kDuplicate),
                         "answered as a duplicate"};
        continue;
      }
      out[slots[k]] = outcomes[k].ok() ? Verdict{true, "", ""}
                                       : Refused(outcomes[k].status());
    }
    group.clear();
    slots.clear();
  };
  // Before the sequencer has logged the genesis (one batch from index 0), the
  // fields are checked at the version that genesis names, as a server started
  // on that genesis would.
  v1::Event first;
  const uint32_t genesis_version =
      !events.empty() && first.ParseFromString(events[0].event_bytes) &&
              first.has_genesis()
          ? first.genesis().role_table_version()
          : 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::string signer_bytes(AsBytes(events[i].signer));
    const std::string signature(
        reinterpret_cast<const char*>(events[i].signature.data()),
        events[i].signature.size());
    auto pending = CheckAppend(
        kHarnessOrigin, {events[i].event_bytes, signer_bytes, signature},
        kHarnessNowMs, kMaxClockSkewMs,
        seq.role_table_version() != 0 ? seq.role_table_version()
                                      : genesis_version);
    if (!pending.ok()) {
      out[i] = Refused(pending.status());
      continue;
    }
    group.push_back(*std::move(pending));
    slots.push_back(i);
    if (!one_batch) run();
  }
  if (!group.empty()) run();
  return out;
}

// `events` written into `store` as the log key's holder could, around the
// rules; the tree state.
TreeState RuleHarness::Forge(MemoryStore* store,
                             const std::vector<SignedEvent>& events) const {
  auto writer =
      LogWriter::Open(store, kHarnessOrigin, [&](const Checkpoint& cp) {
        return SignCheckpoint(cp, *log_key_);
      }).value();
  EXPECT_TRUE(writer->Append(events, kHarnessNowMs, {}).ok());
  return writer->state();
}

Hash RuleHarness::RootOf(const std::vector<SignedEvent>& events) const {
  MemoryStore store;
  return Forge(&store, events).root;
}

VerifyReport RuleHarness::ForgeAndVerify(
    const std::vector<SignedEvent>& events) {
  MemoryStore store;
  Forge(&store, events);
  const std::string path = absl::StrCat(dir_, "/forged.bundle");
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    BundleWriter bundle(&out);
    v1::BundleHeader header;
    header.set_version(1);
    header.set_origin(kHarnessOrigin);
    header.set_to(events.size());
    header.set_checkpoint_size(events.size());
    EXPECT_TRUE(
        bundle.Write(RecordType::kHeader, header.SerializeAsString()).ok());
    for (uint64_t i = 0; i < events.size(); ++i)
      EXPECT_TRUE(bundle.Write(RecordType::kLeaf, *store.ReadLeaf(i)).ok());
    EXPECT_TRUE(bundle
                    .Write(RecordType::kCheckpoint,
                           store.ReadLatestCheckpoint().value())
                    .ok());
    v1::BundleEnd end;
    end.set_records(bundle.records());
    end.set_leaves(events.size());
    EXPECT_TRUE(bundle.Write(RecordType::kEnd, end.SerializeAsString()).ok());
  }
  std::ifstream in(path, std::ios::binary);
  VerifyOptions o;
  o.log_keys = {log_key_->verifier()};
  o.admin = admin_->verifier();
  o.threads = 1;
  auto report = VerifyBundle(&in, o);
  EXPECT_TRUE(report.ok()) << report.status();
  return report.ok() ? *report : VerifyReport{};
}

Verdict RuleHarness::VerifyLast(const std::vector<SignedEvent>& events) {
  VerifyReport r = ForgeAndVerify(events);
  if (r.verified) return {true, "", ""};
  const int64_t at = FailureIndex(r.failure);
  if (at != static_cast<int64_t>(events.size()) - 1) {
    return {false, "(at another index)", r.failure};
  }
  return {false, r.failed_check, r.failure};
}

}  // namespace ailedger::testing
