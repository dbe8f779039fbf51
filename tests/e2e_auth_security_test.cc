// Issue 10, flaws 6 and 15, against the real ailedgerd: rate limits that could
// be drained by forgers, bypassed by reconnecting and skipped by checkpoint
// and log-info calls; and call authentication that told an unsigned caller
// whether a key is active, revoked or unknown. The bounded LRU table and the
// per-key share of the replay cache are proven in call_auth_test.cc (filling
// them takes 100,000 names).
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "ledger/base/base64.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/e2e_fixture.h"

namespace ailedger {
namespace {

using testing::E2eTest;
using testing::kE2eOrigin;

constexpr char kNotValid[] = "call signature: not valid for an active key";
constexpr char kPeerLimited[] = "rate limit for this peer exceeded";

class AuthSecurityTest : public E2eTest {
 protected:
  // A stub on a TCP connection of its own: gRPC shares connections between
  // channels unless each has its own subchannel pool.
  // `slow_reader`: a client that does not grow its flow-control window.
  std::unique_ptr<v1::Ledger::Stub> FreshConnection(bool slow_reader = false) {
    grpc::ChannelArguments args;
    args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
    if (slow_reader) {
      args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
      args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, 65536);
    }
    return v1::Ledger::NewStub(grpc::CreateCustomChannel(
        server_->address(), grpc::InsecureChannelCredentials(), args));
  }

