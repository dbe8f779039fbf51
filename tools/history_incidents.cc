// Incidents in the generated history (EU AI Act Art. 73; ISO/IEC 42001 A.8.4):
// each reported with where it occurred, told to the deployer as the
// communication plan commits, and, when serious on a high-risk system,
// notified to the authority of the Member State where it occurred (initial,
// then complete) before it is closed.
#include "absl/strings/str_cat.h"
#include "tools/history_story.h"

namespace ailedger::history {

// Incident n (one every 240 days): the even ones are serious, on the first
// (high-risk) system, the initial report sent after 1 day or, every other
// time, 20 days (late against the 15-day deadline of Art. 73(2)); the odd
// ones are minor, on the other systems in turn. Art. 73 covers high-risk
// systems only: a limited- or minimal-risk system's incidents are never
// notified under it.
void History::Story::Incident(int n) {
  const bool serious = n % 2 == 0;
  System& s = serious ? systems_[0] : systems_[(n / 2) % systems_.size()];
  if (!s.active) return;
  const std::string id = absl::StrCat("INC-", n);
  const Subjects subjects = {{"system", s.id}, {"incident", id}};
  const bool notify = serious && s.high();
  const Hash incident =
      Report(s, id, notify,
             notify ? "limits cut for a group of applicants by a scoring defect"
                    : "wrong outputs for a few cases, corrected the same day");
  if (notify) {
    Later(n % 4 == 2 ? 20 : 1, [=, this] {
      Notify(subjects, incident, v1::NOTIFICATION_KIND_INITIAL);
    });
    Later(24, [=, this] {
      Notify(subjects, incident, v1::NOTIFICATION_KIND_COMPLETE);
    });
  }
  Later(5, [=, this] {
    v1::Event u = Base("IncidentUpdated", kProvider, subjects);
    u.mutable_incident_updated()->set_update("causal link established");
    u.mutable_incident_updated()->set_causal_link_at_ms(clock_ms_);
    Emit("analyst", u);
  });
  Later(25, [=, this] {
    v1::Event c = Base("IncidentClosed", kProvider, subjects);
    c.mutable_incident_closed()->set_resolution("fixed and re-scored");
    Emit("analyst", c);
  });
}

// The IncidentReported, and the deployer told at once (the plan: 24 hours).
Hash History::Story::Report(const System& s, const std::string& id,
                            bool serious, const std::string& description) {
  const Subjects subjects = {{"system", s.id}, {"incident", id}};
  v1::Event e = Base("IncidentReported", kProvider, subjects, {"euaia:art73"});
  auto* r = e.mutable_incident_reported();
  r->add_harm_types("economic");
  r->add_affected_stakeholders("consumers");
  r->set_aware_at_ms(clock_ms_);
  r->set_deciding_party(v1::PARTY_PROVIDER);
  r->set_description(description);
  r->add_member_states(kMemberState);
  r->set_affected_count(serious ? 40 + Uniform(60) : 1 + Uniform(5));
  r->set_severity(serious ? v1::SEVERITY_SERIOUS : v1::SEVERITY_MINOR);
  if (serious) {
    r->set_art3_49_category("c");  // fundamental-rights obligations
  } else {
    r->set_not_serious(true);
    r->set_not_serious_reason(
        "no person's rights, health or property harmed; corrected in time");
  }
  const Hash incident = Emit("analyst", e);
  v1::Event c = Base("IncidentCommunicated", kProvider, subjects,
                     {"iso42001:A.8.4", "euaia:art20"});
  auto* ic = c.mutable_incident_communicated();
  ic->set_incident_event_id(Bytes(incident));
  ic->set_audience(v1::AUDIENCE_DEPLOYER);
  ic->set_recipient(kDeployer);
  ic->set_channel("email to the named contact");
  ic->set_sent_at_ms(clock_ms_);
  ic->set_content_sha256(Digest(absl::StrCat("notice of ", id)));
  ic->set_recipient_count(1);
  Emit("analyst", c);
  return incident;
}

void History::Story::Notify(const Subjects& subj, const Hash& incident,
                            v1::NotificationKind kind) {
  const std::string& id = subj[1].second;
  v1::Event e = Base("RegulatorNotificationSent", kProvider, subj);
  auto* n = e.mutable_regulator_notification();
  n->set_regime(v1::REGIME_EU_AI_ACT_ART73);
  n->set_authority(kAuthority);
  n->set_member_state(kMemberState);
  n->set_kind(kind);
  n->set_sent_at_ms(clock_ms_);
  n->set_incident_event_id(Bytes(incident));
  n->set_content_sha256(Digest(absl::StrCat(
      kind == v1::NOTIFICATION_KIND_INITIAL ? "initial" : "complete",
      " report of ", id)));
  if (kind == v1::NOTIFICATION_KIND_COMPLETE)
    n->set_authority_reference(absl::StrCat("CBI-AI-", id));
  Emit("analyst", e);
}

}  // namespace ailedger::history
