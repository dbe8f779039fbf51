// `ailedgerd serve`'s options from the command line and --config FILE
// (server/serve_flags.h): every error names the flag, or the file, line and
// key; the command line overrides the file.
#include "server/serve_flags.h"

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cmdline/usage_error.h"
#include "gtest/gtest.h"
#include "ledger/base/file_util.h"
#include "server/metrics.h"
#include "server/serve_store.h"
#include "tests/testing/temp_dir.h"

namespace ailedger {
namespace {

using ::ailedger::testing::TempDirTest;

// A cosigner key, as `ailedger keygen --cosigner` prints it.
constexpr char kWitnessVkey[] =
    "witness.example/w1+78d835a3+BDtk+DNP0rseMLjYVupJR5yLzcLhP5sAcYl9LXXrcfD1";

class ServeFlagsTest : public TempDirTest {
 protected:
  void SetUp() override {
    TempDirTest::SetUp();
    std::filesystem::create_directories(dir_);
  }

  // The serve command read from `argv` (words after "serve"), with `config`
  // written to a file and given as --config when not empty.
  absl::StatusOr<ServeCommand> Read(std::vector<std::string> argv,
                                    const std::string& config = "") {
    if (!config.empty()) {
      EXPECT_TRUE(WriteFileDurably(File(), config).ok());
      argv.push_back("--config");
      argv.push_back(File());
    }
    auto split = [](const char* list) {
      std::set<std::string> out;
      for (absl::string_view w : absl::StrSplit(list, ' '))
        out.emplace(std::string(w));
      return out;
    };
    auto args = CliArgs::Parse(argv, split(kServeFlags), split(kServeSwitches));
    if (!args.ok()) return args.status();
    return ReadServeCommand(*args);
  }
  std::string File() const { return dir_ + "/ailedgerd.conf"; }

