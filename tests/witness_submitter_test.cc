// WitnessSubmitter in process, against a real witness over loopback: a
// cosignature the store fails to write is not counted as done (the witness is
// asked again at the next tick), and it is served once a write succeeds.
#include "server/witness_submitter.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "ledger/storage/log_writer.h"
#include "ledger/storage/memory_store.h"
#include "ledger/storage/meta_keys.h"
#include "ledger/tlog/note.h"
#include "tests/testing/forwarding_store.h"
#include "tests/testing/temp_dir.h"
#include "witness/witness.h"
#include "witness/witness_http.h"

namespace ailedger {
namespace {

constexpr char kOrigin[] = "submitter.example/log";

// Forwards to a MemoryStore; WriteMeta fails while `fail` is set, as a full or
// failing disk would.
class FlakyMetaStore : public testing::ForwardingStore {
 public:
  explicit FlakyMetaStore(MemoryStore* store) : ForwardingStore(store) {}
  std::atomic<bool> fail{true};

  absl::Status WriteMeta(const std::string& key,
                         const std::string& value) override {
    if (fail) return absl::UnavailableError("meta: disk full");
    return ForwardingStore::WriteMeta(key, value);
  }
};

// Polls `done` for up to 10 s.
template <typename F>
bool Eventually(F done) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class WitnessSubmitterTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    auto writer = LogWriter::Open(
        &store_, kOrigin,
        [this](const Checkpoint& cp) { return SignCheckpoint(cp, log_key_); });
    ASSERT_TRUE(writer.ok()) << writer.status();
    SignedEvent e;
    e.event_bytes = "an event";
    ASSERT_TRUE((*writer)->Append({e}, 1700000000000).ok());
    witness_ = Witness::Open(Cosigner(), {log_key_.verifier()}, dir_, [] {
                 return uint64_t{1700000000};
               }).value();
    server_ = BoundedHttpServer::Listen(
                  "127.0.0.1", 0, {},
                  [this](const HttpRequest& r) -> HttpResponse {
                    if (r.path != "/add-checkpoint") return {404, "", ""};
                    ++asked_;
                    WitnessAnswer a = witness_->AddCheckpoint(r.body);
                    return {a.http_status, a.content_type, a.body};
                  })
                  .value();
  }
  std::unique_ptr<WitnessSubmitter> Start() {
    WitnessSubmitter::Options o;
    o.active_interval = std::chrono::milliseconds(20);
    WitnessEndpoint w{absl::StrCat("http://127.0.0.1:", server_->port()),
                      cosigner_.verifier(), 0};
    return std::make_unique<WitnessSubmitter>(
        &store_, &meta_, log_key_.verifier(), std::vector{w}, o);
  }
  std::optional<std::string> Cosigned() {
    return store_.ReadMeta(kCosignedMetaKey).value();
  }

  const SigningKey log_key_ =
      SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  static SigningKey Cosigner() {
    return SigningKey::FromSeed("witness.example", kKeyTypeCosignature,
                                std::string(32, 'w'))
        .value();
  }

  const SigningKey cosigner_ = Cosigner();
  MemoryStore store_;
  FlakyMetaStore meta_{&store_};
  std::unique_ptr<Witness> witness_;
  std::atomic<int> asked_{0};
  std::unique_ptr<BoundedHttpServer> server_;
};

TEST_F(WitnessSubmitterTest, ACosignatureTheStoreFailsToWriteIsAskedForAgain) {
  auto submitter = Start();
  // The same checkpoint, cosigned each time, is submitted again and again
  // while the write fails (a stored cosignature waits for idle_interval, an
  // hour).
  EXPECT_TRUE(Eventually([&] { return asked_ >= 3; })) << asked_;
  EXPECT_FALSE(Cosigned().has_value());

  meta_.fail = false;
  ASSERT_TRUE(Eventually([&] { return Cosigned().has_value(); }));
  auto opened = OpenNote(*Cosigned(), {cosigner_.verifier()});
  EXPECT_TRUE(opened.ok()) << opened.status();
  // Stored: no more rounds for this checkpoint.
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  const int after = asked_;
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(asked_, after);
}

}  // namespace
}  // namespace ailedger
