// check-indexes over both stores: the query index rows and the lifecycle phase
// rows are rebuilt from the leaves, and what differs is found and repaired.
#include "ledger/storage/index_check.h"

#include "gtest/gtest.h"
#include "ledger/base/big_endian.h"
#include "ledger/storage/event_index.h"
#include "ledger/storage/meta_keys.h"
#include "server/ledger_reads.h"
#include "tests/testing/log_store_fixture.h"

namespace ailedger {
namespace {

using testing::Events;
using testing::Factories;
using testing::LogStoreTest;
using testing::PhaseValue;

TYPED_TEST_SUITE(LogStoreTest, Factories);

// The indexes are rebuilt from the leaves: a dropped and a forged row are both
// found, and repaired.
TYPED_TEST(LogStoreTest, IndexCheckFindsAndRepairsMissingAndExtraRows) {
  for (int i = 0; i < 5; ++i) {
    v1::Event e;
    e.set_event_type("RiskAssessed");
    e.set_organisation("Acme AI");
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("sys" + std::to_string(i % 2));
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras extras;
    extras.index_rows = IndexRowsFor(e, this->writer_->state().size);
    ASSERT_TRUE(this->writer_->Append({signed_event}, 1, extras).ok());
  }
  auto clean = CheckIndexes(this->store_.get(), false);
  ASSERT_TRUE(clean.ok()) << clean.status();
  EXPECT_EQ(clean->missing + clean->extra, 0u);
  EXPECT_EQ(clean->rows,
            20u);  // subject, type, organisation and day of each of 5 events
  std::string dropped = SubjectPrefix("system", "sys1");
  PutBigEndian64(3, &dropped);
  std::string forged = TypePrefix("AuditClosed");
  PutBigEndian64(2, &forged);
  ASSERT_TRUE(this->store_->RewriteIndexRows({{forged, ""}}, {dropped}).ok());
  auto found = CheckIndexes(this->store_.get(), true);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->missing, 1u);
  EXPECT_EQ(found->extra, 1u);
  EXPECT_TRUE(found->repaired);
  auto after = CheckIndexes(this->store_.get(), false);
  EXPECT_EQ(after->missing + after->extra, 0u);
}

// Index keys length-prefix their components (store format version 2): no two
// subjects share a key prefix, whatever bytes their kinds and ids hold.
TEST(EventIndexTest, KeysOfDifferentSubjectsNeverShareAPrefix) {
  const std::string nul(1, '\0');
  const std::vector<std::pair<std::string, std::string>> subjects = {
      {"a" + nul + "b", "c"},
      {"a", "b" + nul + "c"},
      {"a", "b"},
      {"a" + nul, "b"},
      {"a", nul + "b"},
      {"", "a" + nul + "b"},
      {"system", "x"},
      {"system", "x" + nul + std::string(8, '\0')}};
  for (const auto& [k1, i1] : subjects) {
    for (const auto& [k2, i2] : subjects) {
      if (k1 == k2 && i1 == i2) continue;
      const std::string p1 = SubjectPrefix(k1, i1), p2 = SubjectPrefix(k2, i2);
      EXPECT_NE(p1, p2);
      EXPECT_NE(p2.rfind(p1, 0), 0u) << ToHex(p1) << " prefixes " << ToHex(p2);
    }
  }
  EXPECT_NE(TypePrefix("a" + nul + "b").rfind(TypePrefix("a"), 0), 0u);
  EXPECT_NE(OrganisationPrefix("a" + nul).rfind(OrganisationPrefix("a"), 0),
            0u);
  // The layout itself: 's', u32 length, kind, u32 length, id.
  const std::string len1("\0\0\0\x01", 4), len2("\0\0\0\x02", 4);
  EXPECT_EQ(SubjectPrefix("ab", "c"), "s" + len2 + "ab" + len1 + "c");
}

// A victim's query returns every one of its rows even when another subject's
// id was crafted with NUL bytes to sort inside the victim's range (validation
// now refuses such ids; the key layout must hold on its own). With NUL-ended
// components, 100 such rows filled the first page and moved its next index
// past all of the victim's entries: the query ended early with status OK.
TYPED_TEST(LogStoreTest,
           AQueryForOneSubjectReturnsAllItsRowsWhateverOthersHold) {
  auto append = [&](const v1::Event& e) {
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras extras;
    extras.index_rows = IndexRowsFor(e, this->writer_->state().size);
    ASSERT_TRUE(this->writer_->Append({signed_event}, 1, extras).ok());
  };
  auto about = [](const std::string& id) {
    v1::Event e;
    e.set_event_type("RiskAssessed");
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id(id);
    return e;
  };
  append(about("other"));
  std::vector<uint64_t> victim;
  for (int i = 0; i < 3; ++i) {
    victim.push_back(this->writer_->state().size);
    append(about("credit-scoring"));
  }
  v1::Event attack;
  attack.set_event_type("RiskAssessed");
  for (int k = 0; k < 100; ++k) {
    auto* s = attack.add_subjects();
    s->set_kind("system");
    s->set_id("credit-scoring" + std::string(9, '\0') +
              std::string(1, static_cast<char>(k)));
  }
  append(attack);
  LedgerReads reads(this->store_.get(), 1000);
  QuerySpec spec{"system", "credit-scoring", "", "", 0, 0};
  std::vector<uint64_t> got;
  uint64_t next = 0;
  for (bool done = false; !done;) {
    auto page = reads.Query(spec, next, 100);
    ASSERT_TRUE(page.ok()) << page.status();
    for (const auto& e : page->entries) got.push_back(e.index);
    next = page->next_index;
    done = page->done;
  }
  EXPECT_EQ(got, victim);
}

// The sequencer's lifecycle phase rows are replayed from the leaves: a missing
// or wrong one is found and, with repair, rewritten.
TYPED_TEST(LogStoreTest, IndexCheckReplaysLifecyclePhaseRows) {
  for (const char* type : {"SystemRegistered", "SystemDecommissioned"}) {
    v1::Event e;
    e.set_event_type(type);
    auto* s = e.add_subjects();
    s->set_kind("system");
    s->set_id("sys");
    SignedEvent signed_event;
    signed_event.event_bytes = e.SerializeAsString();
    BatchExtras extras;
    extras.index_rows = IndexRowsFor(e, this->writer_->state().size);
    ASSERT_TRUE(this->writer_->Append({signed_event}, 1, extras).ok());
  }
  const std::string key = PhaseMetaKey(PhaseKey("system", "sys"));
  ASSERT_TRUE(this->store_->WriteMeta(key, PhaseValue(Phase::kActive)).ok());
  auto found = CheckIndexes(this->store_.get(), false);
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->phases_wrong, 1u);  // it was decommissioned
  EXPECT_FALSE(found->repaired);
  ASSERT_TRUE(CheckIndexes(this->store_.get(), true).ok());
  EXPECT_EQ(**this->store_->ReadMeta(key), PhaseValue(Phase::kEnded));
  EXPECT_EQ(CheckIndexes(this->store_.get(), false)->phases_wrong, 0u);
  // A stray row (no leaf registered "ghost") would let the sequencer accept
  // events the verifier refuses: found, and reset to "none".
  const std::string stray = PhaseMetaKey(PhaseKey("system", "ghost"));
  ASSERT_TRUE(this->store_->WriteMeta(stray, PhaseValue(Phase::kActive)).ok());
  auto ghost = CheckIndexes(this->store_.get(), true);
  ASSERT_TRUE(ghost.ok()) << ghost.status();
  EXPECT_EQ(ghost->phases_wrong, 1u);
  EXPECT_EQ(**this->store_->ReadMeta(stray), PhaseValue(Phase::kNone));
  EXPECT_EQ(CheckIndexes(this->store_.get(), false)->phases_wrong, 0u);
}

}  // namespace
}  // namespace ailedger