  // `r` is a usage error whose message is `message`.
  static void ExpectUsageError(const absl::StatusOr<ServeCommand>& r,
                               const std::string& message) {
    ASSERT_FALSE(r.ok());
    EXPECT_TRUE(IsUsageError(r.status())) << r.status();
    EXPECT_EQ(r.status().message(), message);
  }
};

TEST_F(ServeFlagsTest, ReadsEveryKindOfKeyFromTheFile) {
  auto c = Read({}, absl::StrCat(R"(# a comment
data = /var/lib/ailedger/data
log-key=/etc/ailedger/log.key

  # an indented comment
listen = 127.0.0.1:7000
public-read = true
max-page = 500
witness = http://127.0.0.1:7421=)",
                                 kWitnessVkey, R"(
witness = http://127.0.0.1:7422=)",
                                 kWitnessVkey, R"(
metrics-addr = 127.0.0.1:9464
log-format = json
)"));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->options.data_dir, "/var/lib/ailedger/data");
  EXPECT_EQ(c->options.log_key_file, "/etc/ailedger/log.key");
  EXPECT_EQ(c->options.listen, "127.0.0.1:7000");
  EXPECT_TRUE(c->options.service.public_read);
  EXPECT_EQ(c->options.max_page, 500u);
  EXPECT_EQ(c->options.witnesses.size(), 2u);
  EXPECT_EQ(c->options.metrics_addr, "127.0.0.1:9464");
  EXPECT_EQ(c->log_format, LogFormat::kJson);
  EXPECT_FALSE(c->check_only);
}

TEST_F(ServeFlagsTest, TheCommandLineOverridesTheFile) {
  const std::string config = absl::StrCat(
      "data = /a\nlog-key = /k\nmax-page = 500\npublic-read = true\n"
      "witness = http://127.0.0.1:7421=",
      kWitnessVkey, "\n");
  auto c =
      Read({"--max-page", "7", "--public-read=false", "--data", "/b",
            "--witness", absl::StrCat("http://127.0.0.1:9999=", kWitnessVkey)},
           config);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->options.data_dir, "/b");
  EXPECT_EQ(c->options.log_key_file, "/k");
  EXPECT_EQ(c->options.max_page, 7u);
  EXPECT_FALSE(c->options.service.public_read);
  ASSERT_EQ(c->options.witnesses.size(), 1u);
  EXPECT_EQ(c->options.witnesses[0].rfind("http://127.0.0.1:9999=", 0), 0u);
}

TEST_F(ServeFlagsTest, RefusesWhatTheFileCannotMean) {
  const std::string base = "data = /a\nlog-key = /k\n";
  ExpectUsageError(Read({}, base + "bogus = 1\n"),
                   File() +
                       ":3: unknown key 'bogus' (the keys are serve's flags "
                       "without --, but config and check-config)");
  ExpectUsageError(Read({}, base + "config = /other\n"),
                   File() +
                       ":3: unknown key 'config' (the keys are serve's flags "
                       "without --, but config and check-config)");
  ExpectUsageError(Read({}, base + "\nmax-page = 5\nmax-page = 6\n"),
                   File() + ":5: max-page: already set on line 4");
  ExpectUsageError(Read({}, base + "max-page 5\n"),
                   File() + ":3: not `key = value`: 'max-page 5'");
  ExpectUsageError(Read({}, base + "max-page =\n"),
                   File() + ":3: max-page: needs a value");
  ExpectUsageError(Read({}, base + "= 5\n"),
                   File() + ":3: a line starts with '=' (no key)");
}

TEST_F(ServeFlagsTest, RefusesBadValuesNamingFileLineAndKey) {
  const std::string base = "data = /a\nlog-key = /k\n";
  ExpectUsageError(Read({}, base + "max-page = abc\n"),
                   File() + ":3: max-page: 'abc' is not a whole number");
  ExpectUsageError(Read({}, base + "max-streams = 0\n"),
                   File() + ":3: max-streams: 0 is out of range (1..100000)");
  ExpectUsageError(Read({}, base + "public-read = yes\n"),
                   File() + ":3: public-read: 'yes' is not true or false");
  ExpectUsageError(Read({}, base + "log-format = xml\n"),
                   File() + ":3: log-format: 'xml' is not text or json");
  ExpectUsageError(Read({}, base + "witness = http://w\n"),
                   File() + ":3: witness: URL=VKEY");
  ExpectUsageError(
      Read({}, base + "metrics-addr = 0.0.0.0:9464\n"),
      File() +
          ":3: metrics-addr: 0.0.0.0 is not a loopback address, and the "
          "metrics page has no authentication; --metrics-allow-remote serves "
          "it there anyway");
}

TEST_F(ServeFlagsTest, CommandLineErrorsNameTheFlagAsBefore) {
  ExpectUsageError(Read({"--data", "/a", "--log-key", "/k", "--max-page", "0"}),
                   "--max-page: 0 is out of range (1..1000000)");
  ExpectUsageError(Read({"--log-key", "/k"}),
                   "give exactly one of --data DIR (RocksDB, the default) and "
                   "--store CONNINFO (PostgreSQL)");
  ExpectUsageError(Read({"--read-only", "--data", "/d"}),
                   "--read-only serves a PostgreSQL replica: give --store");
  auto replica = Read({"--read-only", "--store", "host=db2 dbname=ailedger"});
  ASSERT_TRUE(replica.ok()) << replica.status();  // no --log-key needed
  EXPECT_TRUE(replica->options.read_only);
  auto ttl = Read({"--store", "postgres://db/x", "--log-key", "/k",
                   "--lease-ttl-ms", "100"});
  ASSERT_FALSE(ttl.ok());
  EXPECT_NE(ttl.status().message().find("lease-ttl-ms"), std::string::npos);
  ExpectUsageError(Read({"--data", "/a", "--log-key", "/k", "--tls-cert", "c"}),
                   "--tls-cert and --tls-key go together");
  ExpectUsageError(
      Read({"--data", "/a", "--log-key", "/k", "--log-format", "xml"}),
      "--log-format: 'xml' is not text or json");
  auto missing = Read({"--config", dir_ + "/absent.conf"});
  ASSERT_FALSE(missing.ok());
  EXPECT_TRUE(IsUsageError(missing.status())) << missing.status();
}

TEST_F(ServeFlagsTest, CheckConfigAndRemoteMetricsAreSwitches) {
  auto c = Read({"--data", "/a", "--log-key", "/k", "--check-config",
                 "--metrics-addr", "0.0.0.0:9464", "--metrics-allow-remote"});
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->check_only);
  EXPECT_TRUE(c->options.metrics_allow_remote);
}

TEST(MetricsAddressTest, LoopbackOnlyUnlessAllowed) {
  for (const char* ok : {"127.0.0.1:9464", "127.1.2.3:0", "[::1]:9464"}) {
    EXPECT_TRUE(CheckMetricsAddress(ok, false).ok()) << ok;
  }
  for (const char* remote : {"0.0.0.0:9464", "10.0.0.1:1", "[::]:9464"}) {
    EXPECT_FALSE(CheckMetricsAddress(remote, false).ok()) << remote;
    EXPECT_TRUE(CheckMetricsAddress(remote, true).ok()) << remote;
  }
  for (const char* bad : {"localhost:9464", "127.0.0.1", "127.0.0.1:99999",
                          "::1:9464", "127.0.0.1:x"}) {
    EXPECT_FALSE(CheckMetricsAddress(bad, true).ok()) << bad;
  }
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST(StoreLocationTest, ConnectionStringsAreToldFromDirectoriesAndRedacted) {
  EXPECT_TRUE(IsPostgresConninfo("postgres://db1,db2/x"));
  EXPECT_TRUE(IsPostgresConninfo("postgresql://u@db/x"));
  EXPECT_TRUE(IsPostgresConninfo("host=db1 dbname=ailedger"));
  EXPECT_TRUE(IsPostgresConninfo("service=ledger"));
  EXPECT_FALSE(IsPostgresConninfo("/var/lib/ailedger/data"));
  EXPECT_FALSE(IsPostgresConninfo("./a=b"));  // a directory with '=' in it
  EXPECT_EQ(DescribeStoreLocation("host=db password=s3cret dbname=x"),
            "host=db password=*** dbname=x");
  EXPECT_EQ(DescribeStoreLocation("postgres://ailedger:s3cret@db/x"),
            "postgres://ailedger:***@db/x");
  EXPECT_EQ(DescribeStoreLocation("/data"), "/data");
  EXPECT_FALSE(ReadStoreLocation("", "").ok());
  EXPECT_FALSE(ReadStoreLocation("/d", "host=db").ok());
  EXPECT_FALSE(ReadStoreLocation("", "/not/a/conninfo").ok());
  EXPECT_TRUE(ReadStoreLocation("", "host=db")->postgres());
  EXPECT_FALSE(ReadStoreLocation("/d", "")->postgres());
}

}  // namespace
}  // namespace ailedger
