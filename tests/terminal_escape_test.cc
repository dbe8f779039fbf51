// EscapeForTerminal: nothing a terminal acts on survives, everything else is
// copied, and JSON stays JSON.
#include "ledger/base/terminal_escape.h"

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"

namespace ailedger {
namespace {

TEST(TerminalEscapeTest, AnEraseLineAndCarriageReturnCannotOverwriteOutput) {
  EXPECT_EQ(EscapeForTerminal("\x1b[2K\rVERIFIED"),
            "\\u001b[2K\\u000dVERIFIED");
}

TEST(TerminalEscapeTest, C0DelC1AndBidiControlsAreEscaped) {
  EXPECT_EQ(EscapeForTerminal(std::string("a\0b\n\t\x7f", 6)),
            "a\\u0000b\\u000a\\u0009\\u007f");
  EXPECT_EQ(EscapeForTerminal("\xc2\x9b"
                              "31m"),
            "\\u009b31m");  // 8-bit CSI
  EXPECT_EQ(EscapeForTerminal("\xe2\x80\xae"
                              "evil"),
            "\\u202eevil");  // RLO
  for (const char* bidi :
       {"\xe2\x80\xaa", "\xe2\x80\xab", "\xe2\x80\xac", "\xe2\x80\xad",
        "\xe2\x81\xa6", "\xe2\x81\xa7", "\xe2\x81\xa8", "\xe2\x81\xa9"}) {
    EXPECT_EQ(EscapeForTerminal(bidi).substr(0, 2), "\\u") << bidi;
  }
}

TEST(TerminalEscapeTest, InvalidUtf8BytesAreEscapedOneByOne) {
  EXPECT_EQ(EscapeForTerminal("\x9b"
                              "2J"),
            "\\x9b2J");                                    // a lone C1 byte
  EXPECT_EQ(EscapeForTerminal("\xc0\xaf"), "\\xc0\\xaf");  // overlong
  EXPECT_EQ(EscapeForTerminal("\xe2\x80"), "\\xe2\\x80");  // truncated
}

TEST(TerminalEscapeTest, OrdinaryTextIsCopied) {
  const std::string text =
      "Zürich AG — 株式会社 (risk_owner) \\ \"q\" 🙂";
  EXPECT_EQ(EscapeForTerminal(text), text);
}

TEST(TerminalEscapeTest, EscapedJsonParsesToTheSameStrings) {
  nlohmann::json j = {{"name", "\x1b[2K\rVERIFIED \xe2\x80\xae x \xc2\x85"}};
  const std::string escaped = EscapeForTerminal(j.dump());
  EXPECT_EQ(escaped.find('\x1b'), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(escaped), j);
}

}  // namespace
}  // namespace ailedger
