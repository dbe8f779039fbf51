// The leaf codec, the signing contexts (hand-made vectors), the event id, the
// canonical-event check and the chain check.
#include "ledger/tlog/leaf.h"

#include "gtest/gtest.h"
#include "ledger/governance/canonical.h"
#include "ledger/tlog/chain.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

Leaf SampleLeaf(uint64_t index, size_t event_size) {
  Leaf leaf;
  leaf.index = index;
  leaf.integrated_time_ms = 1700000000123;
  leaf.prev_leaf_hash = HashLeaf("prev");
  for (int i = 0; i < 32; ++i) leaf.signer[i] = static_cast<uint8_t>(i);
  for (int i = 0; i < 64; ++i)
    leaf.signature[i] = static_cast<uint8_t>(0xA0 + i);
  leaf.event_bytes = std::string(event_size, 'e');
  return leaf;
}

TEST(LeafCodecTest, FixedLayout) {
  InitCrypto();
  Leaf leaf = SampleLeaf(0x0102030405060708, 3);
  std::string b = EncodeLeaf(leaf).value();
  ASSERT_EQ(b.size(), kLeafHeaderSize + 3);
  EXPECT_EQ(ToHex(b.substr(0, 17)),
            "01"                  // version
            "0102030405060708"    // index
            "0000018bcfe5687b");  // 1700000000123 ms
  EXPECT_EQ(b.substr(17, 32), AsBytes(leaf.prev_leaf_hash));
  EXPECT_EQ(b.substr(49, 32), AsBytes(leaf.signer));
  EXPECT_EQ(static_cast<uint8_t>(b[81]), 0xA0);
  EXPECT_EQ(ToHex(b.substr(145, 2)), "0003");
  EXPECT_EQ(b.substr(147), "eee");
}

TEST(LeafCodecTest, RoundTrips) {
  InitCrypto();
  for (size_t n : {size_t{0}, size_t{1}, size_t{1000}, kMaxEventSize}) {
    Leaf leaf = SampleLeaf(n, n);
    auto decoded = DecodeLeaf(EncodeLeaf(leaf).value());
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, leaf);
  }
  EXPECT_EQ(EncodeLeaf(SampleLeaf(0, kMaxEventSize)).value().size(),
            kMaxLeafSize);
}

TEST(LeafCodecTest, EveryTruncationIsRejected) {
  InitCrypto();
  std::string b = EncodeLeaf(SampleLeaf(7, 20)).value();
  for (size_t len = 0; len < b.size(); ++len) {
    EXPECT_EQ(DecodeLeaf(b.substr(0, len)).status().code(),
              absl::StatusCode::kInvalidArgument)
        << len;
  }
}

TEST(LeafCodecTest, OverLengthWrongVersionAndTrailingBytesAreRejected) {
  InitCrypto();
  EXPECT_EQ(EncodeLeaf(SampleLeaf(0, kMaxEventSize + 1)).status().code(),
            absl::StatusCode::kInvalidArgument);
  std::string b = EncodeLeaf(SampleLeaf(7, 20)).value();
  EXPECT_FALSE(DecodeLeaf(b + "x").ok());  // length field no longer matches
  std::string big(kMaxLeafSize + 1, '\0');
  big[0] = 1;
  EXPECT_FALSE(DecodeLeaf(big).ok());
  for (int v : {0, 2, 255}) {
    std::string wrong = b;
    wrong[0] = static_cast<char>(v);
    EXPECT_FALSE(DecodeLeaf(wrong).ok()) << v;
  }
}

// The wire names client and server share: a change here breaks every
// deployed client, so the spelling is pinned.
TEST(ContextsTest, CallWireNames) {
  EXPECT_STREQ(kLedgerService, "/ailedger.v1.Ledger/");
  EXPECT_STREQ(kCallMetadataKey, "ailedger-key");
  EXPECT_STREQ(kCallMetadataTime, "ailedger-time-ms");
  EXPECT_STREQ(kCallMetadataNonce, "ailedger-nonce");
  EXPECT_STREQ(kCallMetadataSignature, "ailedger-signature");
}

