// The rules of the event types vocabulary v2 added, and the questionnaire of a
// Canada AIA checked against the shipped survey (validation_v3.h).
#include <cctype>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"
#include "ledger/aia/survey.h"
#include "ledger/governance/validation_rules.h"
#include "ledger/governance/validation_v3.h"
#include "ledger/merkle/hash.h"

namespace ailedger::validation {
namespace {

bool IsCountryCode(absl::string_view c) {
  return c.size() == 2 && absl::ascii_isupper(c[0]) &&
         absl::ascii_isupper(c[1]);
}

// An IANA time zone name: "UTC", or "Area/Location[/Sub]" of letters, digits,
// '_', '-' and '+' (e.g. "Europe/Berlin", "America/Argentina/Buenos_Aires").
bool IsTimeZoneName(absl::string_view tz) {
  if (tz == "UTC") return true;
  std::vector<absl::string_view> parts = absl::StrSplit(tz, '/');
  if (parts.size() < 2 || parts.size() > 3) return false;
  for (absl::string_view p : parts) {
    if (p.empty() || !absl::ascii_isupper(p[0])) return false;
    for (char c : p) {
      if (!absl::ascii_isalnum(c) && c != '_' && c != '-' && c != '+')
        return false;
    }
  }
  return true;
}

absl::Status Organisation(const v1::Event& e) {
  const v1::OrganisationProfile& o = e.organisation_profile();
  if (!IsTimeZoneName(o.time_zone())) {
    return Bad("organisation_profile.time_zone",
               "an IANA time zone name, e.g. Europe/Berlin or UTC");
  }
  if (!IsCountryCode(o.country()))
    return Bad("organisation_profile.country", "an ISO 3166-1 alpha-2 code");
  if (o.fiscal_year_start_month() > 12)
    return Bad("organisation_profile.fiscal_year_start_month", "1 to 12");
  return absl::OkStatus();
}

absl::Status Communicated(const v1::Event& e) {
  const v1::IncidentCommunicated& c = e.incident_communicated();
  const bool named = c.audience() == v1::AUDIENCE_DEPLOYER ||
                     c.audience() == v1::AUDIENCE_PARTNER;
  if (named && c.recipient().empty())
    return Missing("incident_communicated.recipient");
  return absl::OkStatus();
}

absl::Status Conformity(const v1::Event& e) {
  const v1::ConformityDeclared& c = e.conformity_declared();
  if (c.procedure() != "annex-vi" && c.procedure() != "annex-vii") {
    return Bad("conformity_declared.procedure",
               "\"annex-vi\" (internal control) or \"annex-vii\" (notified "
               "body), EU AI Act Art. 43");
  }
  if (c.procedure() == "annex-vii" && c.notified_body().empty())
    return Missing("conformity_declared.notified_body");
  return absl::OkStatus();
}

absl::Status Registration(const v1::Event& e) {
  const std::string& a = e.eu_database_registered().article();
  if (a != "49(1)" && a != "49(2)" && a != "49(3)")
    return Bad("eu_database_registered.article", "49(1), 49(2) or 49(3)");
  return absl::OkStatus();
}

absl::Status Retention(const v1::Event& e) {
  const v1::DocumentRetention& r = e.document_retention();
  if (r.action() == v1::RETENTION_ACTION_RETAIN && r.retain_until_ms() <= 0)
    return Missing("document_retention.retain_until_ms");
  if (r.action() != v1::RETENTION_ACTION_RETAIN && r.reason().empty())
    return Missing("document_retention.reason");
  return absl::OkStatus();
}

using Rule = absl::Status (*)(const v1::Event&);

constexpr std::pair<absl::string_view, Rule> kRules[] = {
    {"OrganisationProfile", Organisation},
    {"IncidentCommunicated", Communicated},
    {"ConformityDeclared", Conformity},
    {"EuDatabaseRegistered", Registration},
    {"DocumentRetention", Retention},
};

}  // namespace

absl::Status CheckNewTypeRules(const v1::Event& e) {
  for (const auto& [type, rule] : kRules) {
    if (type == e.event_type()) return rule(e);
  }
  return absl::OkStatus();
}

absl::Status CheckAiaQuestionnaire(const v1::Event& e) {
  const v1::QuestionnaireDefined& q = e.questionnaire_defined();
  if (q.framework() != "ca-dadm:aia") return absl::OkStatus();
  const aia::Survey* survey = aia::FindSurvey(q.questionnaire_sha256());
  if (survey == nullptr) {
    std::string known;
    for (const aia::Survey* s : aia::ShippedSurveys()) {
      absl::StrAppend(&known, known.empty() ? "" : ", ", "v", s->version(), " ",
                      ToHex(s->sha256()));
    }
    return Bad("questionnaire_defined.questionnaire_sha256",
               absl::StrCat("not the SHA-256 of a Canada AIA survey this "
                            "software ships (",
                            known, ")"));
  }
  if (absl::StripPrefix(q.version(), "v") != survey->version()) {
    return Bad("questionnaire_defined.version",
               absl::StrCat("the survey with that digest is version ",
                            survey->version()));
  }
  return aia::CheckQuestionIds(*survey, q.question_ids(),
                               "questionnaire_defined.question_ids");
}

}  // namespace ailedger::validation
