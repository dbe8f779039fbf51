// The story behind tools/history.h, generated one day at a time: the private
// class shared by history_story.cc (keys and signing), history_systems.cc (each
// system's life) and history_organisation.cc (the management system, the
// partnership, audits, people). Actions due on a later day wait in `later_`.
#ifndef AILEDGER_TOOLS_HISTORY_STORY_H_
#define AILEDGER_TOOLS_HISTORY_STORY_H_

#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "tools/history.h"

namespace ailedger::history {

inline constexpr char kProvider[] = "Aurora Credit AI";
inline constexpr char kDeployer[] = "Corner Shop Finance";
inline constexpr char kAuditFirm[] = "Independent Audit GmbH";
inline constexpr int64_t kDay = 86400000;
inline constexpr int64_t kEnd = 1782777600000;  // 2026-06-30T00:00:00Z

using Subjects = std::vector<std::pair<std::string, std::string>>;

// The keys of the story: organisation, kind, role, functions, scope.
struct KeySpec {
  const char* name;
  const char* organisation;
  v1::KeyKind kind;
  v1::Role role;
  std::vector<std::string> functions;
  const char* scope;
};
const std::vector<KeySpec>& StoryKeys();

inline std::string Bytes(const Hash& h) { return std::string(AsBytes(h)); }
inline std::string Digest(absl::string_view text) {
  return Bytes(HashLeaf(text));
}

class History::Story {
 public:
  Story(Options o, const SigningKey* admin, std::deque<Generated>* out);
  bool done() const { return day_ >= days_; }
  void NextDay();

 private:
  struct System {
    std::string id;
    int registered_day;
    bool active = false;
    int releases = 0;
    std::string version = "1.0.0";
    Hash explanation_method{};
  };

  // Keys and signing (history_story.cc).
  const SigningKey& Key(const std::string& name);
  v1::Event Base(const std::string& type, const std::string& organisation,
                 std::vector<std::pair<std::string, std::string>> subjects,
                 std::vector<std::string> refs = {});
  Hash Emit(const std::string& signer, v1::Event e,
            std::optional<Sealed> sealed = std::nullopt);
  void Approve(const std::string& approver, const std::string& organisation,
               const Hash& id, v1::Decision decision = v1::DECISION_APPROVE,
               const std::string& conditions = "");
  uint64_t Uniform(uint64_t n) { return rng_() % n; }
  void Later(int days, std::function<void()> f) {
    later_.emplace(day_ + days, std::move(f));
  }

  // Each system's life (history_systems.cc).
  void Register(System& s);
  void Dataset(const System& s);
  void Risk(const System& s);
  void ImpactAssessment(const System& s);
  void Release(System& s);
  // Selection rates by age band; the 60+ band drifts below four fifths of the
  // reference rate in quarters 3 to 5 and recovers. One small group.
  void Fairness(const System& s, int quarter);
  void Metrics(const System& s, int quarter);
  // An incident every 240 days; serious ones are notified within the Art. 73
  // deadline or, every other time, 20 days late.
  void Incident(const System& s, int n);
  void Notify(const std::vector<std::pair<std::string, std::string>>& subj);
  void SystemDay(size_t i);
  // Operational records spread evenly, so the history reaches its size.
  void Filler();
  bool NoneActive() const;
  void FillOne(const System& s);

  // The organisations (history_organisation.cc).
  void Grant(const KeySpec& k);
  void Setup();
  void ManagementSystem();
  void Policy(int version);
  void Control(const std::string& id);
  void Partnership();
  void OrganisationDay();
  void AuditProgramme(int year);
  void Audit(int year);
  // A nonconformity from `finding`, its corrective action and, later, the
  // verification; the audit closes after.
  void Correct(const Hash& finding,
               const std::pair<std::string, std::string>& audit);
  void Training(int year);
  void Review(int year);
  // Monthly feedback; the first with the person's contact sealed, erased on
  // request a month later; one duplicate retracted.
  void Feedback();
  void Board();
  void RotatePipelineKey();

  Options o_;
  const SigningKey* admin_;
  std::deque<Generated>* out_;
  std::mt19937_64 rng_;
  std::map<std::string, std::unique_ptr<SigningKey>> keys_;
  std::vector<System> systems_;
  std::multimap<int, std::function<void()>> later_;
  Hash risk_criteria_{}, aia_{};
  std::string pipeline_ = "pipeline";
  int day_ = 0, days_ = 0, incidents_ = 0, feedback_ = 0;
  int64_t start_ms_ = 0, clock_ms_ = 0, step_ms_ = 5000;
  uint64_t emitted_ = 0, filler_ = 0;
};

}  // namespace ailedger::history

#endif  // AILEDGER_TOOLS_HISTORY_STORY_H_