// Hand-made vectors: the exact bytes written out, and digests computed
// independently (Python hashlib).
TEST(ContextsTest, ExactMessages) {
  InitCrypto();
  const std::string origin = "example.com/ailedger-test";
  EXPECT_EQ(EventSigningMessage(origin, std::string("\x0a\x01X", 3)),
            std::string(
                "ailedger/event/v1\nexample.com/ailedger-test\n\x0a\x01X", 47));
  std::string nonce(16, '\x07');
  EXPECT_EQ(CallSigningMessage(origin, "/ailedger.v1.Ledger/GetEntry",
                               1700000000123, nonce)
                .value(),
            "ailedger/call/v1\nexample.com/ailedger-test\n/ailedger.v1.Ledger/"
            "GetEntry\n"
            "1700000000123\n" +
                nonce);
  EXPECT_FALSE(CallSigningMessage(origin, "m", 1, "short").ok());
  EXPECT_FALSE(CallSigningMessage(origin, "a\nb", 1, nonce).ok());
  PublicKey pk;
  for (int i = 0; i < 32; ++i) pk[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(KeyPossessionMessage(origin, pk),
            "ailedger/key-possession/v1\nexample.com/ailedger-test\n" +
                std::string(AsBytes(pk)));
}

TEST(ContextsTest, EventIdAndSealCommitmentVectors) {
  InitCrypto();
  const std::string event = FromHex("0a0747656e65736973").value();
  EXPECT_EQ(ToHex(EventId("example.com/ailedger-test", event)),
            "95ea980529f7c3f2945b474537908b676669280aae47f165b5410dec70adca29");
  EXPECT_NE(EventId("example.com/other", event),
            EventId("example.com/ailedger-test", event));
  std::string salt;
  for (int i = 0; i < 32; ++i) salt.push_back(static_cast<char>(i));
  EXPECT_EQ(ToHex(SealCommitment(salt, "jane@example.com").value()),
            "95139daf8b99619214cb96974b4140c367abc9e3c632644d6feef533d473ec9c");
  EXPECT_FALSE(SealCommitment("short", "x").ok());
}

TEST(CanonicalTest, AcceptsDeterministicEncodingOnly) {
  v1::Event e;
  e.set_event_type("KeyGranted");
  e.set_schema_version(1);
  e.add_framework_refs("iso42001:A.6.2.8");
  e.mutable_key_granted()->add_roles(v1::ROLE_PUBLISHER);
  const std::string good = CanonicalEncoding(e);
  auto parsed = ParseCanonicalEvent(good);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->event_type(), "KeyGranted");

  // Unknown field 99 (varint 1) appended.
  auto unknown = ParseCanonicalEvent(good + "\x98\x06\x01");
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("unknown field"),
            absl::string_view::npos);
  // Unknown field nested inside key_granted.
  v1::Event nested = e;
  nested.mutable_key_granted()
      ->GetReflection()
      ->MutableUnknownFields(nested.mutable_key_granted())
      ->AddVarint(77, 1);
  auto nested_status = ParseCanonicalEvent(CanonicalEncoding(nested)).status();
  EXPECT_NE(nested_status.message().find("key_granted"),
            absl::string_view::npos);
  // Unknown enum value.
  v1::Event bad_enum = e;
  bad_enum.mutable_key_granted()->set_roles(0, static_cast<v1::Role>(42));
  auto enum_status = ParseCanonicalEvent(CanonicalEncoding(bad_enum)).status();
  EXPECT_NE(enum_status.message().find("roles"), absl::string_view::npos);
  // The same field twice (valid protobuf, but not the canonical encoding).
  std::string dup = good + std::string("\x10\x01", 2);  // schema_version again
  EXPECT_FALSE(ParseCanonicalEvent(dup).ok());
  EXPECT_FALSE(ParseCanonicalEvent("\xff\xff").ok());
}

std::vector<std::string> MakeChain(int n) {
  std::vector<std::string> leaves;
  Hash prev{};
  for (int i = 0; i < n; ++i) {
    Leaf leaf = SampleLeaf(i, 5);
    leaf.prev_leaf_hash = prev;
    leaf.integrated_time_ms = 1000 + i / 2;
    leaves.push_back(EncodeLeaf(leaf).value());
    prev = HashLeaf(leaves.back());
  }
  return leaves;
}

TEST(ChainTest, AcceptsAGoodChainAndNamesTheFirstBreak) {
  InitCrypto();
  auto leaves = MakeChain(6);
  ChainState state;
  ASSERT_TRUE(CheckChain(leaves, &state).ok());
  EXPECT_EQ(state.next_index, 6u);
  EXPECT_EQ(state.last_leaf_hash, HashLeaf(leaves[5]));

  auto broken = [&](std::vector<std::string> l) {
    ChainState s;
    return CheckChain(l, &s);
  };
  auto swapped = leaves;
  std::swap(swapped[2], swapped[3]);
  EXPECT_NE(broken(swapped).message().find("leaf 2: index"),
            absl::string_view::npos);
  auto dropped = leaves;
  dropped.erase(dropped.begin() + 4);
  EXPECT_NE(broken(dropped).message().find("leaf 4"), absl::string_view::npos);
  auto flipped = leaves;
  flipped[1][150] ^= 1;  // an event byte: the next leaf's link breaks
  EXPECT_NE(broken(flipped).message().find("leaf 2: prev_leaf_hash"),
            absl::string_view::npos);
  // Time going backwards.
  Leaf back = DecodeLeaf(leaves[3]).value();
  back.integrated_time_ms = 999;
  auto rewound = leaves;
  rewound[3] = EncodeLeaf(back).value();
  EXPECT_NE(broken(rewound).message().find("leaf 3: integrated_time_ms"),
            absl::string_view::npos);
}

}  // namespace
}  // namespace ailedger
