// Refusals of the envelope, signatures, roles, batches and reads, through the
// real ailedgerd: the exact gRPC code, a message naming the field or rule, and
// no change in the tree size. The rules of state the sequencer applies
// (approvals, corrections, lifecycle, fields, references) are in
// e2e_rules_test.cc.
#include <grpcpp/grpcpp.h>

#include "absl/strings/str_cat.h"
#include "ledger/base/base64.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/examples.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;
using testing::kE2eOrigin;

// Refusals of the envelope, the signature, the roster and the read path.
class RejectionTest : public E2eTest {};

TEST_F(RejectionTest, BadSignatureIsUnauthenticated) {
  auto req = Signed(LoadKey("publisher"), "RiskAssessed");
  std::string sig = req.signature();
  sig[5] ^= 1;
  req.set_signature(sig);
  ExpectRefused(req, absl::StatusCode::kUnauthenticated, "signature");
}

TEST_F(RejectionTest, SignedForAnotherLogIsUnauthenticated) {
  v1::Event e;
  e.set_event_type("RiskAssessed");
  FillExampleBody(&e);
  ExpectRefused(
      AppendRequestOf(SignEvent(e, LoadKey("publisher"), "other.example/log")),
      absl::StatusCode::kUnauthenticated, "signature");
}

TEST_F(RejectionTest, UnknownKeyIsUnauthenticated) {
  auto stranger = SigningKey::Generate("stranger", kKeyTypeEd25519).value();
  ExpectRefused(Signed(stranger, "RiskAssessed"),
                absl::StatusCode::kUnauthenticated, "not on the roster");
}

TEST_F(RejectionTest, KeyWithoutTheRoleIsPermissionDenied) {
  Grant("reader", "reader");
  ExpectRefused(Signed(LoadKey("reader"), "RiskAssessed"),
                absl::StatusCode::kPermissionDenied, "publisher role");
  // A publisher cannot write audit records, nor grant keys.
  ExpectRefused(Signed(LoadKey("publisher"), "AuditFinding"),
                absl::StatusCode::kPermissionDenied, "auditor role");
  ExpectRefused(Signed(LoadKey("publisher"), "KeyGranted"),
                absl::StatusCode::kPermissionDenied, "admin role");
}

TEST_F(RejectionTest, EnvelopeChecks) {
  const SigningKey key = LoadKey("publisher");
  ExpectRefused(Signed(key, "NoSuchEvent"), absl::StatusCode::kInvalidArgument,
                "event_type");
  // Non-canonical bytes: an unknown field appended, then signed.
  auto req = Signed(key, "RiskAssessed");
  std::string bytes = req.event() + std::string("\x98\x06\x01", 3);
  req.set_event(bytes);
  req.set_signature(
      std::string(AsBytes(key.Sign(EventSigningMessage(kE2eOrigin, bytes)))));
  ExpectRefused(req, absl::StatusCode::kInvalidArgument, "unknown field");
  // Too large for a leaf.
  v1::Event big;
  big.set_event_type("RiskAssessed");
  big.set_nonce(std::string(70000, 'x'));
  FillExampleBody(&big);
  ExpectRefused(AppendRequestOf(SignEvent(big, key, kE2eOrigin)),
                absl::StatusCode::kInvalidArgument, "at most");
  // Claimed to happen in the future.
  v1::Event future;
  future.set_event_type("RiskAssessed");
  future.set_occurred_at_ms(4102444800000);  // 2100
  FillExampleBody(&future);
  ExpectRefused(AppendRequestOf(SignEvent(future, key, kE2eOrigin)),
                absl::StatusCode::kInvalidArgument, "occurred_at_ms");
  v1::AppendRequest short_key = Signed(key, "RiskAssessed");
  short_key.set_signer("abc");
  ExpectRefused(short_key, absl::StatusCode::kInvalidArgument, "signer");
}

TEST_F(RejectionTest, TheLastAdminCannotBeRevoked) {
  const std::string vkey = LoadKey("admin").verifier().ToString();
  auto revoke =
      Cli({"key", "revoke", "--revoke", vkey, "--key", Path("admin.key")});
  EXPECT_EQ(revoke.exit_code, 1);
  EXPECT_NE(revoke.err.find("the last admin cannot be revoked"),
            std::string::npos)
      << revoke.err;
}