  // Call metadata for `method` naming the key `named`, signed by `signer`
  // (another key for a forgery).
  static void SignCall(grpc::ClientContext* ctx, const std::string& method,
                       const SigningKey& signer, const PublicKey& named) {
    static int calls = 0;
    const std::string nonce = absl::StrCat(1'000'000'000'000'000 + ++calls);
    const int64_t now = absl::ToUnixMillis(absl::Now());
    const std::string message =
        CallSigningMessage(kE2eOrigin,
                           absl::StrCat("/ailedger.v1.Ledger/", method), now,
                           nonce)
            .value();
    ctx->AddMetadata("ailedger-key", Base64Encode(AsBytes(named)));
    ctx->AddMetadata("ailedger-time-ms", absl::StrCat(now));
    ctx->AddMetadata("ailedger-nonce", Base64Encode(nonce));
    ctx->AddMetadata("ailedger-signature",
                     Base64Encode(AsBytes(signer.Sign(message))));
  }

  static grpc::Status GetEntry(v1::Ledger::Stub* stub, const SigningKey& signer,
                               const PublicKey& named) {
    grpc::ClientContext ctx;
    SignCall(&ctx, "GetEntry", signer, named);
    v1::GetEntryRequest req;
    v1::GetEntryResponse resp;
    return stub->GetEntry(&ctx, req, &resp);
  }

  static grpc::Status Query(v1::Ledger::Stub* stub, const SigningKey& signer,
                            const PublicKey& named) {
    grpc::ClientContext ctx;
    SignCall(&ctx, "Query", signer, named);
    v1::QueryRequest req;
    auto reader = stub->Query(&ctx, req);
    v1::QueryResponse resp;
    while (reader->Read(&resp)) {
    }
    return reader->Finish();
  }

  static grpc::Status Append(v1::Ledger::Stub* stub,
                             const v1::AppendRequest& req,
                             v1::AppendResponse* resp) {
    grpc::ClientContext ctx;
    return stub->Append(&ctx, req, resp);
  }

  // `key`'s own new event `n` is taken on `stub`: the log is one longer than
  // `before`.
  void ExpectOwnEventTaken(v1::Ledger::Stub* stub, const SigningKey& key, int n,
                           uint64_t before) {
    v1::AppendResponse resp;
    grpc::Status s = Append(stub, Signed(key, "RiskAssessed", "s", n), &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(Size(), before + 1);
  }

  void Restart(std::vector<std::string> flags) {
    server_->Stop(SIGTERM);
    StartServer(std::move(flags));
  }

  static PublicKey Pub(const SigningKey& k) {
    return k.verifier().public_key();
  }
};

// Flaw 6: the per-key bucket was charged before the signature was checked, so
// anyone could spend a victim's budget with events that name its key.
TEST_F(AuthSecurityTest, ForgedAppendsNamingAKeyDoNotDrainItsBudget) {
  Restart({"--rate-per-key", "1"});
  const SigningKey victim = LoadKey("publisher");
  const auto forger = SigningKey::Generate("forger", kKeyTypeEd25519).value();
  auto stub = FreshConnection();
  const uint64_t before = Size();
  for (int i = 0; i < 20; ++i) {
    v1::AppendRequest forged = Signed(forger, "RiskAssessed", "s", 100 + i);
    forged.set_signer(std::string(AsBytes(Pub(victim))));
    v1::AppendResponse resp;
    grpc::Status s = Append(stub.get(), forged, &resp);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << i;
    EXPECT_EQ(s.error_message(),
              "signature: does not verify for this signer, event and log "
              "origin")
        << i;
  }
  // Within the same second, the victim's own event is taken.
  ExpectOwnEventTaken(stub.get(), victim, 1, before);
}

// Flaw 6, the same drain by other means: events on the log are readable, and
// replaying one used to spend its signer's budget.
TEST_F(AuthSecurityTest, ReplayingALoggedEventDoesNotDrainItsSignersBudget) {
  Restart({"--rate-per-key", "1"});
  const SigningKey victim = LoadKey("publisher");
  auto stub = FreshConnection();
  const v1::AppendRequest logged = Signed(victim, "RiskAssessed", "s", 1);
  v1::AppendResponse first;
  ASSERT_TRUE(Append(stub.get(), logged, &first).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // refilled
  const uint64_t before = Size();
  for (int i = 0; i < 10; ++i) {
    v1::AppendResponse resp;
    grpc::Status s = Append(stub.get(), logged, &resp);
    EXPECT_TRUE(s.ok()) << i << ": " << s.error_message();
    EXPECT_TRUE(resp.receipt().duplicate()) << i;
    EXPECT_EQ(resp.receipt().index(), first.receipt().index()) << i;
  }
  ExpectOwnEventTaken(stub.get(), victim, 2, before);
}

// Flaw 6: the per-peer bucket was keyed by address and port, so each new
// connection came with a full bucket.
TEST_F(AuthSecurityTest, NewConnectionsFromOneAddressShareOneBucket) {
  Restart({"--rate-per-peer", "1", "--public-read"});
  int served = 0, refused = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    auto stub = FreshConnection();
    grpc::ClientContext ctx;
    v1::GetEntryRequest req;
    v1::GetEntryResponse resp;
    grpc::Status s = stub->GetEntry(&ctx, req, &resp);
    if (s.ok()) {
      ++served;
      continue;
    }
    ++refused;
    EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << i;
    EXPECT_EQ(s.error_message(), kPeerLimited) << i;
  }
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
  // One call per second in all, however many connections: one, unless this
  // machine took more than a second to open five connections.
  EXPECT_GE(served, 1);
  EXPECT_LE(served, 1 + seconds);
  EXPECT_GE(refused, 4 - seconds);
}

// Flaw 6: GetCheckpoint and GetLogInfo had no limit at all. They share the
// peer's bucket with every other method.
TEST_F(AuthSecurityTest, CheckpointAndLogInfoAreRateLimitedPerPeer) {
  Restart({"--rate-per-peer", "1"});
  auto stub = FreshConnection();
  auto checkpoint = [&] {
    grpc::ClientContext ctx;
    v1::GetCheckpointRequest req;
    v1::GetCheckpointResponse resp;
    return stub->GetCheckpoint(&ctx, req, &resp);
  };
  auto log_info = [&] {
    grpc::ClientContext ctx;
    v1::GetLogInfoRequest req;
    v1::GetLogInfoResponse resp;
    return stub->GetLogInfo(&ctx, req, &resp);
  };
  EXPECT_TRUE(checkpoint().ok());
  for (int i = 0; i < 5; ++i) {
    grpc::Status c = checkpoint(), l = log_info();
    EXPECT_EQ(c.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << i;
    EXPECT_EQ(c.error_message(), kPeerLimited);
    EXPECT_EQ(l.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << i;
    EXPECT_EQ(l.error_message(), kPeerLimited);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));
  EXPECT_TRUE(log_info().ok());
}

// Flaw 15: the roster was consulted before the signature, so a caller without
// any key learnt whether a key was active ("does not verify"), revoked or
// unknown. Now all three get the same bytes, from the same path.
TEST_F(AuthSecurityTest, BadSignatureGetsOneAnswerForActiveRevokedAndUnknown) {
  Grant("former", "reader");
  auto revoke =
      Cli({"key", "revoke", "--revoke", LoadKey("former").verifier().ToString(),
           "--key", Path("admin.key")});
  ASSERT_EQ(revoke.exit_code, 0) << revoke.err;
  const SigningKey active = LoadKey("publisher");
  const SigningKey revoked = LoadKey("former");
  const auto unknown = SigningKey::Generate("unknown", kKeyTypeEd25519).value();
  const auto forger = SigningKey::Generate("forger", kKeyTypeEd25519).value();
  auto stub = FreshConnection();
  for (const SigningKey* named : {&active, &revoked, &unknown}) {
    SCOPED_TRACE(named->verifier().ToString());
    for (grpc::Status s : {GetEntry(stub.get(), forger, Pub(*named)),
                           Query(stub.get(), forger, Pub(*named))}) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
      EXPECT_EQ(s.error_message(), kNotValid);
      EXPECT_EQ(s.error_details(), "");
    }
  }
  // The holders of the revoked and unknown keys, signing properly, get the
  // same answer too; the active key gets in.
  for (const SigningKey* holder : {&revoked, &unknown}) {
    grpc::Status s = GetEntry(stub.get(), *holder, Pub(*holder));
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
    EXPECT_EQ(s.error_message(), kNotValid);
  }
  EXPECT_TRUE(GetEntry(stub.get(), active, Pub(active)).ok());
  EXPECT_TRUE(Query(stub.get(), active, Pub(active)).ok());
}

// "Also reported": streaming reads hold a place in a bounded gate while they
// run (4 per address). Streams that finish, and streams refused before they
// start, give their place back.
TEST_F(AuthSecurityTest, FinishedAndRefusedStreamsGiveTheirPlaceBack) {
  const SigningKey reader = LoadKey("publisher");
  const auto forger = SigningKey::Generate("forger", kKeyTypeEd25519).value();
  auto stub = FreshConnection();
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(Query(stub.get(), forger, Pub(reader)).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
    grpc::Status s = Query(stub.get(), reader, Pub(reader));
    EXPECT_TRUE(s.ok()) << i << ": " << s.error_message();
    grpc::ClientContext ctx;
    SignCall(&ctx, "GetEntries", reader, Pub(reader));
    v1::GetEntriesRequest req;
    auto entries = stub->GetEntries(&ctx, req);
    v1::GetEntriesResponse resp;
    while (entries->Read(&resp)) {
    }
    EXPECT_TRUE(entries->Finish().ok()) << i;
  }
}

// "Also reported": page reads ran in gRPC's threads with no bound on streams.
// Streams a client leaves unread hold their place (and their page) on the
// server; a fifth one from the same address is refused, not queued.
TEST_F(AuthSecurityTest, UnreadStreamsFromOneAddressAreBoundedToFour) {
  const SigningKey publisher = LoadKey("publisher");
  // 2.4 MB of entries, far beyond the flow-control window of a client that
  // does not grow it: a stream nobody reads cannot finish.
  v1::AppendBatchRequest big;
  for (int i = 0; i < 40; ++i) {
    v1::AppendRequest e = Signed(publisher, "RiskAssessed", "s", 1000 + i);
    v1::Event event;
    ASSERT_TRUE(event.ParseFromString(e.event()));
    event.set_nonce(absl::StrCat(i, std::string(60'000, 'x')));
    *big.add_events() =
        AppendRequestOf(SignEvent(event, publisher, kE2eOrigin));
  }
  auto stub = FreshConnection(/*slow_reader=*/true);
  {
    grpc::ClientContext ctx;
    v1::AppendBatchResponse resp;
    ASSERT_TRUE(stub->AppendBatch(&ctx, big, &resp).ok());
    for (const auto& o : resp.outcomes()) ASSERT_EQ(o.code(), 0) << o.message();
  }
  struct Open {
    grpc::ClientContext ctx;
    std::unique_ptr<grpc::ClientReader<v1::GetEntriesResponse>> reader;
  };
  std::vector<std::unique_ptr<Open>> held;
  v1::GetEntriesRequest req;
  req.set_page_size(10);
  for (int i = 0; i < 4; ++i) {
    held.push_back(std::make_unique<Open>());
    SignCall(&held.back()->ctx, "GetEntries", publisher, Pub(publisher));
    held.back()->reader = stub->GetEntries(&held.back()->ctx, req);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // all started
  grpc::ClientContext ctx;
  SignCall(&ctx, "GetEntries", publisher, Pub(publisher));
  auto fifth = stub->GetEntries(&ctx, req);
  v1::GetEntriesResponse resp;
  const bool served = fifth->Read(&resp);
  EXPECT_FALSE(served) << "a fifth stream from one address was served";
  if (served) ctx.TryCancel();  // on to Finish without reading it all
  grpc::Status refused = fifth->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_EQ(refused.error_message(),
            "peer: 4 streams in flight from this address");
  // Reading one to its end gives its place back.
  while (held[0]->reader->Read(&resp)) {
  }
  EXPECT_TRUE(held[0]->reader->Finish().ok());
  // The server lets go of the place just after the status is sent.
  grpc::Status again;
  for (int i = 0; i < 20; ++i) {
    again = Query(stub.get(), publisher, Pub(publisher));
    if (again.ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(again.ok()) << again.error_message();
  for (size_t i = 1; i < held.size(); ++i) {
    held[i]->ctx.TryCancel();
    EXPECT_EQ(held[i]->reader->Finish().error_code(),
              grpc::StatusCode::CANCELLED);
  }
}

// The stream bounds are the operator's to set (an auditors' office behind one
// address may need more than 4), within a range: 0 would refuse every stream.
TEST_F(AuthSecurityTest, StreamBoundsAreFlagsInARange) {
  for (const char* flag : {"--max-streams", "--max-streams-per-peer"}) {
    auto r = Daemon({"serve", "--data", Path("data"), "--log-key",
                     Path("log.key"), "--listen", "127.0.0.1:0", flag, "0"});
    EXPECT_EQ(r.exit_code, 2) << flag << ": " << r.err;
    EXPECT_NE(r.err.find(std::string(flag) + ": 0 is out of range (1..100000)"),
              std::string::npos)
        << r.err;
  }
  Restart({"--max-streams-per-peer", "8", "--max-streams", "64"});
  const SigningKey reader = LoadKey("publisher");
  EXPECT_TRUE(Query(FreshConnection().get(), reader, Pub(reader)).ok());
}

}  // namespace
}  // namespace ailedger
