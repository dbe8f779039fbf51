// A receipt proves something only about the event it is bound to (issue 10,
// flaw 2; the class of immudb GHSA-672p-m5jq-mrh8). A hostile server in the
// test process forwards GetLogInfo to the real ailedgerd and answers Append and
// AppendBatch with a genuine receipt of another leaf, or a real receipt with a
// field changed; the real `ailedger push` and LedgerClient must refuse it and
// save nothing. `verify-proof` proves the event the reader names and no other.
// Proof JSON numbers must be integers in range (flaw 18).
#include <grpcpp/grpcpp.h>

#include <filesystem>

#include "absl/strings/str_replace.h"
#include "ledger/base/file_util.h"
#include "nlohmann/json.hpp"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;
using testing::ProcessResult;

enum class Attack {
  kSwallowWithStaleReceipt,  // the event is dropped; an older leaf's receipt
  kSwallowAsDuplicate,       // the same, flagged as "already logged"
  kShiftIndex,               // forwarded; the receipt's index moved by one
  kOtherEventId,             // forwarded; the receipt names the stale event id
  kControlsInCheckpoint,     // the real checkpoint with a terminal sequence
};

// The hostile server: the real log's identity, the attack's answers.
class HostileLedger final : public v1::Ledger::Service {
 public:
  HostileLedger(const std::string& upstream, Attack attack, v1::Receipt stale)
      : upstream_(v1::Ledger::NewStub(
            grpc::CreateChannel(upstream, grpc::InsecureChannelCredentials()))),
        attack_(attack),
        stale_(std::move(stale)) {}

  grpc::Status GetLogInfo(grpc::ServerContext*,
                          const v1::GetLogInfoRequest* req,
                          v1::GetLogInfoResponse* resp) override {
    grpc::ClientContext ctx;
    return upstream_->GetLogInfo(&ctx, *req, resp);
  }

  grpc::Status GetCheckpoint(grpc::ServerContext*,
                             const v1::GetCheckpointRequest* req,
                             v1::GetCheckpointResponse* resp) override {
    grpc::ClientContext ctx;
    grpc::Status s = upstream_->GetCheckpoint(&ctx, *req, resp);
    if (s.ok() && attack_ == Attack::kControlsInCheckpoint) {
      // DEL and a C1 CSI (U+009B): a valid signed note's characters do not
      // stop them, a terminal acts on them.
      // In the origin line, where a note's parser accepts them.
      std::string note = resp->checkpoint();
      note.insert(note.find('\n'),
                  "\x7f\xc2\x9b"
                  "2K");
      resp->set_checkpoint(note);
    }
    return s;
  }

  grpc::Status Append(grpc::ServerContext*, const v1::AppendRequest* req,
                      v1::AppendResponse* resp) override {
    return Answer(*req, resp->mutable_receipt());
  }

  grpc::Status AppendBatch(grpc::ServerContext*,
                           const v1::AppendBatchRequest* req,
                           v1::AppendBatchResponse* resp) override {
    for (const auto& e : req->events()) {
      auto* outcome = resp->add_outcomes();
      grpc::Status s = Answer(e, outcome->mutable_receipt());
      outcome->set_code(s.error_code());
      outcome->set_message(s.error_message());
    }
    return grpc::Status::OK;
  }

 private:
  grpc::Status Answer(const v1::AppendRequest& req, v1::Receipt* out) {
    if (attack_ == Attack::kSwallowWithStaleReceipt ||
        attack_ == Attack::kSwallowAsDuplicate) {
      *out = stale_;
      out->set_duplicate(attack_ == Attack::kSwallowAsDuplicate);
      return grpc::Status::OK;
    }
    grpc::ClientContext ctx;
    v1::AppendResponse real;
    grpc::Status s = upstream_->Append(&ctx, req, &real);
    if (!s.ok()) return s;
    *out = real.receipt();
    if (attack_ == Attack::kShiftIndex) out->set_index(out->index() + 1);
    if (attack_ == Attack::kOtherEventId) out->set_event_id(stale_.event_id());
    return grpc::Status::OK;
  }

