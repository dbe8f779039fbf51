// The ISO/IEC 42001 evidence pack over the generated history (tools/history.h:
// all 38 SoA rows written, each with the events that show it operates), as
// records the way a verified bundle gives them, signers from the roster's
// grants: every row determined, most evidenced, every evidence row cited,
// and the pack rendered in each form the same way twice.
#include <cstdlib>
#include <fstream>
#include <map>

#include "gtest/gtest.h"
#include "ledger/base/crypto_init.h"
#include "ledger/tlog/contexts.h"
#include "reports/iso42001_report.h"
#include "tools/history.h"

namespace ailedger::reports {
namespace {

constexpr char kOrigin[] = "iso.ailedger.example/log";
constexpr char kProvider[] = "Aurora Credit AI";

class Iso42001HistoryTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    InitCrypto();
    static const Hash seed = HashLeaf("iso admin");
    static const SigningKey admin =
        SigningKey::FromSeed("admin", kKeyTypeEd25519, AsBytes(seed)).value();
    history::History h({kOrigin, 11, 1500, 3, 3}, &admin);
    records_ = new std::vector<Record>;
    verified_ = new VerifyReport;
    std::map<PublicKey, SignerSummary> signers;
    for (auto batch = h.Next(100); !batch.empty(); batch = h.Next(100)) {
      for (history::Generated& g : batch) {
        Record r;
        r.index = records_->size() + 1;
        r.integrated_time_ms = static_cast<uint64_t>(g.occurred_at_ms);
        r.event_id = g.event_id;
        r.signer = g.signed_event.signer;
        ASSERT_TRUE(r.event.ParseFromString(g.signed_event.event_bytes));
        if (r.event.has_key_granted()) {
          const auto& k = r.event.key_granted();
          SignerSummary s;
          std::copy(k.public_key().begin(), k.public_key().end(),
                    s.key.begin());
          s.organisation = k.organisation();
          for (int role : k.roles())
            s.roles.push_back(static_cast<v1::Role>(role));
          signers[s.key] = s;
        }
        records_->push_back(std::move(r));
      }
    }
    for (const auto& [key, s] : signers) verified_->signers.push_back(s);
    verified_->verified = true;
    verified_->origin = kOrigin;
    verified_->to = verified_->checkpoint_size = records_->size() + 1;
  }
  static void TearDownTestSuite() {
    delete records_;
    delete verified_;
  }
  static std::vector<Record>* records_;
  static VerifyReport* verified_;
};
std::vector<Record>* Iso42001HistoryTest::records_ = nullptr;
VerifyReport* Iso42001HistoryTest::verified_ = nullptr;

TEST_F(Iso42001HistoryTest, EveryRowDeterminedAndMostEvidenced) {
  auto r = Iso42001Report(*records_, *verified_, VerifyOptions(), kProvider);
  ASSERT_TRUE(r.ok()) << r.status();
  const nlohmann::json& d = r->data;
  EXPECT_EQ(d["determined"], 38);
  std::map<std::string, int> by_status;
  for (const auto& [id, status] : d["status"].items())
    ++by_status[status.get<std::string>()];
  EXPECT_EQ(by_status["not determined"], 0);
  EXPECT_GE(by_status["evidenced"] + by_status["stale"], 28) << d["status"];
  for (const auto& row : d["evidence_cited"]) {
    if (row[2] != "") {
      EXPECT_EQ(row[2].get<std::string>().rfind("idx ", 0), 0u) << row;
    }
  }
  auto again =
      Iso42001Report(*records_, *verified_, VerifyOptions(), kProvider);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(RenderHtml(*r), RenderHtml(*again));
  EXPECT_EQ(RenderMarkdown(*r), RenderMarkdown(*again));
  EXPECT_EQ(RenderJson(*r), RenderJson(*again));
  if (const char* dir = std::getenv("AILEDGER_ISO42001_DUMP")) {
    std::ofstream(std::string(dir) + "/iso42001.md") << RenderMarkdown(*r);
    std::ofstream(std::string(dir) + "/iso42001.html") << RenderHtml(*r);
  }
}

}  // namespace
}  // namespace ailedger::reports
