// reports/aia_reference: the shipped Canada AIA requirement sets and their
// evidence mapping (data/canada-aia/), checked against each other and the
// vocabulary, and the requirement set in force chosen by date.
#include "reports/aia_reference.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "ailedger/event.pb.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "ledger/merkle/hash.h"
#include "nlohmann/json.hpp"

namespace ailedger::reports {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::json;

std::string ReadData(const std::string& relative) {
  std::ifstream in(std::string(AILEDGER_DATA_DIR) + "/" + relative,
                   std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

const AiaReference& Ref() { return **ShippedAiaReference(); }

TEST(AiaReferenceTest, ShippedSetsParseAndNameOnlyTypesOfTheVocabulary) {
  ASSERT_TRUE(ShippedAiaReference().ok()) << ShippedAiaReference().status();
  ASSERT_EQ(Ref().sets.size(), 2u);
  EXPECT_EQ(Ref().sets[0].id, "pre-2023");
  EXPECT_EQ(Ref().sets[1].id, "2023");
  std::set<std::string> types;
  const auto* body = v1::Event::descriptor()->FindOneofByName("body");
  for (int i = 0; i < body->field_count(); ++i)
    types.insert(body->field(i)->message_type()->name());
  for (const AiaRequirementSet& s : Ref().sets) {
    EXPECT_EQ(s.file_sha256, ToHex(Sha256Of(ReadData("canada-aia/" + s.file))));
    for (const AiaRequirement& r : s.requirements) {
      for (const auto& level : r.duties) {
        for (const AiaDuty& d : level) {
          for (const std::string& t : d.evidence)
            EXPECT_TRUE(types.count(t)) << s.id << " " << r.title << ": " << t;
          if (!d.approval_of.empty()) {
            EXPECT_TRUE(types.count(d.approval_of));
          }
        }
      }
    }
  }
  EXPECT_EQ(
      Ref().mapping_sha256,
      ToHex(Sha256Of(ReadData("canada-aia/" + std::string(kAiaMappingFile)))));
}

// The duties' event types of one requirement at one level (1..4).
std::vector<std::string> TypesAt(const AiaRequirementSet& s,
                                 const std::string& title, int level) {
  std::vector<std::string> out;
  for (const AiaRequirement& r : s.requirements) {
    if (r.title != title) continue;
    for (const AiaDuty& d : r.duties[level - 1]) {
      out.push_back(d.evidence.empty() ? "-" : absl::StrJoin(d.evidence, "+"));
    }
    return out;
  }
  return {"no such requirement"};
}

TEST(AiaReferenceTest, RequirementsDifferByLevelAndSet) {
  const AiaRequirementSet& pre = *Ref().Find("pre-2023");
  const AiaRequirementSet& now = *Ref().Find("2023");
  // GBA Plus only from 2023, from level II; contingency only before, at III.
  EXPECT_THAT(TypesAt(now, "Gender-based Analysis Plus", 1),
              ::testing::IsEmpty());
  EXPECT_THAT(TypesAt(now, "Gender-based Analysis Plus", 2),
              ::testing::ElementsAre("GbaPlusRecorded"));
  EXPECT_THAT(TypesAt(pre, "Gender-based Analysis Plus", 2),
              ::testing::ElementsAre("no such requirement"));
  EXPECT_THAT(TypesAt(pre, "Contingency Planning", 2), ::testing::IsEmpty());
  EXPECT_THAT(TypesAt(pre, "Contingency Planning", 3),
              ::testing::ElementsAre("ContingencyPlan"));
  // A notice from level I in 2023, from level II before; at III a duty with
  // no record type joins it.
  EXPECT_THAT(TypesAt(now, "Notice", 1),
              ::testing::ElementsAre("NoticePublished"));
  EXPECT_THAT(TypesAt(pre, "Notice", 1), ::testing::IsEmpty());
  EXPECT_THAT(TypesAt(now, "Notice", 3),
              ::testing::ElementsAre("NoticePublished", "-"));
  // Two experts at level IV, one at II.
  const auto experts = [](const AiaRequirementSet& s, int level) {
    return s.requirements[s.id == "2023" ? 2 : 0]
        .duties[level - 1][0]
        .min_reviewers;
  };
  EXPECT_EQ(experts(now, 2), 1);
  EXPECT_EQ(experts(now, 4), 2);
  EXPECT_EQ(experts(pre, 4), 2);
}

TEST(AiaReferenceTest, AMappingThatDisagreesWithTheTableIsRefused) {
  std::map<std::string, std::string> files;
  for (const char* f : {"requirements-by-level-en.json",
                        "requirements-by-level-en-pre2023.json",
                        "requirements-evidence-map.json"})
    files[f] = ReadData(std::string("canada-aia/") + f);
  ASSERT_TRUE(ParseAiaReference(files).ok());
  Json map = Json::parse(files[kAiaMappingFile]);
  // A duty where the tool says "None" (2023 peer review at level I).
  map["sets"][1]["requirements"][2]["levels"][0] =
      map["sets"][1]["requirements"][2]["levels"][1];
  auto bad = files;
  bad[kAiaMappingFile] = map.dump();
  EXPECT_THAT(ParseAiaReference(bad).status().message(),
              HasSubstr("disagree with the text 'None'"));
  // A duty with neither evidence nor a reason.
  map = Json::parse(files[kAiaMappingFile]);
  map["sets"][1]["requirements"][0]["levels"][2][1].erase("why");
  bad[kAiaMappingFile] = map.dump();
  EXPECT_THAT(ParseAiaReference(bad).status().message(),
              HasSubstr("either evidence types or a reason"));
}

TEST(AiaReferenceTest, TheSetInForceIsChosenByDate) {
  const int64_t amended = 1682380800000;  // 2023-04-25T00:00:00Z
  AiaSetChoice c = ChooseRequirementSet(Ref(), amended - 1, "pre-2023");
  EXPECT_EQ(c.set->id, "pre-2023");
  EXPECT_FALSE(c.differs);
  EXPECT_THAT(c.rule, HasSubstr("2023-04-24 is on or after 2019-04-01"));
  c = ChooseRequirementSet(Ref(), amended, "pre-2023");
  EXPECT_EQ(c.set->id, "2023");
  EXPECT_TRUE(c.differs);
  EXPECT_THAT(c.rule, HasSubstr("2023-04-25 is on or after 2023-04-25"));
  EXPECT_THAT(c.rule, HasSubstr("states 'pre-2023': DIFFERS"));
  c = ChooseRequirementSet(Ref(), 1751328000000, "2023");  // 2025-07-01
  EXPECT_FALSE(c.differs);
  EXPECT_THAT(c.rule, HasSubstr("2025-06-24"));
  c = ChooseRequirementSet(Ref(), 1500000000000, "2025");  // 2017
  EXPECT_EQ(c.set->id, "pre-2023");
  EXPECT_THAT(c.rule, HasSubstr("earliest set"));
  EXPECT_THAT(c.rule, HasSubstr("not a set shipped"));
}

}  // namespace
}  // namespace ailedger::reports
