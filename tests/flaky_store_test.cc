// The sequencer over a store that fails a commit in the two ways a disk can:
// the write is lost, or it lands but its acknowledgement is lost. Nothing is
// acknowledged that was not committed, a batch that landed is adopted and its
// retry answered, and a tree this process did not write stops the appends
// until a restart. (Faults of a real disk under RocksDB: fault_test.cc.)
#include <filesystem>
#include <thread>

#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/storage/memory_store.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/contexts.h"
#include "server/sequencer.h"
#include "tests/testing/forwarding_store.h"
#include "tests/testing/sequencer_events.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

using testing::ExpectNotAcknowledged;

constexpr char kOrigin[] = "flaky.example/log";

// A store over memory that can fail a commit in the two ways a disk can: the
// write is lost, or it lands but its acknowledgement is lost.
class FlakyStore : public testing::ForwardingStore {
 public:
  enum class Next { kWorks, kFails, kLandsButFails };
  FlakyStore() : ForwardingStore(&inner) {}
  Next next = Next::kWorks;
  MemoryStore inner;

 protected:
  absl::Status DoCommit(const CommitBatch& batch) override {
    const Next now = std::exchange(next, Next::kWorks);
    if (now == Next::kFails) return absl::InternalError("disk write failed");
    absl::Status s = inner.Commit(batch);
    if (now == Next::kWorks || !s.ok()) return s;
    return absl::InternalError("write acknowledgement lost");
  }
};

// The sequencer over a FlakyStore.
class FlakyStoreTest : public testing::TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::filesystem::create_directories(dir_);
    auto key = SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
    ASSERT_TRUE(WriteFileDurably(dir_ + "/log.key", key.ToString(), 0600).ok());
    signer_ = LogSigner::Open(dir_ + "/log.key").value();
    writer_ = LogWriter::Open(&store_, kOrigin, [this](const Checkpoint& cp) {
                return signer_->Sign(cp);
              }).value();
    seq_ = std::make_unique<Sequencer>(&store_, writer_.get(), signer_.get(),
                                       Roster(kOrigin), Sequencer::Options{},
                                       [] { return uint64_t{1000}; });
  }
  absl::StatusOr<AppendReceipt> Append(const v1::Event& e) {
    return testing::SubmitAndWait(*seq_,
                                  {testing::SignedPending(kOrigin, e, admin_)})
        .front();
  }
  v1::Event Genesis() { return testing::TestGenesis(kOrigin, admin_); }
  static void Wait() {
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
  }

  const SigningKey admin_ =
      SigningKey::Generate("admin", kKeyTypeEd25519).value();
  FlakyStore store_;
  std::unique_ptr<LogSigner> signer_;
  std::unique_ptr<LogWriter> writer_;
  std::unique_ptr<Sequencer> seq_;
};

// The write landed but its acknowledgement was lost: the event's caller hears
// UNAVAILABLE; once the store answers again, the writer adopts the batch it
// signed, the mark follows, and a retry is answered with the receipt.
TEST_F(FlakyStoreTest, ALandedBatchIsAdoptedAndItsRetryGetsTheReceipt) {
  store_.next = FlakyStore::Next::kLandsButFails;
  const v1::Event genesis = Genesis();
  ExpectNotAcknowledged(Append(genesis));
  EXPECT_EQ(signer_->high_water_mark(), 0u);
  Wait();
  auto retry = Append(genesis);
  ASSERT_TRUE(retry.ok()) << retry.status();
  EXPECT_TRUE(retry->duplicate);
  EXPECT_EQ(retry->index, 0u);
  EXPECT_EQ(signer_->high_water_mark(), 1u);
  EXPECT_EQ(store_.ReadTreeState()->size, 1u);
}

// The store comes back holding a tree this process neither committed nor
// signed (another writer, a restored copy): nothing is signed from the stale
// view, appends stay refused, and only a restart may go on.
TEST_F(FlakyStoreTest, AForeignStateRefusesAppendsUntilARestart) {
  ASSERT_TRUE(Append(Genesis()).ok());
  store_.next = FlakyStore::Next::kFails;
  ExpectNotAcknowledged(Append(testing::FreshGrant(kOrigin)));
  // Meanwhile another writer, with its own key, commits to the same store.
  const SigningKey other =
      SigningKey::Generate(kOrigin, kKeyTypeEd25519).value();
  auto foreign =
      LogWriter::Open(&store_.inner, kOrigin, [&](const Checkpoint& cp) {
        return SignCheckpoint(cp, other);
      }).value();
  SignedEvent e;
  e.event_bytes = CanonicalEncoding(testing::FreshGrant(kOrigin));
  e.signer = admin_.verifier().public_key();
  e.signature = admin_.Sign(EventSigningMessage(kOrigin, e.event_bytes));
  ASSERT_TRUE(foreign->Append({e}, 2000).ok());
  for (int i = 0; i < 2; ++i) {
    Wait();
    auto refused = Append(testing::FreshGrant(kOrigin));
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnavailable);
    EXPECT_NE(refused.status().message().find("restart ailedgerd"),
              std::string::npos)
        << refused.status();
  }
  EXPECT_EQ(signer_->high_water_mark(), 1u);
  EXPECT_EQ(store_.ReadTreeState()->size, 2u);
}

}  // namespace
}  // namespace ailedger
