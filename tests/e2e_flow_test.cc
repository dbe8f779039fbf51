// End to end through the real ailedgerd and the real CLI: the happy paths,
// receipts and proofs checked offline with the verification core, duplicates,
// restarts, restored backups, SIGTERM.
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "ledger/base/base64.h"
#include "ledger/base/file_util.h"
#include "ledger/merkle/verify.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/tlog_proof.h"
#include "nlohmann/json.hpp"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using testing::E2eTest;

constexpr char kEvent[] =
    R"({"event_type":"ModelVersionReleased","schema_version":1,
  "organisation":"Acme AI","subjects":[{"kind":"system","id":"credit-scoring"}],
  "occurred_at_ms":"1700000000000","framework_refs":["euaia:art11"],
  "model_version_released":{"version":"2.4.0","artifact_sha256":"ERERERERERERERERERERERERERERERERERERERERERE="}})";

VerifierKey LogVkey(const std::string& dir) {
  std::string v = ReadSmallFile(dir + "/log.key.pub").value();
  return VerifierKey::Parse(v.substr(0, v.size() - 1)).value();
}

TEST_F(E2eTest, KeygenWritesAPrivateFileReadableByItsOwnerOnly) {
  struct stat st;
  ASSERT_EQ(stat(Path("admin.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto cosigner = Cli(
      {"keygen", "--name", "witness", "--out", Path("w.key"), "--cosigner"});
  ASSERT_EQ(cosigner.exit_code, 0);
  EXPECT_EQ(VerifierKey::Parse(cosigner.out.substr(0, cosigner.out.size() - 1))
                ->type(),
            kKeyTypeCosignature);
}

TEST_F(E2eTest, PushGetQueryProveAndCheckEverythingOffline) {
  // A release names a registered system.
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Signed(LoadKey("publisher"), "SystemRegistered"))
                  .ok());
  ASSERT_TRUE(WriteFileDurably(Path("ev.json"), kEvent).ok());
  auto push = Cli({"push", Path("ev.json"), "--key", Path("publisher.key"),
                   "--receipt", Path("r.proof"), "--json"});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  auto pushed = nlohmann::json::parse(push.out);
  const uint64_t index = pushed["index"];
  EXPECT_EQ(index, 3u);  // genesis, the publisher's grant, the system, this
  // The receipt proves inclusion offline, against the log key alone.
  auto proof = ParseTlogProof(ReadSmallFile(Path("r.proof")).value());
  ASSERT_TRUE(proof.ok()) << proof.status();
  EXPECT_EQ(proof->index, index);
  const Hash leaf_hash = HashLeaf(proof->extra);
  EXPECT_EQ(Base64Encode(AsBytes(leaf_hash)), pushed["leaf_hash"]);
  EXPECT_TRUE(VerifyTlogProof(*proof, leaf_hash, LogVkey(dir_)).ok());

  auto get = Cli({"get", "--id", pushed["event_id"], "--key", Path("admin.key"),
                  "--json"});
  ASSERT_EQ(get.exit_code, 0) << get.err;
  EXPECT_EQ(nlohmann::json::parse(get.out)["event"]["event_type"],
            "ModelVersionReleased");
  auto raw = Cli({"get", "--index", "3", "--raw", "--key", Path("admin.key")});
  EXPECT_EQ(testing::Unbase64(raw.out.substr(0, raw.out.size() - 1)),
            proof->extra);

  auto query =
      Cli({"query", "--subject", "system:credit-scoring", "--type",
           "ModelVersionReleased", "--key", Path("publisher.key"), "--json"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  EXPECT_EQ(nlohmann::json::parse(query.out)["index"], 3);

  auto incl = Cli({"prove", "inclusion", "--index", "3", "--json", "--key",
                   Path("admin.key")});
  ASSERT_EQ(incl.exit_code, 0) << incl.err;
  auto p = nlohmann::json::parse(incl.out);
  std::vector<Hash> hashes;
  for (const auto& h : p["hashes"])
    hashes.push_back(*HashFromBytes(testing::Unbase64(h), "h"));
  auto cp = OpenCheckpoint(Cli({"checkpoint"}).out, LogVkey(dir_));
  ASSERT_TRUE(cp.ok()) << cp.status();
  EXPECT_EQ(p["tree_size"], cp->checkpoint.size);
  EXPECT_TRUE(
      VerifyInclusion(3, p["tree_size"],
                      *HashFromBytes(testing::Unbase64(p["leaf_hash"]), "leaf"),
                      hashes, cp->checkpoint.root)
          .ok());
  auto cons = Cli({"prove", "consistency", "--from", "1", "--to", "3", "--json",
                   "--key", Path("admin.key")});
  ASSERT_EQ(cons.exit_code, 0) << cons.err;
  EXPECT_EQ(nlohmann::json::parse(cons.out)["hashes"].size(), 2u);
}

TEST_F(E2eTest, TheSameEventTwiceReturnsTheOriginalReceiptFlagged) {
  auto client = Client(nullptr);
  auto req = Signed(LoadKey("publisher"), "RiskAssessed");
  auto first = client->Append(req);
  ASSERT_TRUE(first.ok()) << first.status();
  auto again = client->Append(req);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->duplicate());
  EXPECT_FALSE(first->duplicate());
  EXPECT_EQ(again->index(), first->index());
  EXPECT_EQ(Size(), first->index() + 1);
  auto proof = ParseTlogProof(again->tlog_proof());
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(
      VerifyTlogProof(*proof, HashLeaf(proof->extra), LogVkey(dir_)).ok());
}

TEST_F(E2eTest, GrantAndTheNewKeysFirstEventInOneBatchAreBothAccepted) {
  SigningKey fresh = SigningKey::Generate("fresh", kKeyTypeEd25519).value();
  v1::Event grant;
  grant.set_event_type("KeyGranted");
  grant.set_organisation("Acme AI");
  auto* g = grant.mutable_key_granted();
  g->set_public_key(std::string(AsBytes(fresh.verifier().public_key())));
  g->set_display_name("fresh");
  g->set_organisation("Acme AI");
  g->set_kind(v1::KEY_KIND_PERSON);
  g->add_roles(v1::ROLE_PUBLISHER);
  g->set_possession_signature(
      std::string(AsBytes(fresh.Sign(KeyPossessionMessage(
          testing::kE2eOrigin, fresh.verifier().public_key())))));
  v1::AppendBatchRequest batch;
  *batch.add_events() =
      AppendRequestOf(SignEvent(grant, LoadKey("admin"), testing::kE2eOrigin));
  *batch.add_events() = Signed(fresh, "RiskAssessed");
  auto resp = Client(nullptr)->AppendBatch(batch);
  ASSERT_TRUE(resp.ok()) << resp.status();
  ASSERT_EQ(resp->outcomes_size(), 2);
  EXPECT_EQ(resp->outcomes(0).code(), 0) << resp->outcomes(0).message();
  EXPECT_EQ(resp->outcomes(1).code(), 0) << resp->outcomes(1).message();
  EXPECT_EQ(resp->outcomes(1).receipt().index(),
            resp->outcomes(0).receipt().index() + 1);
}

TEST_F(E2eTest, RestartKeepsEverything) {
  AppendEvents(0, 5);
  const std::string before = Cli({"checkpoint"}).out;
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  StartServer();
  EXPECT_EQ(Cli({"checkpoint"}).out, before);
  EXPECT_EQ(Size(), 7u);
  auto again = Client(nullptr)->Append(
      Signed(LoadKey("publisher"), "RiskAssessed", "s", 4));
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate());
}

