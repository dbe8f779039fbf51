// examples/ (docs/VOCABULARY.md): each profile loads in name
// order through examples/load.sh (the real ailedgerd and ailedger), verifies
// offline, and every example round-trips: `get` by its id returns its exact
// canonical bytes and `query` by its type finds it. The profiles hold
// templates that load.sh renders (keys, event ids, the report's anchor) into
// DATA/rendered/: the events pushed are the rendered files. Between them the
// profiles use every event type; with a required field removed, each is
// refused with INVALID_ARGUMENT naming the field and the log does not grow.
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <optional>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "client/ledger_client.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/canonical.h"
#include "ledger/governance/roles.h"
#include "ledger/governance/validation.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"
#include "tests/testing/process.h"

namespace ailedger::testing {
namespace {

namespace fs = std::filesystem;

// How long after its event occurred a leaf of an example log is integrated
// (load.sh sets the test clock to occurred_at plus five minutes).
constexpr int64_t kMaxLagMs = 3600 * 1000;

struct Example {
  std::string file, key;
  v1::Event event;
};

// The rendered events of a loaded profile
// (DATA/rendered/NNN-<key>-<Type>.json).
std::vector<Example> LoadRendered(const std::string& dir) {
  std::vector<Example> out;
  if (!fs::is_directory(dir)) return out;
  for (const auto& f : fs::directory_iterator(dir)) {
    const std::string name = f.path().filename().string();
    if (!absl::EndsWith(name, ".json")) continue;
    Example e{name, std::vector<std::string>(absl::StrSplit(name, '-'))[1], {}};
    auto text = ReadSmallFile(f.path().string());
    EXPECT_TRUE(text.ok()) << name;
    EXPECT_TRUE(
        google::protobuf::util::JsonStringToMessage(*text, &e.event).ok())
        << name;
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.file < b.file; });
  return out;
}

class ExamplesTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    InitCrypto();
    profile_ = std::string(AILEDGER_EXAMPLES_DIR) + "/" + GetParam();
    data_ = (fs::path(::testing::TempDir()) /
             ("ailedger-examples-" + std::to_string(getpid()) + GetParam()))
                .string();
    fs::remove_all(data_);
    origin_ = std::string(absl::StripTrailingAsciiWhitespace(
        *ReadSmallFile(profile_ + "/origin")));
  }
  void TearDown() override {
    server_.reset();
    fs::remove_all(data_);
  }

  ProcessResult Load() {
    return RunProcess({"/usr/bin/env",
                       std::string("AILEDGER=") + AILEDGER_CLI_PATH,
                       std::string("AILEDGERD=") + AILEDGERD_PATH, "bash",
                       std::string(AILEDGER_EXAMPLES_DIR) + "/load.sh",
                       profile_, "--data", data_, "--listen", "127.0.0.1:0"});
  }

  void Serve() {
    server_ = std::make_unique<ServerProcess>(std::vector<std::string>{
        AILEDGERD_PATH, "serve", "--data", data_ + "/store", "--log-key",
        data_ + "/keys/log.key", "--listen", "127.0.0.1:0"});
    ASSERT_TRUE(server_->started()) << server_->output();
  }

  std::vector<Example> Rendered() { return LoadRendered(data_ + "/rendered"); }

  SigningKey Key(const std::string& name) {
    return SigningKey::Parse(*ReadSmallFile(data_ + "/keys/" + name + ".key"))
        .value();
  }

  std::unique_ptr<LedgerClient> Client() {
    admin_ = Key("admin");
    LedgerClient::Options o;
    o.target = server_->address();
    o.key = &*admin_;
    return LedgerClient::Connect(o).value();
  }

  std::string profile_, data_, origin_;
  std::optional<SigningKey> admin_;
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(ExamplesTest, LoadsInNameOrderVerifiesAndRoundTrips) {
  ProcessResult load = Load();
  ASSERT_EQ(load.exit_code, 0) << load.out << load.err;
  const std::vector<Example> examples = Rendered();
  ASSERT_GT(examples.size(), 20u);
  EXPECT_NE(load.out.find("VERIFIED " + origin_), std::string::npos)
      << load.out;
  Serve();
  auto client = Client();
  for (const Example& e : examples) {
    const std::string bytes = CanonicalEncoding(e.event);
    v1::GetEntryRequest get;
    get.set_event_id(std::string(AsBytes(EventId(origin_, bytes))));
    auto entry = client->GetEntry(get);
    ASSERT_TRUE(entry.ok()) << e.file << ": " << entry.status();
    EXPECT_EQ(DecodeLeaf(entry->leaf())->event_bytes, bytes) << e.file;
    EXPECT_EQ(DecodeLeaf(entry->leaf())->signer,
              Key(e.key).verifier().public_key())
        << e.file;
    v1::QueryRequest query;
    query.set_event_type(e.event.event_type());
    bool found = false;
    ASSERT_TRUE(client
                    ->Query(query,
                            [&](const v1::Entry& q) {
                              found |= q.index() == entry->index();
                            })
                    .ok());
    EXPECT_TRUE(found) << e.file << " not found by its type";
  }
  // The test clock keeps the story's times (load.sh): every leaf, the
  // genesis and key grants too, is integrated minutes after its event
  // occurred, unless recorded late on purpose (backfill_reason).
  const uint64_t size = client->LogInfo()->size();
  ASSERT_GT(size, examples.size());
  int64_t least = kMaxLagMs, most = 0;
  int backfilled = 0;
  for (uint64_t i = 0; i < size; ++i) {
    v1::GetEntryRequest get;
    get.set_index(i);
    auto entry = client->GetEntry(get);
    ASSERT_TRUE(entry.ok()) << i << ": " << entry.status();
    auto leaf = DecodeLeaf(entry->leaf());
    ASSERT_TRUE(leaf.ok()) << i;
    v1::Event event;
    ASSERT_TRUE(event.ParseFromString(leaf->event_bytes)) << i;
    const int64_t lag =
        static_cast<int64_t>(leaf->integrated_time_ms) - event.occurred_at_ms();
    if (!event.backfill_reason().empty()) {
      ++backfilled;
      EXPECT_GT(lag, kMaxLagMs) << i << " " << event.event_type();
      continue;
    }
    EXPECT_GE(lag, 0) << i << " " << event.event_type();
    EXPECT_LE(lag, kMaxLagMs) << i << " " << event.event_type();
    least = std::min(least, lag);
    most = std::max(most, lag);
  }
  if (GetParam() == std::string("high-risk-provider")) {
    EXPECT_EQ(backfilled, 2);  // release 2.3.1 and its approval
  }
  std::cout << GetParam() << ": integrated " << least << ".." << most
            << " ms after occurred (" << backfilled << " backfilled)\n";
}