TEST_F(RejectionTest, BatchLimitsAndEachBadEventRefusedAlone) {
  const SigningKey key = LoadKey("publisher");
  v1::AppendBatchRequest too_many;
  for (int i = 0; i < 1001; ++i)
    *too_many.add_events() = Signed(key, "RiskAssessed", "s", i);
  EXPECT_EQ(Client(nullptr)->AppendBatch(too_many).status().code(),
            absl::StatusCode::kInvalidArgument);
  v1::AppendBatchRequest mixed;
  *mixed.add_events() = Signed(key, "RiskAssessed", "s", 1);
  *mixed.add_events() = Signed(key, "AuditFinding", "s", 2);  // wrong role
  *mixed.add_events() = Signed(key, "RiskAssessed", "s", 3);
  const uint64_t before = Size();
  auto resp = Client(nullptr)->AppendBatch(mixed);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->outcomes(0).code(), 0);
  EXPECT_EQ(resp->outcomes(1).code(),
            static_cast<int>(absl::StatusCode::kPermissionDenied));
  EXPECT_EQ(resp->outcomes(2).code(), 0);
  EXPECT_EQ(Size(), before + 2);
}

TEST_F(RejectionTest, RevocationAndAnEventByTheRevokedKeyInOneBatch) {
  const SigningKey publisher = LoadKey("publisher");
  v1::Event revoke;
  revoke.set_event_type("KeyRevoked");
  revoke.mutable_key_revoked()->set_public_key(
      std::string(AsBytes(publisher.verifier().public_key())));
  v1::AppendBatchRequest batch;
  *batch.add_events() =
      AppendRequestOf(SignEvent(revoke, LoadKey("admin"), kE2eOrigin));
  *batch.add_events() = Signed(publisher, "RiskAssessed");
  auto resp = Client(nullptr)->AppendBatch(batch);
  ASSERT_TRUE(resp.ok()) << resp.status();
  EXPECT_EQ(resp->outcomes(0).code(), 0) << resp->outcomes(0).message();
  EXPECT_EQ(resp->outcomes(1).code(),
            static_cast<int>(absl::StatusCode::kUnauthenticated));
  EXPECT_NE(resp->outcomes(1).message().find("revoked"), std::string::npos);
}

TEST_F(RejectionTest, ReadsNeedAValidFreshCallContext) {
  v1::GetEntryRequest req;
  req.set_index(0);
  // No credentials.
  EXPECT_EQ(Client(nullptr)->GetEntry(req).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A key that is not on the roster.
  auto stranger = SigningKey::Generate("stranger", kKeyTypeEd25519).value();
  EXPECT_EQ(Client(&stranger)->GetEntry(req).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A roster key works; checkpoints and log info need nothing.
  const SigningKey publisher = LoadKey("publisher");
  EXPECT_TRUE(Client(&publisher)->GetEntry(req).ok());
  EXPECT_EQ(Cli({"checkpoint"}).exit_code, 0);
}

TEST_F(RejectionTest, AReplayedCallIsRefused) {
  const SigningKey key = LoadKey("publisher");
  auto channel = grpc::CreateChannel(server_->address(),
                                     grpc::InsecureChannelCredentials());
  auto stub = v1::Ledger::NewStub(channel);
  const std::string nonce(16, '\x42');
  const int64_t now = absl::ToUnixMillis(absl::Now());
  const std::string method = "/ailedger.v1.Ledger/GetEntry";
  auto message = CallSigningMessage(kE2eOrigin, method, now, nonce).value();
  auto call = [&] {
    grpc::ClientContext ctx;
    ctx.AddMetadata("ailedger-key",
                    Base64Encode(AsBytes(key.verifier().public_key())));
    ctx.AddMetadata("ailedger-time-ms", absl::StrCat(now));
    ctx.AddMetadata("ailedger-nonce", Base64Encode(nonce));
    ctx.AddMetadata("ailedger-signature",
                    Base64Encode(AsBytes(key.Sign(message))));
    v1::GetEntryRequest req;
    v1::GetEntryResponse resp;
    return stub->GetEntry(&ctx, req, &resp);
  };
  EXPECT_TRUE(call().ok());
  grpc::Status replay = call();
  EXPECT_EQ(replay.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(replay.error_message().find("replay"), std::string::npos);
}

TEST_F(RejectionTest, PerKeyRateLimit) {
  server_->Stop(SIGTERM);
  StartServer({"--rate-per-key", "1"});
  auto client = Client(nullptr);
  const SigningKey key = LoadKey("publisher");
  EXPECT_TRUE(client->Append(Signed(key, "RiskAssessed", "s", 1)).ok());
  auto second = client->Append(Signed(key, "RiskAssessed", "s", 2));
  EXPECT_EQ(second.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_F(RejectionTest, PublicReadServesReadsWithoutCredentials) {
  server_->Stop(SIGTERM);
  StartServer({"--public-read"});
  v1::GetEntryRequest req;
  req.set_index(1);
  EXPECT_TRUE(Client(nullptr)->GetEntry(req).ok());
}

}  // namespace
}  // namespace ailedger
