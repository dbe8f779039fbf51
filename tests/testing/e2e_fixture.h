// A real log for end-to-end tests: keys made with `ailedger keygen`, a genesis
// made with `ailedger genesis`, a store made with `ailedgerd init`, and
// `ailedgerd serve` on a free loopback port. A publisher key is granted through
// `ailedger key request` / `key grant`.
#ifndef AILEDGER_TESTS_TESTING_E2E_FIXTURE_H_
#define AILEDGER_TESTS_TESTING_E2E_FIXTURE_H_

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/ledger_client.h"
#include "gtest/gtest.h"
#include "ledger/tlog/checkpoint.h"
#include "ledger/tlog/keys.h"
#include "tests/testing/process.h"

namespace ailedger::testing {

inline constexpr char kE2eOrigin[] = "e2e.ailedger.example/log";

// An event of `type` in `organisation`'s name about system `system`, its time
// and nonce from `n`; types that require a body get a valid one.
v1::Event MakeEvent(const std::string& type, const std::string& organisation,
                    const std::string& system, int64_t n);

class E2eTest : public ::testing::Test {
 protected:
  // The role table version the fixture's genesis names. Version 2 by default:
  // these suites test the service, the client and the rules of versions 1
  // and 2, which logs written before vocabulary v2 keep; the rules of version
  // 3 (vocabulary v2) have their own suites, which return 3.
  virtual uint32_t RulesVersion() const { return 2; }
  // Where the log's store is: `--data DIR` (RocksDB) by default; a suite on
  // PostgreSQL returns `--store CONNINFO`.
  virtual std::vector<std::string> StoreFlags() const {
    return {"--data", Path("data")};
  }
  void SetUp() override;
  void TearDown() override;

  // Runs the CLI against the server.
  ProcessResult Cli(std::vector<std::string> args,
                    const std::string& stdin_data = "");
  ProcessResult Daemon(std::vector<std::string> args);
  // Starts (or restarts) ailedgerd serve on the data dir with extra flags.
  void StartServer(std::vector<std::string> extra = {});
  // Path of a file in the test's directory.
  std::string Path(const std::string& name) const { return dir_ + "/" + name; }
  SigningKey LoadKey(const std::string& name) const;
  // The verifier key `ailedger keygen` wrote for `name` (NAME.key.pub), as the
  // text a flag takes.
  std::string Vkey(const std::string& name) const;
  // A client library connection signing reads with `key` (may be null).
  std::unique_ptr<LedgerClient> Client(const SigningKey* key);
  // An event of `type` about system `system`, signed by `key`, ready to append.
  v1::AppendRequest Signed(const SigningKey& key, const std::string& type,
                           const std::string& system = "credit-scoring",
                           int64_t n = 0);
  // Grants `name`'s key (made now if missing) with the given role through the
  // CLI; `extra` flags go to both the request and the grant.
  void Grant(const std::string& name, const std::string& role,
             const std::string& kind = "person",
             const std::vector<std::string>& extra = {});
  // `ailedger key request` of `name`'s key (NAME.key) to NAME.request with
  // `flags`.
  ProcessResult KeyRequest(const std::string& name,
                           const std::vector<std::string>& flags);
  // `ailedger key grant` of NAME.request by the admin with `flags`.
  ProcessResult KeyGrant(const std::string& name,
                         const std::vector<std::string>& flags);
  // `ailedger keygen` of a key named `name` into FILE.key (a cosigner key if
  // `cosigner`); the exit code.
  int Keygen(const std::string& file, const std::string& name,
             bool cosigner = false);
  // `ailedger witness serve` with the cosigner key FILE.key, cosigning this
  // log, its state in witness-state, on a free loopback port. The caller
  // checks started().
  std::unique_ptr<ServerProcess> StartWitness(const std::string& file = "w");
  // Appends an example event of `type` (FillExampleBody) of "Acme AI" about
  // system "credit" and incident "INC-1", occurred at `t_ms`, edited by
  // `edit`, signed by the publisher; its event id (bytes). Fails the test if
  // refused.
  std::string PushExample(
      const std::string& type, int64_t t_ms = 1700000000000,
      const std::function<void(v1::Event*)>& edit = nullptr);
  uint64_t Size();
  // `r` exited with `code` and its stderr holds `fragment`.
  static void ExpectExit(const ProcessResult& r, int code,
                         const std::string& fragment);
  // Stops ailedgerd and copies its store to old/: an operator's backup.
  void StopAndBackUpStore();
  // Stops ailedgerd, puts old/ back as its store and removes the log key's
  // high-water mark: an operator restoring the backup and defeating the mark.
  void StopAndRestoreBackup();
  // Appends RiskAssessed events about system "s" by the publisher, numbered
  // `first` to `first + n - 1`.
  void AppendEvents(int first, int n);
  // `ailedger export` of the whole log by the admin to NAME, with `extra`
  // flags.
  void ExportBundle(const std::string& name,
                    const std::vector<std::string>& extra = {});
  // Asks `ailedger checkpoint --cosigned` every 100 ms, up to `within`, until
  // it serves a checkpoint of `size` signed by the log key (and opened with
  // `cosigners`); that checkpoint, or why the last one was not it.
  absl::StatusOr<VerifiedCheckpoint> WaitForCosigned(
      uint64_t size, const std::vector<VerifierKey>& cosigners = {},
      std::chrono::seconds within = std::chrono::seconds(10));
  // `ailedger push --seal` of a StakeholderFeedbackReceived by the publisher
  // whose complainant, `secret`, is sealed (from person.txt); its event id in
  // hex in `*hex_id`. The server must have a sealed store.
  void PushSealedFeedback(const std::string& secret, std::string* hex_id);
  // Appends `req` and expects `code` with `fragment` in the message, and the
  // size unchanged.
  void ExpectRefused(const v1::AppendRequest& req, absl::StatusCode code,
                     const std::string& fragment);

  std::string dir_;
  std::unique_ptr<ServerProcess> server_;
};

// The same log where the admin grants keys to people of several
// organisations directly (a KeyGranted it signs), and events are signed with
// those keys by name.
class OrganisationsE2eTest : public E2eTest {
 protected:
  // Grants a fresh person key `name` of `organisation` with `role` ("auditor"
  // or a publisher) and `function` (if any). Returns the append's status.
  absl::Status GrantIn(const std::string& name, const std::string& organisation,
                       const std::string& role, const std::string& function,
                       const std::string& display_name = "");
  const SigningKey& Key(const std::string& name) { return keys_.at(name); }
  static v1::Event Make(const std::string& type,
                        const std::string& organisation,
                        const std::string& system, int n) {
    return MakeEvent(type, organisation, system, n);
  }
  v1::AppendRequest Sign(const v1::Event& e, const std::string& signer);
  // An approval by `signer` of `event_id` in `organisation`'s name.
  v1::AppendRequest Approval(const std::string& signer,
                             const std::string& organisation,
                             const std::string& event_id);

  std::map<std::string, SigningKey> keys_;
};

// The same log and a witness: the cosigner key `w` (witness.example/w1) and
// `ailedger witness serve` with it in `witness_`, not yet known to ailedgerd.
class WitnessedE2eTest : public E2eTest {
 protected:
  void SetUp() override;

  std::unique_ptr<ServerProcess> witness_;
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_E2E_FIXTURE_H_