TEST_P(ExamplesTest, EachExampleMissingARequiredFieldIsRefusedByName) {
  ProcessResult load = Load();
  ASSERT_EQ(load.exit_code, 0) << load.out << load.err;
  Serve();
  auto client = Client();
  const uint64_t size = client->LogInfo()->size();
  for (const Example& e : Rendered()) {
    const auto required = RequiredFields(e.event.event_type());
    if (required.empty() || absl::StrContains(required[0], ".")) continue;
    v1::Event spoiled = e.event;
    const std::string body = BodyFieldOf(e.event.event_type());
    auto* m = spoiled.GetReflection()->MutableMessage(
        &spoiled, v1::Event::descriptor()->FindFieldByName(body));
    m->GetReflection()->ClearField(
        m, m->GetDescriptor()->FindFieldByName(required[0]));
    spoiled.set_nonce("spoiled");
    auto r = client->Append(
        AppendRequestOf(SignEvent(spoiled, Key(e.key), origin_)));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << e.file;
    EXPECT_TRUE(
        absl::StartsWith(r.status().message(), body + "." + required[0]))
        << e.file << ": " << r.status();
  }
  EXPECT_EQ(client->LogInfo()->size(), size);
}

// The agreement binds both organisations: verified up to just before the
// provider's approval, it is still awaiting approval; in full, it is not.
class AgreementTest : public ExamplesTest {};