  std::unique_ptr<v1::Ledger::Stub> upstream_;
  const Attack attack_;
  const v1::Receipt stale_;
};

constexpr char kRelease[] =
    R"({"event_type":"ModelVersionReleased","schema_version":1,
  "organisation":"Acme AI","subjects":[{"kind":"system","id":"credit-scoring"}],
  "occurred_at_ms":"1700000000000","framework_refs":["euaia:art11"],
  "model_version_released":{"version":"2.4.0","artifact_sha256":"ERERERERERERERERERERERERERERERERERERERERERE="}})";

std::string Risk(const std::string& description) {
  return R"({"event_type":"RiskAssessed","organisation":"Acme AI",)"
         R"("riskAssessed":{"description":")" +
         description + R"(","likelihood":"possible","severity":"major"}})";
}

class ReceiptBindingTest : public E2eTest {
 protected:
  void SetUp() override {
    E2eTest::SetUp();
    // An older leaf (index 2) whose genuine receipt the hostile server replays.
    auto r = Client(nullptr)->Append(
        Signed(LoadKey("publisher"), "SystemRegistered"));
    ASSERT_TRUE(r.ok()) << r.status();
    stale_ = *r;
    ASSERT_TRUE(WriteFileDurably(Path("release.json"), kRelease).ok());
  }

  void TearDown() override {
    if (hostile_server_) hostile_server_->Shutdown();
    E2eTest::TearDown();
  }

