// A real log for end-to-end tests: keys made with `ailedger keygen`, a genesis
// made with `ailedger genesis`, a store made with `ailedgerd init`, and
// `ailedgerd serve` on a free loopback port. A publisher key is granted through
// `ailedger key request` / `key grant`.
#ifndef AILEDGER_TESTS_TESTING_E2E_FIXTURE_H_
#define AILEDGER_TESTS_TESTING_E2E_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "client/ledger_client.h"
#include "gtest/gtest.h"
#include "ledger/tlog/keys.h"
#include "tests/testing/process.h"

namespace ailedger::testing {

inline constexpr char kE2eOrigin[] = "e2e.ailedger.example/log";

class E2eTest : public ::testing::Test {
 protected:
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
  uint64_t Size();
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

// The same log and a witness: the cosigner key `w` (witness.example/w1) and
// `ailedger witness serve` with it in `witness_`, not yet known to ailedgerd.
class WitnessedE2eTest : public E2eTest {
 protected:
  void SetUp() override;

  std::unique_ptr<ServerProcess> witness_;
};

}  // namespace ailedger::testing

#endif  // AILEDGER_TESTS_TESTING_E2E_FIXTURE_H_
