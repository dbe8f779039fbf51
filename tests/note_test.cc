// C2SP signed-note, tlog-checkpoint and tlog-cosignature against the vectors in
// tests/data/signed-note/ (golang/mod, C2SP) and hand-made cases.
#include "ledger/tlog/note.h"

#include "gtest/gtest.h"
#include "ledger/base/base64.h"
#include "ledger/tlog/checkpoint.h"
#include "tests/testing/test_data.h"

namespace ailedger {
namespace {

using nlohmann::json;

class NoteVectorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    InitCrypto();
    vectors_ = testing::ReadJson("signed-note/signed-note-vectors.json");
  }
  const json& Vector(const std::string& id) {
    for (const auto& v : vectors_["vectors"]) {
      if (v["id"] == id) return v;
    }
    ADD_FAILURE() << "no vector " << id;
    return vectors_;
  }
  VerifierKey Vkey(const std::string& id) {
    return VerifierKey::Parse(Vector(id)["verifier_key"].get<std::string>())
        .value();
  }
  json vectors_;
};

TEST_F(NoteVectorTest, KeyIdsRecompute) {
  for (const auto& v : vectors_["vectors"]) {
    auto key = VerifierKey::Parse(v["verifier_key"].get<std::string>());
    ASSERT_TRUE(key.ok()) << key.status();
    if (v.contains("key_id_hex")) {
      char hex[9];
      snprintf(hex, sizeof(hex), "%08x", key->key_id());
      EXPECT_EQ(hex, v["key_id_hex"].get<std::string>());
    }
    EXPECT_EQ(key->ToString(), v["verifier_key"]);
  }
}

TEST_F(NoteVectorTest, SigningReproducesThePublishedSignature) {
  const json& v = Vector("go-note-peterneumann");
  auto key = SigningKey::Parse(v["signer_key"].get<std::string>());
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->verifier().ToString(), v["verifier_key"]);
  EXPECT_EQ(key->ToString(), v["signer_key"]);
  const SigningKey* keys[] = {&*key};
  EXPECT_EQ(SignNote(v["note_text"].get<std::string>(), keys).value(),
            v["signed_note"]);
}

TEST_F(NoteVectorTest, PublishedNotesVerify) {
  for (const char* id : {"go-note-peterneumann", "c2sp-signed-note-example"}) {
    VerifierKey k = Vkey(id);
    auto opened = OpenNote(Vector(id)["signed_note"].get<std::string>(), {k});
    ASSERT_TRUE(opened.ok()) << id << ": " << opened.status();
    EXPECT_EQ(opened->text, Vector(id)["note_text"]);
    ASSERT_EQ(opened->verified.size(), 1u);
  }
  EXPECT_EQ(testing::ReadDataFile("signed-note/go-note-peterneumann.note"),
            Vector("go-note-peterneumann")["signed_note"]);
}

TEST_F(NoteVectorTest, TwoSignaturesEachKeyAloneVerifiesOthersIgnored) {
  std::string note = Vector("go-note-peterneumann")["signed_note"];
  note +=
      Vector("go-note-enochroot")["signature_line"].get<std::string>() + "\n";
  VerifierKey peter = Vkey("go-note-peterneumann"),
              enoch = Vkey("go-note-enochroot");
  auto by_peter = OpenNote(note, {peter});
  ASSERT_TRUE(by_peter.ok()) << by_peter.status();
  EXPECT_EQ(by_peter->unknown.size(), 1u);
  auto by_enoch = OpenNote(note, {enoch});
  ASSERT_TRUE(by_enoch.ok()) << by_enoch.status();
  auto both = OpenNote(note, {peter, enoch});
  ASSERT_TRUE(both.ok());
  EXPECT_EQ(both->verified.size(), 2u);
}