TEST_P(AgreementTest, TheAgreementAwaitsTheSecondPartysApproval) {
  ProcessResult load = Load();
  ASSERT_EQ(load.exit_code, 0) << load.out << load.err;
  Serve();
  auto client = Client();
  // The agreement, and the approval of its second party (Aurora's key).
  auto index_of = [&](const std::string& type,
                      const std::string& key) -> uint64_t {
    for (const Example& e : Rendered()) {
      if (e.event.event_type() != type || (!key.empty() && e.key != key))
        continue;
      v1::GetEntryRequest get;
      get.set_event_id(
          std::string(AsBytes(EventId(origin_, CanonicalEncoding(e.event)))));
      return client->GetEntry(get)->index();
    }
    return 0;
  };
  const uint64_t agreement = index_of("AgreementRecorded", "");
  const uint64_t second = index_of("Approval", "aurora");
  ASSERT_GT(second, agreement);
  auto vkey = [&](const std::string& name) {
    return std::string(absl::StripTrailingAsciiWhitespace(
        *ReadSmallFile(data_ + "/keys/" + name + ".key.pub")));
  };
  auto verify = [&](std::vector<std::string> range) {
    std::vector<std::string> args = {AILEDGER_CLI_PATH,
                                     "--server",
                                     server_->address(),
                                     "--key",
                                     data_ + "/keys/admin.key",
                                     "export",
                                     "--out",
                                     data_ + "/part.bundle"};
    args.insert(args.end(), range.begin(), range.end());
    EXPECT_EQ(RunProcess(args).exit_code, 0);
    return RunProcess({AILEDGER_CLI_PATH, "verify", data_ + "/part.bundle",
                       "--vkey", vkey("log"), "--admin-vkey", vkey("admin")});
  };
  const std::string pending = "awaiting approval: index " +
                              std::to_string(agreement) +
                              " (AgreementRecorded)";
  auto before = verify({"--from", "0", "--to", std::to_string(second)});
  EXPECT_EQ(before.exit_code, 0) << before.err;
  EXPECT_NE(before.out.find(pending), std::string::npos) << before.out;
  auto full = verify({});
  EXPECT_EQ(full.exit_code, 0) << full.err;
  EXPECT_EQ(full.out.find(pending), std::string::npos) << full.out;
}

INSTANTIATE_TEST_SUITE_P(SmallDeployer, AgreementTest,
                         ::testing::Values("small-deployer"));

INSTANTIATE_TEST_SUITE_P(Profiles, ExamplesTest,
                         ::testing::Values("high-risk-provider",
                                           "small-deployer"));

// Read from the templates themselves (their placeholders are not yet valid
// base64, so only the type is read).
TEST(ExamplesCoverage, TheProfilesUseEveryEventType) {
  std::set<std::string> used;
  for (const char* p : {"high-risk-provider", "small-deployer"}) {
    for (const auto& f :
         fs::directory_iterator(std::string(AILEDGER_EXAMPLES_DIR) + "/" + p)) {
      if (f.path().extension() != ".json") continue;
      const std::string text = *ReadSmallFile(f.path().string());
      const std::string tag = "\"event_type\": \"";
      const size_t at = text.find(tag);
      ASSERT_NE(at, std::string::npos) << f.path();
      const size_t from = at + tag.size();
      used.insert(text.substr(from, text.find('"', from) - from));
    }
  }
  // Made by commands, not JSON: genesis, key grant/revoke, erase; and the
  // admin's RulesVersionAdopted, pushed from `ailedger template`.
  const std::set<std::string> by_command = {
      "Genesis",       "KeyGranted", "KeyRevoked",
      "LogKeyRotated", "Erasure",    "RulesVersionAdopted"};
  for (absl::string_view type : EventTypes()) {
    if (by_command.count(std::string(type))) continue;
    EXPECT_TRUE(used.count(std::string(type))) << type << " has no example";
  }
}

// `ailedger template TYPE` prints an event with every required field, for
// writing one by hand: each passes field validation.
TEST(TemplateTest, EveryTypeHasATemplateThatValidates) {
  int checked = 0;
  for (absl::string_view type : EventTypes()) {
    if (type == "Genesis" || type == "KeyGranted" || type == "KeyRevoked" ||
        type == "LogKeyRotated" || type == "Approval" || type == "Retraction" ||
        type == "Erasure")
      continue;
    auto r = RunProcess({AILEDGER_CLI_PATH, "template", std::string(type),
                         "--organisation", "Acme AI"});
    ASSERT_EQ(r.exit_code, 0) << type << r.err;
    v1::Event e;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &e).ok())
        << r.out;
    EXPECT_EQ(e.event_type(), type);
    EXPECT_TRUE(ValidateFields(e).ok()) << type << ": " << ValidateFields(e);
    ++checked;
  }
  EXPECT_EQ(checked, 65);  // 52 of vocabulary v1 and 13 of v2
  EXPECT_EQ(RunProcess({AILEDGER_CLI_PATH, "template", "Nope"}).exit_code, 2);
}

}  // namespace
}  // namespace ailedger::testing
