// The story behind tools/history.h, generated one day at a time: the private
// class shared by history_story.cc (keys, signing and approvals),
// history_organisation.cc (the management system, the partnership, people),
// history_soa.cc (the Statement of Applicability), history_audits.cc,
// history_systems.cc (each system's life), history_aia.cc (the Canada AIA and
// the deployer's FRIA), history_measures.cc (monitoring) and
// history_incidents.cc. Actions due on a later day wait in `later_`.
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
// Where the deployer uses the systems, so where incidents occur (Art. 73(1)),
// and the authority it reports to: Art. 74(6) makes the financial supervisor
// the market surveillance authority for AI used by regulated financial
// institutions [K: re-check the Irish designation before a report quotes it].
inline constexpr char kMemberState[] = "IE";
inline constexpr char kAuthority[] = "Central Bank of Ireland";
inline constexpr int64_t kDay = 86400000;
inline constexpr int64_t kEnd = 1782777600000;  // 2026-06-30T00:00:00Z
// The 2023 amendments of the Directive on Automated Decision-Making came into
// force on 2023-04-25: later assessments use requirement set "2023".
inline constexpr int64_t kAia2023 = 1682380800000;

using Subjects = std::vector<std::pair<std::string, std::string>>;

// The keys of the story: one key per person or service, and the function a
// person holds is theirs alone (docs/ROLES.md). `title` is the role the
// person's RoleAssigned names; approvals cite that assignment.
struct KeySpec {
  const char* name;          // the key's nickname in the story
  const char* display_name;  // a natural person, or the service's name
  const char* organisation;
  v1::KeyKind kind;
  v1::Role role;
  std::vector<std::string> functions;
  const char* scope;
  const char* title;  // "" for keys that approve nothing
};
const std::vector<KeySpec>& StoryKeys();

inline std::string Bytes(const Hash& h) { return std::string(AsBytes(h)); }
// Plain SHA-256, as every `*_sha256` field means (not the RFC 6962 leaf hash).
inline std::string Digest(absl::string_view text) {
  return Bytes(Sha256Of(text));
}

class History::Story {
 public:
  Story(Options o, const SigningKey* admin, std::deque<Generated>* out);
  bool done() const { return day_ >= days_; }
  void NextDay();

 private:
  // What a system is: 0 credit scoring (high-risk, Annex III 5(b)), 1 fraud
  // screening (fraud detection is excluded from 5(b): minimal risk), 2 a
  // customer assistant (limited risk, Art. 50).
  enum class Kind { kCredit, kFraud, kAssistant };
  struct System {
    std::string id, name;
    Kind kind;
    int registered_day;
    bool active = false;
    int releases = 0;
    std::string version = "1.0.0";  // the version in production
    Hash explanation_method{}, plan{}, aia{}, fria{}, last_release{};
    std::vector<std::string> controls;  // chosen by its risk treatment
    bool high() const { return kind == Kind::kCredit; }
    bool classifies() const { return kind != Kind::kAssistant; }
    std::string fairness_incident;  // open threshold-breach incident, if any
    int64_t segment_end_ms = 0;
  };

  // Keys, signing and approvals (history_story.cc).
  const SigningKey& Key(const std::string& name);
  v1::Event Base(const std::string& type, const std::string& organisation,
                 std::vector<std::pair<std::string, std::string>> subjects,
                 std::vector<std::string> refs = {});
  // Signs and queues `e`, occurring now or, for a record kept elsewhere
  // first and backfilled (with its backfill_reason), at `occurred_at_ms`.
  Hash Emit(const std::string& signer, v1::Event e,
            std::optional<Sealed> sealed = std::nullopt,
            int64_t occurred_at_ms = 0);
  // An Approval citing the approver's RoleAssigned (authority_event_id).
  void Approve(const std::string& approver, const std::string& organisation,
               const Hash& id, v1::Decision decision = v1::DECISION_APPROVE,
               const std::string& conditions = "");
  uint64_t Uniform(uint64_t n) { return rng_() % n; }
  void Later(int days, std::function<void()> f) {
    later_.emplace(day_ + days, std::move(f));
  }
  // The latest event of `type` logged so far, if any (SoA evidence).
  const Hash* Latest(const std::string& type) const;