TEST_F(NoteVectorTest, AlteredNotesAreRejected) {
  VerifierKey k = Vkey("go-note-peterneumann");
  const std::string good = Vector("go-note-peterneumann")["signed_note"];
  std::string text_changed = good;
  text_changed[3] ^= 0x01;
  EXPECT_EQ(OpenNote(text_changed, {k}).status().code(),
            absl::StatusCode::kUnauthenticated);
  // Flip a bit inside the signature bytes, keeping the base64 canonical.
  const size_t sig_at = good.rfind(' ') + 1;
  std::string raw =
      testing::Unbase64(good.substr(sig_at, good.size() - sig_at - 1));
  raw[10] ^= 0x01;
  std::string sig_changed = good.substr(0, sig_at) + Base64Encode(raw) + "\n";
  EXPECT_EQ(OpenNote(sig_changed, {k}).status().code(),
            absl::StatusCode::kUnauthenticated);
  // A good note, but no key given signed it.
  EXPECT_EQ(OpenNote(good, {Vkey("go-note-enochroot")}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST_F(NoteVectorTest, SameNameOtherKeyIsIgnoredNotTrusted) {
  const json& v = Vector("go-note-peterneumann");
  auto impostor = SigningKey::Generate("PeterNeumann", kKeyTypeEd25519).value();
  VerifierKey real = Vkey("go-note-peterneumann");
  const SigningKey* keys[] = {&impostor};
  std::string forged =
      SignNote(v["note_text"].get<std::string>(), keys).value();
  EXPECT_EQ(OpenNote(forged, {real}).status().code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(NoteFormatTest, StrictParsing) {
  InitCrypto();
  auto key = SigningKey::Generate("example.com/k", kKeyTypeEd25519).value();
  const SigningKey* keys[] = {&key};
  const std::string note = SignNote("hello\n", keys).value();
  ASSERT_TRUE(OpenNote(note, {key.verifier()}).ok());
  auto code = [&](const std::string& n) {
    return OpenNote(n, {key.verifier()}).status().code();
  };
  const auto kBad = absl::StatusCode::kInvalidArgument;
  EXPECT_EQ(code(note.substr(0, note.size() - 1)), kBad);  // no final newline
  EXPECT_EQ(code("hello\n" + note.substr(7)), kBad);       // no blank line
  EXPECT_EQ(code("he\tllo\n" + note.substr(6)), kBad);     // control character
  EXPECT_EQ(code("h\xff\n" + note.substr(6)), kBad);       // not UTF-8
  std::string dash = note;
  dash.replace(7, 3, "-");  // ASCII hyphen instead of the em dash
  EXPECT_EQ(code(dash), kBad);
  // Non-canonical base64: 68 signature bytes leave two pad bits in the last
  // character before
  // '='; setting one decodes to the same bytes in lenient decoders, so it must
  // be refused.
  std::string noncanon = note;
  size_t eq = noncanon.find('=');
  ASSERT_NE(eq, std::string::npos);
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  noncanon[eq - 1] = kAlphabet[kAlphabet.find(noncanon[eq - 1]) ^ 1];
  EXPECT_EQ(code(noncanon), kBad);
  EXPECT_FALSE(SignNote("no newline", keys).ok());
}

TEST(NoteFormatTest, AtMostOneHundredSignatures) {
  InitCrypto();
  auto key = SigningKey::Generate("example.com/k", kKeyTypeEd25519).value();
  const std::string text = "body\n";
  std::string note = text + "\n" + SignatureLine(key, text);
  auto other =
      SigningKey::Generate("example.com/other", kKeyTypeEd25519).value();
  for (int i = 1; i < 100; ++i) note += SignatureLine(other, text);
  auto ok = OpenNote(note, {key.verifier()});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->unknown.size(), 99u);
  note += SignatureLine(other, text);
  EXPECT_EQ(OpenNote(note, {key.verifier()}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(KeyTest, NamesAndKeyStrings) {
  InitCrypto();
  EXPECT_FALSE(SigningKey::Generate("has space", kKeyTypeEd25519).ok());
  EXPECT_FALSE(SigningKey::Generate("has+plus", kKeyTypeEd25519).ok());
  EXPECT_FALSE(SigningKey::Generate("", kKeyTypeEd25519).ok());
  EXPECT_FALSE(SigningKey::Generate("nbsp\xC2\xA0", kKeyTypeEd25519).ok());
  auto k = SigningKey::Generate("example.com/log", kKeyTypeEd25519).value();
  std::string vkey = k.verifier().ToString();
  EXPECT_TRUE(VerifierKey::Parse(vkey).ok());
  std::string wrong_id = vkey;
  wrong_id[wrong_id.find('+') + 1] ^= 1;
  EXPECT_FALSE(VerifierKey::Parse(wrong_id).ok());
  auto round = SigningKey::Parse(k.ToString() + "\n");
  ASSERT_TRUE(round.ok());
  EXPECT_EQ(round->verifier().public_key(), k.verifier().public_key());
}

TEST_F(NoteVectorTest, CosignatureFormatExample) {
  const json& ex = vectors_["format_examples_not_verifiable"];
  auto parsed =
      ParseNote(ex["checkpoint_with_ed25519_cosignature"].get<std::string>());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  ASSERT_EQ(parsed->signatures.size(), 2u);
  EXPECT_EQ(parsed->signatures[0].key_id, 0x033de0aeu);
  EXPECT_EQ(parsed->signatures[1].key_id, 0x8d66cf3fu);
  const std::string& cosig = parsed->signatures[1].signature;
  ASSERT_EQ(cosig.size() + 4, ex["decoded"]["cosig_bytes"].get<size_t>());
  uint64_t ts = 0;
  for (int i = 0; i < 8; ++i) ts = (ts << 8) | static_cast<uint8_t>(cosig[i]);
  EXPECT_EQ(ts, ex["decoded"]["cosig_timestamp"].get<uint64_t>());
  EXPECT_EQ(CosignatureMessage(ts, parsed->text),
            ex["cosignature_v1_signed_message"]);
}

// A log key of example.com/log and a witness's cosigner key.
struct LogAndWitness {
  static LogAndWitness Make() {
    InitCrypto();
    return {SigningKey::Generate("example.com/log", kKeyTypeEd25519).value(),
            SigningKey::Generate("example.com/w", kKeyTypeCosignature).value()};
  }
  SigningKey log, witness;
};

TEST(CheckpointTest, SignCosignAndOpen) {
  auto [log, witness] = LogAndWitness::Make();
  Checkpoint cp{"example.com/log", 42, HashLeaf("x")};
  std::string note = SignCheckpoint(cp, log).value();
  note += SignatureLine(witness, cp.ToText(), 1700000000);
  auto opened = OpenCheckpoint(note, log.verifier(), {witness.verifier()});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->checkpoint, cp);
  ASSERT_EQ(opened->note.verified.size(), 2u);
  EXPECT_EQ(opened->note.verified[1].key.public_key(),
            witness.verifier().public_key());
  EXPECT_EQ(*opened->note.verified[1].timestamp, 1700000000u);
  // A cosignature by another key of the same name has another key ID: it is
  // ignored, and is not counted as the witness's.
  auto other =
      SigningKey::Generate("example.com/w", kKeyTypeCosignature).value();
  std::string unknown = SignCheckpoint(cp, log).value() +
                        SignatureLine(other, cp.ToText(), 1700000000);
  auto with_unknown =
      OpenCheckpoint(unknown, log.verifier(), {witness.verifier()});
  ASSERT_TRUE(with_unknown.ok());
  EXPECT_EQ(with_unknown->note.verified.size(), 1u);
  EXPECT_EQ(with_unknown->note.unknown.size(), 1u);
  // A log key whose name is not the origin cannot sign it.
  auto misnamed =
      SigningKey::Generate("example.com/other", kKeyTypeEd25519).value();
  EXPECT_FALSE(SignCheckpoint(cp, misnamed).ok());
  // Without the log's signature a checkpoint is refused even if a witness
  // signed it.
  std::string witness_only =
      cp.ToText() + "\n" + SignatureLine(witness, cp.ToText(), 1);
  EXPECT_EQ(OpenCheckpoint(witness_only, log.verifier(), {witness.verifier()})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(CheckpointTest, BadCosignatureByKnownWitnessFails) {
  auto [log, witness] = LogAndWitness::Make();
  Checkpoint cp{"example.com/log", 7, HashLeaf("y")};
  Checkpoint other_cp{"example.com/log", 8, HashLeaf("z")};
  // A cosignature line made for another checkpoint, pasted under this one.
  std::string note = SignCheckpoint(cp, log).value() +
                     SignatureLine(witness, other_cp.ToText(), 5);
  EXPECT_EQ(OpenCheckpoint(note, log.verifier(), {witness.verifier()})
                .status()
                .code(),
            absl::StatusCode::kUnauthenticated);
}

TEST(CheckpointTest, StrictBody) {
  Hash root = HashLeaf("r");
  std::string b64 = Base64Encode(AsBytes(root));
  EXPECT_TRUE(ParseCheckpoint("o\n0\n" + b64 + "\n").ok());
  EXPECT_FALSE(ParseCheckpoint("o\n007\n" + b64 + "\n").ok());  // leading zeros
  EXPECT_FALSE(ParseCheckpoint("o\n-1\n" + b64 + "\n").ok());
  EXPECT_FALSE(ParseCheckpoint("o\n18446744073709551616\n" + b64 + "\n").ok());
  EXPECT_FALSE(ParseCheckpoint("o\n7\n" + b64).ok());              // no newline
  EXPECT_FALSE(ParseCheckpoint("o\n7\n" + b64 + "\next\n").ok());  // extension
  EXPECT_FALSE(ParseCheckpoint("\n7\n" + b64 + "\n").ok());
  EXPECT_FALSE(ParseCheckpoint("o\n7\nAAAA\n").ok());  // root not 32 bytes
}

}  // namespace
}  // namespace ailedger

namespace ailedger {
namespace {

TEST(NoteReviewTest, AnEmptySignatureBlockIsRefusedNotACrash) {
  EXPECT_EQ(ParseNote("x\n\n").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseNote("\n\n").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(NoteReviewTest, ARepeatedSignatureLineCountsOnce) {
  InitCrypto();
  auto w = SigningKey::Generate("w", kKeyTypeCosignature).value();
  auto log = SigningKey::Generate("example.com/log", kKeyTypeEd25519).value();
  Checkpoint cp{"example.com/log", 3, HashLeaf("r")};
  const std::string line = SignatureLine(w, cp.ToText(), 5);
  auto opened = OpenCheckpoint(SignCheckpoint(cp, log).value() + line + line,
                               log.verifier(), {w.verifier()});
  ASSERT_TRUE(opened.ok()) << opened.status();
  EXPECT_EQ(opened->note.verified.size(),
            2u);  // the log once, the witness once
}

TEST(NoteReviewTest, NextLineIsASpace) {
  InitCrypto();
  EXPECT_FALSE(SigningKey::Generate("nel\xC2\x85", kKeyTypeEd25519).ok());
}

}  // namespace
}  // namespace ailedger
