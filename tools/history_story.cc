#include "tools/history_story.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "ledger/governance/envelope.h"
#include "ledger/tlog/contexts.h"

namespace ailedger::history {

const std::vector<KeySpec>& StoryKeys() {
  using v1::KEY_KIND_PERSON, v1::KEY_KIND_SERVICE_ACCOUNT, v1::ROLE_PUBLISHER;
  // clang-format off
  static const auto* keys = new std::vector<KeySpec>{
      {"analyst", "Jonas Weber", kProvider, KEY_KIND_PERSON, ROLE_PUBLISHER,
       {}, "", ""},
      // Approves releases, policies, assessments, the SoA and reports.
      {"cto", "Lena Hoffmann", kProvider, KEY_KIND_PERSON, ROLE_PUBLISHER,
       {"approver"}, "", "Chief Technology Officer, release and policy "
       "approver (management board resolution 2023-01)"},
      // Accepts residual risk within the risk criteria.
      {"risk-owner", "Anna Schmidt", kProvider, KEY_KIND_PERSON,
       ROLE_PUBLISHER, {"risk_owner"}, "", "Head of Credit Risk, AI risk "
       "owner"},
      // Approves DPIAs only: never releases or risk (GDPR Art. 38(6)).
      {"dpo", "Marc Dubois", kProvider, KEY_KIND_PERSON, ROLE_PUBLISHER,
       {"dpo"}, "", "Data Protection Officer (GDPR Art. 37)"},
      {"pipeline", "pipeline", kProvider, KEY_KIND_SERVICE_ACCOUNT,
       ROLE_PUBLISHER, {}, "", ""},
      {"pipeline-2", "pipeline-2", kProvider, KEY_KIND_SERVICE_ACCOUNT,
       ROLE_PUBLISHER, {}, "", ""},
      // Signs Aurora's side of agreements with customers.
      {"liaison", "Tom Byrne", kProvider, KEY_KIND_PERSON, ROLE_PUBLISHER,
       {"approver"}, kProvider, "Head of Partnerships, signs customer "
       "agreements"},
      {"staff", "Siobhan Murphy", kDeployer, KEY_KIND_PERSON, ROLE_PUBLISHER,
       {}, "", ""},
      {"manager", "Ciaran O'Neill", kDeployer, KEY_KIND_PERSON,
       ROLE_PUBLISHER, {"approver"}, "", "Managing Director"},
      {"auditor", "Petra Lang", kAuditFirm, KEY_KIND_PERSON,
       v1::ROLE_AUDITOR, {}, "", ""},
  };
  // clang-format on
  return *keys;
}

History::Story::Story(Options o, const SigningKey* admin,
                      std::deque<Generated>* out)
    : o_(std::move(o)), admin_(admin), out_(out), rng_(o_.seed) {
  days_ = o_.years * 365;
  start_ms_ = kEnd - int64_t{days_} * kDay;
  // Events of a day fit in its 16 hours after 08:00, however many there are.
  const uint64_t per_day = o_.events / days_ + 200;
  step_ms_ = std::max<int64_t>(1, std::min<int64_t>(5000, 57600000 / per_day));
  for (int s = 0; s < o_.systems; ++s) {
    static const char* kIds[] = {"credit-scoring", "fraud-screening",
                                 "support-assistant"};
    static const char* kNames[] = {"Aurora Credit Score", "Aurora Fraud Screen",
                                   "Aurora Support Assistant"};
    System sys;
    sys.id = s < 3 ? kIds[s] : absl::StrCat("system-", s + 1);
    sys.name = s < 3 ? kNames[s] : absl::StrCat("Aurora system ", s + 1);
    sys.kind = static_cast<Kind>(s % 3);
    sys.registered_day = 3 + 40 * s;
    systems_.push_back(std::move(sys));
  }
}

void History::Story::NextDay() {
  clock_ms_ = start_ms_ + int64_t{day_} * kDay + 8 * 3600000;
  if (day_ == 0) Setup();
  for (size_t s = 0; s < systems_.size(); ++s) SystemDay(s);
  OrganisationDay();
  // Taken out first: an action may schedule more (never for today).
  std::vector<std::function<void()>> due;
  for (auto it = later_.begin(); it != later_.end() && it->first == day_;)
    due.push_back(std::move(later_.extract(it++).mapped()));
  for (auto& action : due) action();
  Filler();
  ++day_;
}

const SigningKey& History::Story::Key(const std::string& name) {
  if (name == "admin") return *admin_;
  auto& k = keys_[name];
  if (!k) {
    const Hash seed = HashLeaf(
        absl::StrCat("gen-history/", o_.seed, "/", o_.origin, "/", name));
    k = std::make_unique<SigningKey>(
        SigningKey::FromSeed(name, kKeyTypeEd25519, AsBytes(seed)).value());
  }
  return *k;
}

v1::Event History::Story::Base(
    const std::string& type, const std::string& organisation,
    std::vector<std::pair<std::string, std::string>> subjects,
    std::vector<std::string> refs) {
  v1::Event e = NewEvent(type, organisation);
  for (const auto& [kind, id] : subjects) {
    auto* s = e.add_subjects();
    s->set_kind(kind);
    s->set_id(id);
  }
  for (const auto& r : refs) e.add_framework_refs(r);
  return e;
}

Hash History::Story::Emit(const std::string& signer, v1::Event e,
                          std::optional<Sealed> sealed,
                          int64_t occurred_at_ms) {
  clock_ms_ += step_ms_;
  e.set_occurred_at_ms(occurred_at_ms ? occurred_at_ms : clock_ms_);
  Generated g;
  g.signed_event = SignEvent(e, Key(signer), o_.origin);
  g.event_id = EventId(o_.origin, g.signed_event.event_bytes);
  g.event_type = e.event_type();
  g.occurred_at_ms = clock_ms_;  // when it is recorded
  g.sealed = std::move(sealed);
  g.author = &Key(signer);
  out_->push_back(std::move(g));
  ++emitted_;
  latest_[e.event_type()] = out_->back().event_id;
  return out_->back().event_id;
}

const Hash* History::Story::Latest(const std::string& type) const {
  auto it = latest_.find(type);
  return it == latest_.end() ? nullptr : &it->second;
}

void History::Story::Approve(const std::string& approver,
                             const std::string& organisation, const Hash& id,
                             v1::Decision decision,
                             const std::string& conditions) {
  v1::Event e = Base("Approval", organisation, {});
  auto* a = e.mutable_approval();
  a->set_approves(Bytes(id));
  a->set_decision(decision);
  for (const KeySpec& k : StoryKeys()) {
    if (k.name == approver) a->set_authority(k.title);
  }
  a->set_authority_event_id(Bytes(authority_.at(approver)));
  a->set_conditions(conditions);
  Emit(approver, e);
}

}  // namespace ailedger::history
