// ailedgerd's log lines (server/log.h): text as before, JSON one object per
// line whatever the message holds.
#include <nlohmann/json.hpp>

#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "server/log.h"

namespace ailedger {
namespace {

const absl::Time kTime = absl::FromUnixMillis(1700000000123);

TEST(LogFormatTest, TextIsTheProgramAndTheMessage) {
  EXPECT_EQ(FormatLogLine(LogFormat::kText, LogLevel::kWarning, kTime,
                          "witness http://w: down", {{"witness", "http://w"}}),
            "ailedgerd: witness http://w: down\n");
}

TEST(LogFormatTest, JsonIsOneObjectPerLineWithTimeLevelMsgAndFields) {
  const std::string line =
      FormatLogLine(LogFormat::kJson, LogLevel::kError, kTime,
                    "size 5: \"quoted\"\nsecond line\t\x01",
                    {{"witness", "http://w"}, {"size", uint64_t{5}}});
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;
  auto j = nlohmann::json::parse(line);
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j["time"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(j["level"], "error");
  EXPECT_EQ(j["msg"], "size 5: \"quoted\"\nsecond line\t\x01");
  EXPECT_EQ(j["witness"], "http://w");
  EXPECT_EQ(j["size"], 5);
  // Keys in a fixed order: time, level, msg, then the fields.
  EXPECT_EQ(line.rfind("{\"time\":", 0), 0u);
}

TEST(LogFormatTest, InvalidUtf8BecomesReplacementCharacters) {
  const std::string line = FormatLogLine(LogFormat::kJson, LogLevel::kInfo,
                                         kTime, "bad \xff\xfe bytes");
  auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["msg"], "bad \xEF\xBF\xBD\xEF\xBF\xBD bytes");
}

TEST(LogFormatTest, ParsesTheFlagValues) {
  EXPECT_EQ(ParseLogFormat("text").value(), LogFormat::kText);
  EXPECT_EQ(ParseLogFormat("json").value(), LogFormat::kJson);
  EXPECT_EQ(ParseLogFormat("JSON").status().message(),
            "'JSON' is not text or json");
}

}  // namespace
}  // namespace ailedger