  void StartHostile(Attack attack) {
    hostile_ =
        std::make_unique<HostileLedger>(server_->address(), attack, stale_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(hostile_.get());
    hostile_server_ = builder.BuildAndStart();
    ASSERT_GT(port, 0);
    hostile_address_ = "127.0.0.1:" + std::to_string(port);
  }

  // The real CLI against the hostile server.
  ProcessResult HostileCli(std::vector<std::string> args) {
    args.insert(args.begin(), AILEDGER_CLI_PATH);
    args.push_back("--server");
    args.push_back(hostile_address_);
    return testing::RunProcess(args);
  }

  std::unique_ptr<LedgerClient> HostileClient() {
    LedgerClient::Options o;
    o.target = hostile_address_;
    auto c = LedgerClient::Connect(o);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

  // push with --vkey (the receipt is verified against the log key) and
  // --receipt.
  ProcessResult HostilePush(const std::string& file,
                            std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {
        "push",   file,        "--key",     Path("publisher.key"),
        "--vkey", Vkey("log"), "--receipt", Path("r.tlog-proof")};
    args.insert(args.end(), extra.begin(), extra.end());
    return HostileCli(args);
  }

  std::string StaleId() const { return ToHex(stale_.event_id()); }

  // No receipt file, nor a batch's FILE.<index>, was written.
  void ExpectNoReceiptSaved() {
    for (const auto& f : std::filesystem::directory_iterator(dir_)) {
      EXPECT_EQ(f.path().filename().string().rfind("r.tlog-proof", 0),
                std::string::npos)
          << f.path();
    }
  }

  v1::Receipt stale_;
  std::unique_ptr<HostileLedger> hostile_;
  std::unique_ptr<grpc::Server> hostile_server_;
  std::string hostile_address_;
};

TEST_F(ReceiptBindingTest, PushRefusesAnOlderLeafsReceiptAndSavesNone) {
  StartHostile(Attack::kSwallowWithStaleReceipt);
  const uint64_t before = Size();
  auto push = HostilePush(Path("release.json"));
  EXPECT_EQ(push.exit_code, 1) << push.out;
  EXPECT_NE(push.err.find("receipt: leaf 2 carries another event (event id " +
                          StaleId() + "), not the one pushed (event id "),
            std::string::npos)
      << push.err;
  EXPECT_EQ(push.out, "");  // no index, no event id printed as if logged
  ExpectNoReceiptSaved();
  EXPECT_EQ(Size(), before);  // swallowed indeed: the client said so
}

TEST_F(ReceiptBindingTest, PushBatchRefusesAnOlderLeafsReceiptAndSavesNone) {
  StartHostile(Attack::kSwallowWithStaleReceipt);
  ASSERT_TRUE(WriteFileDurably(Path("batch.json"),
                               "[" + Risk("drift") + "," + Risk("bias") + "]")
                  .ok());
  const uint64_t before = Size();
  auto push = HostilePush(Path("batch.json"), {"--batch"});
  EXPECT_EQ(push.exit_code, 1) << push.out;
  EXPECT_NE(push.err.find("batch event 1 of 2: receipt: leaf 2 carries "
                          "another event (event id " +
                          StaleId() + ")"),
            std::string::npos)
      << push.err;
  EXPECT_EQ(push.out, "");
  ExpectNoReceiptSaved();
  EXPECT_EQ(Size(), before);
}

TEST_F(ReceiptBindingTest, TheClientLibraryRefusesAnOlderLeafsReceipt) {
  StartHostile(Attack::kSwallowWithStaleReceipt);
  auto client = HostileClient();
  ASSERT_NE(client, nullptr);
  const SigningKey publisher = LoadKey("publisher");
  auto one = client->Append(Signed(publisher, "RiskAssessed", "s", 1));
  EXPECT_EQ(one.status().code(), absl::StatusCode::kDataLoss) << one.status();
  EXPECT_NE(
      one.status().message().find("receipt: leaf 2 carries another event"),
      absl::string_view::npos)
      << one.status();
  v1::AppendBatchRequest batch;
  *batch.add_events() = Signed(publisher, "RiskAssessed", "s", 2);
  *batch.add_events() = Signed(publisher, "RiskAssessed", "s", 3);
  auto many = client->AppendBatch(batch);
  EXPECT_EQ(many.status().code(), absl::StatusCode::kDataLoss) << many.status();
  EXPECT_NE(many.status().message().find("batch event 1 of 2: receipt: leaf 2"),
            absl::string_view::npos)
      << many.status();
}

TEST_F(ReceiptBindingTest, ADuplicateAnswerMustBeOfTheEventPushed) {
  StartHostile(Attack::kSwallowAsDuplicate);
  auto push = HostilePush(Path("release.json"));
  EXPECT_EQ(push.exit_code, 1) << push.out;
  EXPECT_NE(push.err.find("receipt: leaf 2 carries another event"),
            std::string::npos)
      << push.err;
  ExpectNoReceiptSaved();
  // A genuine duplicate, from the real server, is a receipt of this very
  // event (same bytes, same signer): accepted.
  auto first = Cli({"push", Path("release.json"), "--key",
                    Path("publisher.key"), "--vkey", Vkey("log"), "--json"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  auto again = Cli({"push", Path("release.json"), "--key",
                    Path("publisher.key"), "--vkey", Vkey("log"), "--receipt",
                    Path("dup.tlog-proof"), "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto a = nlohmann::json::parse(first.out),
       b = nlohmann::json::parse(again.out);
  EXPECT_EQ(b["duplicate"], true);
  EXPECT_EQ(b["index"], a["index"]);
  EXPECT_EQ(b["event_id"], a["event_id"]);
}

TEST_F(ReceiptBindingTest, AReceiptWhoseIndexDisagreesWithItsLeafIsRefused) {
  StartHostile(Attack::kShiftIndex);
  auto push = HostilePush(Path("release.json"));
  EXPECT_EQ(push.exit_code, 1) << push.out;
  EXPECT_NE(push.err.find("receipt: index 4, but the proof is for 3 and the "
                          "leaf says 3"),
            std::string::npos)
      << push.err;
  ExpectNoReceiptSaved();
}

TEST_F(ReceiptBindingTest, AReceiptNamingAnotherEventIdIsRefused) {
  StartHostile(Attack::kOtherEventId);
  auto push = HostilePush(Path("release.json"));
  EXPECT_EQ(push.exit_code, 1) << push.out;
  EXPECT_NE(push.err.find("receipt: event_id " + StaleId() +
                          " is not the pushed event's id "),
            std::string::npos)
      << push.err;
  ExpectNoReceiptSaved();
}

// verify-proof proves the event the reader names, and says so when none is.
class VerifyProofBindingTest : public ReceiptBindingTest {
 protected:
  void SetUp() override {
    ReceiptBindingTest::SetUp();
    ASSERT_TRUE(WriteFileDurably(Path("a.json"), Risk("drift")).ok());
    ASSERT_TRUE(WriteFileDurably(Path("b.json"), Risk("bias")).ok());
    a_id_ = PushWithReceipt("a");
    b_id_ = PushWithReceipt("b");
  }

  std::string PushWithReceipt(const std::string& name) {
    auto push =
        Cli({"push", Path(name + ".json"), "--key", Path("publisher.key"),
             "--receipt", Path(name + ".tlog-proof"), "--json"});
    EXPECT_EQ(push.exit_code, 0) << push.err;
    return nlohmann::json::parse(push.out)["event_id"];
  }

  ProcessResult VerifyProof(const std::string& file,
                            std::vector<std::string> extra) {
    std::vector<std::string> args = {"verify-proof", file, "--vkey",
                                     Vkey("log"), "--no-witness-policy"};
    args.insert(args.end(), extra.begin(), extra.end());
    return Cli(args);
  }

  std::string a_id_, b_id_;
};

TEST_F(VerifyProofBindingTest, AReceiptOfAnotherEventIsRefused) {
  auto by_file = VerifyProof(Path("a.tlog-proof"), {"--event", Path("b.json")});
  EXPECT_EQ(by_file.exit_code, 1) << by_file.out;
  EXPECT_NE(by_file.err.find("verification failed: leaf 3 is the event " +
                             a_id_ + ", not the expected event " + b_id_),
            std::string::npos)
      << by_file.err;
  EXPECT_EQ(by_file.out.find("VERIFIED"), std::string::npos);
  auto by_id = VerifyProof(Path("a.tlog-proof"), {"--event-id", b_id_});
  EXPECT_EQ(by_id.exit_code, 1) << by_id.out;
  EXPECT_NE(by_id.err.find("not the expected event " + b_id_),
            std::string::npos)
      << by_id.err;
}

TEST_F(VerifyProofBindingTest, TheExpectedEventVerifiesAndItsIdIsPrinted) {
  for (const auto& flags : std::vector<std::vector<std::string>>{
           {"--event", Path("a.json")}, {"--event-id", a_id_}}) {
    auto ok = VerifyProof(Path("a.tlog-proof"), flags);
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    EXPECT_NE(ok.out.find("VERIFIED leaf 3 (event id " + a_id_),
              std::string::npos)
        << ok.out;
    EXPECT_NE(ok.out.find("event " + a_id_ + " is the expected event"),
              std::string::npos)
        << ok.out;
  }
  auto json =
      VerifyProof(Path("a.tlog-proof"), {"--event-id", a_id_, "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["event_id"], a_id_);
  EXPECT_EQ(j["log_index"], 3);
  EXPECT_EQ(j["bound_to_expected_event"], true);
}

TEST_F(VerifyProofBindingTest, WithoutAnExpectedEventItSaysItIsNotBound) {
  auto r = VerifyProof(Path("a.tlog-proof"), {});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("VERIFIED leaf 3 (event id " + a_id_), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("NOT BOUND to an expected event"), std::string::npos)
      << r.out;
  auto json = VerifyProof(Path("a.tlog-proof"), {"--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  auto j = nlohmann::json::parse(json.out);
  EXPECT_EQ(j["event_id"], a_id_);
  EXPECT_EQ(j["bound_to_expected_event"], false);
  EXPECT_EQ(VerifyProof(Path("a.tlog-proof"),
                        {"--event", Path("a.json"), "--event-id", a_id_})
                .exit_code,
            2);
}

TEST_F(VerifyProofBindingTest, AnInclusionProofIsBoundToTheExpectedEventToo) {
  ASSERT_TRUE(WriteFileDurably(Path("cp"), Cli({"checkpoint"}).out).ok());
  auto incl = Cli({"prove", "inclusion", "--index", "3", "--json", "--key",
                   Path("admin.key")});
  ASSERT_EQ(incl.exit_code, 0) << incl.err;
  ASSERT_TRUE(WriteFileDurably(Path("incl.json"), incl.out).ok());
  auto other = VerifyProof(Path("incl.json"),
                           {"--checkpoint", Path("cp"), "--event-id", b_id_});
  EXPECT_EQ(other.exit_code, 1) << other.out;
  EXPECT_NE(other.err.find("not the expected event " + b_id_),
            std::string::npos)
      << other.err;
  auto mine = VerifyProof(Path("incl.json"), {"--checkpoint", Path("cp"),
                                              "--event", Path("a.json")});
  EXPECT_EQ(mine.exit_code, 0) << mine.err;
  EXPECT_NE(mine.out.find("event " + a_id_ + " is the expected event"),
            std::string::npos)
      << mine.out;
}

// Flaw 18: a proof's numbers are JSON integers in range, nothing else.
TEST_F(VerifyProofBindingTest, ProofJsonNumbersThatAreNotIntegersAreRefused) {
  ASSERT_TRUE(WriteFileDurably(Path("cp"), Cli({"checkpoint"}).out).ok());
  const std::string size = std::to_string(Size());
  auto incl = Cli({"prove", "inclusion", "--index", "3", "--json", "--key",
                   Path("admin.key")});
  ASSERT_EQ(incl.exit_code, 0) << incl.err;
  ASSERT_NE(incl.out.find("\"log_index\":3,"), std::string::npos) << incl.out;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"\"log_index\":3,", "\"log_index\":3.0,"},
      {"\"log_index\":3,", "\"log_index\":1e300,"},
      {"\"log_index\":3,", "\"log_index\":-3,"},
      {"\"log_index\":3,", "\"log_index\":18446744073709551619,"},
      {"\"tree_size\":" + size, "\"tree_size\":" + size + ".0"},
  };
  for (const auto& [from, to] : cases) {
    const std::string field = to.substr(1, to.find('"', 1) - 1);
    ASSERT_TRUE(WriteFileDurably(Path("bad.json"),
                                 absl::StrReplaceAll(incl.out, {{from, to}}))
                    .ok());
    auto r = VerifyProof(Path("bad.json"), {"--checkpoint", Path("cp")});
    EXPECT_EQ(r.exit_code, 2) << to << "\n" << r.out;
    EXPECT_NE(r.err.find("verify-proof: " + field +
                         ": a non-negative JSON integer below 2^64 expected"),
              std::string::npos)
        << to << "\n"
        << r.err;
  }
  // The genuine proof still verifies.
  ASSERT_TRUE(WriteFileDurably(Path("incl.json"), incl.out).ok());
  EXPECT_EQ(
      VerifyProof(Path("incl.json"), {"--checkpoint", Path("cp")}).exit_code,
      0);
  // A consistency proof's sizes likewise.
  auto cons = Cli({"prove", "consistency", "--from", "2", "--to", size,
                   "--json", "--key", Path("admin.key")});
  ASSERT_EQ(cons.exit_code, 0) << cons.err;
  ASSERT_TRUE(
      WriteFileDurably(
          Path("cons.json"),
          absl::StrReplaceAll(cons.out, {{"\"first\":2,", "\"first\":2.0,"}}))
          .ok());
  auto c = VerifyProof(Path("cons.json"),
                       {"--trusted", Path("cp"), "--checkpoint", Path("cp")});
  EXPECT_EQ(c.exit_code, 2) << c.out;
  EXPECT_NE(c.err.find("verify-proof: first: a non-negative JSON integer"),
            std::string::npos)
      << c.err;
}

// Issue 10, flaw 14: `ailedger checkpoint` prints the server's note as is (it
// is saved and verified byte for byte), so a note a terminal would act on is
// refused rather than printed.
TEST_F(ReceiptBindingTest, ACheckpointHoldingTerminalControlsIsNotPrinted) {
  StartHostile(Attack::kControlsInCheckpoint);
  auto r = HostileCli({"checkpoint"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("checkpoint: the server's answer holds terminal "
                       "control characters"),
            std::string::npos)
      << r.err;
  auto honest = Cli({"checkpoint"});
  EXPECT_EQ(honest.exit_code, 0) << honest.err;
  EXPECT_EQ(honest.out.rfind(std::string(testing::kE2eOrigin) + "\n", 0), 0u);
}

}  // namespace
}  // namespace ailedger