TEST_F(E2eTest, ADataDirRestoredToAnOlderCopyIsRefused) {
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  std::filesystem::copy(Path("data"), Path("backup"),
                        std::filesystem::copy_options::recursive);
  StartServer();
  ASSERT_TRUE(Client(nullptr)
                  ->Append(Signed(LoadKey("publisher"), "RiskAssessed"))
                  .ok());
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  std::filesystem::remove_all(Path("data"));
  std::filesystem::rename(Path("backup"), Path("data"));
  auto serve = Daemon({"serve", "--data", Path("data"), "--log-key",
                       Path("log.key"), "--listen", "127.0.0.1:0"});
  EXPECT_NE(serve.exit_code, 0);
  EXPECT_NE(serve.err.find("has signed size 3"), std::string::npos)
      << serve.err;
  EXPECT_NE(serve.err.find("restored older copy"), std::string::npos)
      << serve.err;
}

TEST_F(E2eTest, UninitialisedDataDirIsRefused) {
  auto serve = Daemon({"serve", "--data", Path("nothing-here"), "--log-key",
                       Path("log.key"), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_NE(serve.err.find("not an initialised ailedger store"),
            std::string::npos)
      << serve.err;
}

// Four clients append as fast as they can; SIGTERM arrives mid-stream. Every
// acknowledged receipt must be in the log after a restart, at its index, with
// its leaf hash.
TEST_F(E2eTest, SigtermUnderLoadLosesNothingAcknowledged) {
  std::atomic<bool> stop{false};
  std::mutex mu;
  std::vector<v1::Receipt> acknowledged;
  std::vector<std::thread> clients;
  const SigningKey key = LoadKey("publisher");
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&, t] {
      auto client = Client(nullptr);
      for (int i = 0; !stop && client; ++i) {
        auto r = client->Append(
            Signed(key, "HumanOverrideLogged", "s", t * 1000000 + i));
        if (!r.ok()) break;
        std::lock_guard<std::mutex> lock(mu);
        acknowledged.push_back(*r);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  stop = true;
  for (auto& c : clients) c.join();
  ASSERT_GT(acknowledged.size(), 20u);
  StartServer();
  auto reader = Client(nullptr);
  const SigningKey admin = LoadKey("admin");
  auto signed_reader = Client(&admin);
  for (const auto& r : acknowledged) {
    v1::GetEntryRequest req;
    req.set_index(r.index());
    auto e = signed_reader->GetEntry(req);
    ASSERT_TRUE(e.ok()) << r.index() << ": " << e.status();
    EXPECT_EQ(AsBytes(HashLeaf(e->leaf())), r.leaf_hash()) << r.index();
  }
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

// --tls-cert/--tls-key: the same API over TLS, with a self-signed certificate
// for 127.0.0.1.
TEST_F(E2eTest, ServesOverTls) {
  auto made = testing::RunProcess(
      {"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
       "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
       "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout",
       Path("tls.key"), "-out", Path("tls.crt")});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  // Issue 10, flaw 11: a TLS key others can read is refused, as the log key is.
  std::filesystem::permissions(Path("tls.key"),
                               std::filesystem::perms::owner_read |
                                   std::filesystem::perms::owner_write |
                                   std::filesystem::perms::group_read |
                                   std::filesystem::perms::others_read);
  auto open_key =
      Daemon({"serve", "--data", Path("data"), "--log-key", Path("log.key"),
              "--listen", "127.0.0.1:0", "--tls-cert", Path("tls.crt"),
              "--tls-key", Path("tls.key")});
  EXPECT_NE(open_key.exit_code, 0);
  EXPECT_NE(open_key.err.find("tls.key: permissions 0644 are too open"),
            std::string::npos)
      << open_key.err;
  std::filesystem::permissions(
      Path("tls.key"),
      std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  StartServer({"--tls-cert", Path("tls.crt"), "--tls-key", Path("tls.key")});
  LedgerClient::Options o;
  o.target = server_->address();
  o.tls_ca_file = Path("tls.crt");
  auto tls = LedgerClient::Connect(o);
  ASSERT_TRUE(tls.ok()) << tls.status();
  auto info = (*tls)->LogInfo();
  ASSERT_TRUE(info.ok()) << info.status();
  EXPECT_EQ(info->size(), 2u);
  // A plaintext client cannot talk to it.
  EXPECT_FALSE(Client(nullptr)->LogInfo().ok());
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST_F(E2eTest, CheckIndexesOnAServedLog) {
  AppendEvents(0, 3);
  EXPECT_EQ(server_->Stop(SIGTERM), 0);
  auto check = Daemon({"check-indexes", "--data", Path("data")});
  EXPECT_EQ(check.exit_code, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("0 missing, 0 extra"), std::string::npos)
      << check.out;
}

}  // namespace
}  // namespace ailedger

namespace ailedger::testing {
namespace {

// occurred_at has its own index (day rows): a time-only query returns exactly
// the entries of the window, in index order, across pages, backdated ones
// included.
TEST_F(E2eTest, TimeWindowQueriesUseTheDayIndexInIndexOrder) {
  constexpr int64_t kDay = 86400000, kT0 = 1700000000000;
  // Days 0, 5, 1 (backdated), 9, 3, 5, 7, 2: appended in this order.
  const int days[] = {0, 5, 1, 9, 3, 5, 7, 2};
  auto client = Client(nullptr);
  std::vector<uint64_t> want, open;  // entries in days [2, 7), and [2, ...)
  for (int i = 0; i < 8; ++i) {
    auto req = Signed(LoadKey("publisher"), "RiskAssessed", "s", 0);
    v1::Event e;
    ASSERT_TRUE(e.ParseFromString(req.event()));
    e.set_occurred_at_ms(kT0 + days[i] * kDay);
    e.set_nonce(std::to_string(i));
    auto r = client->Append(
        AppendRequestOf(SignEvent(e, LoadKey("publisher"), kE2eOrigin)));
    ASSERT_TRUE(r.ok()) << r.status();
    if (days[i] >= 2 && days[i] < 7) want.push_back(r->index());
    if (days[i] >= 2) open.push_back(r->index());
  }
  const SigningKey admin = LoadKey("admin");
  auto reader = Client(&admin);
  v1::QueryRequest q;
  q.set_from_ms(kT0 + 2 * kDay);
  q.set_to_ms(kT0 + 7 * kDay);
  q.set_page_size(2);  // several pages
  std::vector<uint64_t> got;
  ASSERT_TRUE(
      reader->Query(q, [&](const v1::Entry& e) { got.push_back(e.index()); })
          .ok());
  EXPECT_EQ(got, want);
  q.clear_to_ms();  // open-ended
  got.clear();
  ASSERT_TRUE(
      reader->Query(q, [&](const v1::Entry& e) { got.push_back(e.index()); })
          .ok());
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  // The set-up's genesis and grant happened "now", after the window opened.
  got.erase(std::remove_if(got.begin(), got.end(),
                           [&](uint64_t i) { return i < open.front(); }),
            got.end());
  EXPECT_EQ(got, open);
}

}  // namespace
}  // namespace ailedger::testing