  // Each system's life (history_systems.cc).
  void Register(System& s);
  void Dataset(const System& s);
  void Risk(System& s);
  void Release(System& s);
  void Deploy(System& s, const Hash& release, bool major);
  void SystemDay(size_t i);
  // Operational records spread evenly, so the history reaches its size.
  void Filler();
  bool NoneActive() const;
  void FillOne(System& s);

  // The Canada AIA and the deployer's FRIA (history_aia.cc).
  void Questionnaire();
  // `phase` 1 Design (before the first release), 2 Implementation (revised
  // for a substantial modification, `trigger` the release).
  void ImpactAssessment(System& s, int phase, const Hash* trigger);
  void Fria(System& s, const Hash& release);

  // Monitoring (history_measures.cc).
  void Plan(System& s);
  // Selection rates by age band; the 60+ band drifts below four fifths of the
  // reference rate in quarters 3 to 5 and recovers. One small group. A
  // breach opens an incident the next day, as the plan's escalation says.
  void Fairness(System& s, int quarter);
  void Escalate(System& s, double ratio, int quarter);
  void Metrics(const System& s, int quarter);

  // Incidents (history_incidents.cc): one every 240 days; the even ones are
  // serious, on the high-risk system, notified within the Art. 73 deadline
  // or, every other time, 20 days late; complete reports follow.
  void Incident(int n);
  Hash Report(const System& s, const std::string& id, bool serious,
              const std::string& description);
  void Notify(const Subjects& subj, const Hash& incident,
              v1::NotificationKind kind);

  // The organisations (history_organisation.cc).
  void Grant(const KeySpec& k);
  void Setup();
  void Roles();
  void ManagementSystem();
  void Policy(int version);
  void Partnership();
  void OrganisationDay();
  void Training(int year);
  void Review(int year);
  // Monthly feedback; the first with the person's contact sealed, erased on
  // request a month later; one duplicate retracted.
  void Feedback();
  void Board();
  void RotatePipelineKey();

  // The Statement of Applicability (history_soa.cc): all 38 Annex A rows at
  // the start, the rows a treatment chose when it is chosen, every row again
  // each year; each set approved as a version.
  void Soa();
  void SoaRows(const std::vector<std::string>& controls);

  // Audits (history_audits.cc).
  void AuditProgramme(int year);
  void Audit(int year);
  // A nonconformity from `finding`, its corrective action and, later, the
  // verification; the audit closes after.
  void Correct(const Hash& finding,
               const std::pair<std::string, std::string>& audit);

  Options o_;
  const SigningKey* admin_;
  std::deque<Generated>* out_;
  std::mt19937_64 rng_;
  std::map<std::string, std::unique_ptr<SigningKey>> keys_;
  std::map<std::string, Hash> authority_;  // key name -> its RoleAssigned
  std::map<std::string, Hash> latest_;     // event type -> latest event
  std::map<std::string, Hash> soa_rows_;   // control id -> current row
  std::map<std::string, std::vector<Hash>> treatments_;  // control -> treated
  std::vector<System> systems_;
  std::multimap<int, std::function<void()>> later_;
  Hash risk_criteria_{}, aia_{}, agreement_{};
  std::string pipeline_ = "pipeline";
  int day_ = 0, days_ = 0, incidents_ = 0, feedback_ = 0, soa_version_ = 0;
  int64_t start_ms_ = 0, clock_ms_ = 0, step_ms_ = 5000;
  uint64_t emitted_ = 0, filler_ = 0;
};

}  // namespace ailedger::history

#endif  // AILEDGER_TOOLS_HISTORY_STORY_H_
