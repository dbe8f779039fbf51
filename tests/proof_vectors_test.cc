// Every transparency-dev/merkle inclusion and consistency probe (tests/data/
// transparency-dev-merkle/testdata/{inclusion,consistency}): happy paths
// verify, and every mutated proof fails exactly when the probe says it should
// (`wantErr`).
//
// The subtree* probes follow draft-ietf-plants-merkle-tree-certs, not RFC 9162,
// and are not run.
#include <optional>

#include "gtest/gtest.h"
#include "ledger/base/base64.h"
#include "ledger/merkle/verify.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using nlohmann::json;

// Decodes a base64 field into a 32-byte hash; nullopt when it is not one (an
// expected error).
std::optional<Hash> HashField(const json& v) {
  if (!v.is_string()) return std::nullopt;
  auto raw = Base64Decode(v.get<std::string>(), "probe");
  if (!raw.ok()) return std::nullopt;
  auto h = HashFromBytes(*raw, "probe");
  if (!h.ok()) return std::nullopt;
  return *h;
}

// The proof's elements as hashes; INVALID_ARGUMENT if any is not 32 bytes.
absl::StatusOr<std::vector<Hash>> ProofField(const json& v) {
  std::vector<std::string> raw;
  if (v.is_array()) {
    for (const auto& e : v) {
      auto r = Base64Decode(e.get<std::string>(), "probe proof");
      if (!r.ok()) return r.status();
      raw.push_back(*r);
    }
  }
  return HashesFromBytes(raw, "proof");
}

// A probe's two hash fields, `a` and `b`, and its proof.
struct ProbeFields {
  Hash a, b;
  std::vector<Hash> proof;
};
absl::StatusOr<ProbeFields> FieldsOf(const json& p, const char* a,
                                     const char* b) {
  auto ha = HashField(p[a]), hb = HashField(p[b]);
  if (!ha || !hb) return absl::InvalidArgumentError("hash not 32 bytes");
  auto proof = ProofField(p["proof"]);
  if (!proof.ok()) return proof.status();
  return ProbeFields{*ha, *hb, *std::move(proof)};
}

absl::Status CheckInclusion(const json& p) {
  auto f = FieldsOf(p, "root", "leafHash");
  if (!f.ok()) return f.status();
  return VerifyInclusion(p["leafIdx"], p["treeSize"], f->b, f->proof, f->a);
}

absl::Status CheckConsistency(const json& p) {
  auto f = FieldsOf(p, "root1", "root2");
  if (!f.ok()) return f.status();
  return VerifyConsistency(p["size1"], p["size2"], f->proof, f->a, f->b);
}

class ProbeTest : public ::testing::TestWithParam<std::string> {};

// Where ailedger is deliberately stricter than transparency-dev/merkle. Its
// verifier accepts equal sizes with an empty proof by comparing the roots as
// opaque bytes; this probe's roots are 12 bytes ("don't care 2"), and here
// every hash must be exactly 32 bytes (RFC 9162 §2.1, and the foundation
// issue), so the probe must fail.
bool StricterHere(const std::string& probe) {
  return probe.ends_with(
      "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json");
}

TEST_P(ProbeTest, VerifiesExactlyWhenExpected) {
  InitCrypto();
  json probe = testing::ReadJson(GetParam());
  const bool inclusion = GetParam().find("/inclusion/") != std::string::npos;
  absl::Status s = inclusion ? CheckInclusion(probe) : CheckConsistency(probe);
  const bool want_error =
      probe["wantErr"].get<bool>() || StricterHere(GetParam());
  EXPECT_EQ(!s.ok(), want_error) << probe["desc"] << ": " << s;
}

std::vector<std::string> Probes() {
  std::vector<std::string> out;
  for (const char* dir : {"transparency-dev-merkle/testdata/inclusion",
                          "transparency-dev-merkle/testdata/consistency"}) {
    for (auto& f : testing::ListDataFiles(dir)) out.push_back(f);
  }
  return out;
}

std::string ProbeName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param.substr(info.param.find("testdata/") + 9);
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(TransparencyDev, ProbeTest,
                         ::testing::ValuesIn(Probes()), ProbeName);

TEST(ProbeCount, AllProbesAreRun) {
  EXPECT_EQ(Probes().size(), 196u);  // as counted in tests/data/README.md
}

}  // namespace
}  // namespace ailedger
