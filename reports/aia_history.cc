// Level over time, AIA before deployment, and reassessment after each
// substantial modification (aia_history.h).
#include "reports/aia_history.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "reports/aia_evidence.h"

namespace ailedger::reports {
namespace {

constexpr const char* kLevels[] = {"", "I", "II", "III", "IV"};

const char* LevelName(int level) {
  return kLevels[level >= 0 && level <= 4 ? level : 0];
}

std::string Trigger(const Record& assessment, const Record& release) {
  return assessment.event.impact_assessment_recorded().trigger_event_id() ==
                 AsBytes(release.event_id)
             ? "names the release as its trigger"
             : "does not name the release as its trigger";
}

AiaModification Follow(const std::vector<Record>& records,
                       const std::string& system, const Record& release,
                       const std::vector<const Record*>& assessments) {
  AiaModification m;
  m.release = &release;
  for (const Record* a : assessments) {
    if (a->index > release.index) {
      m.assessment = a;
      break;
    }
  }
  const std::string& version = release.event.model_version_released().version();
  for (const Record& r : records) {
    if (r.index > release.index && r.event.has_deployment_recorded() &&
        AiaAbout(r.event, system) &&
        r.event.deployment_recorded().version() == version) {
      m.deployment = &r;
      break;
    }
  }
  if (m.assessment == nullptr) {
    m.flagged = true;
    m.finding = m.deployment ? "NOT REASSESSED: deployed with no assessment "
                               "after the modification"
                             : "NOT REASSESSED: no assessment after the "
                               "modification (the version is not deployed "
                               "in the verified records)";
  } else if (m.deployment && m.deployment->index < m.assessment->index) {
    m.flagged = true;
    m.finding = absl::StrCat("LATE: reassessed only after the deployment; ",
                             Trigger(*m.assessment, release));
  } else {
    m.finding = absl::StrCat(
        m.deployment ? "reassessed before the deployment"
                     : "reassessed (the version is not deployed in the "
                       "verified records)",
        "; ", Trigger(*m.assessment, release));
  }
  return m;
}

}  // namespace

Section AiaLevelOverTime(const std::vector<AiaAssessmentPoint>& points,
                         const std::vector<AiaModification>& modifications) {
  Section s{"Impact level over time",
            {"Every assessment of the system in log order, with the level "
             "computed from its answers beside the level its author claims, "
             "and the requirement set in force on its date."},
            {{{"evidence", "date", "computed level", "claimed level",
               "requirement set (by date)", "stated set"},
              {}}}};
  Chart c;
  c.kind = Chart::Kind::kSeries;
  c.title = "Impact level over time";
  c.caption =
      "The level computed from each assessment's answers (a step: it holds "
      "until the next assessment) and the level its author claims; vertical "
      "markers are the system's substantial modifications, named by version "
      "(rejected releases left out).";
  c.y_label = "impact level";
  c.y_decimals = 0;
  c.y_min = 1;
  c.y_max = 4;
  for (int l = 1; l <= 4; ++l)
    c.y_ticks.push_back({l, absl::StrCat("Level ", LevelName(l))});
  ChartSeries computed{"computed level", {}, true};
  ChartSeries claimed{"claimed level", {}, false};
  for (const AiaAssessmentPoint& p : points) {
    const int64_t t = p.record->event.occurred_at_ms();
    s.tables[0].rows.push_back(
        {Cite(*p.record), AiaDay(t), LevelName(p.level),
         p.claimed_level == 0
             ? "not stated"
             : absl::StrCat(LevelName(p.claimed_level),
                            p.claimed_level != p.level ? ": DIFFERS" : ""),
         p.set.set->id,
         p.set.stated.empty()
             ? "not stated"
             : absl::StrCat(p.set.stated, p.set.differs ? ": DIFFERS" : "")});
    computed.points.push_back(
        {t, static_cast<double>(p.level), false, Cite(*p.record)});
    if (p.claimed_level != 0)
      claimed.points.push_back(
          {t, static_cast<double>(p.claimed_level), false, Cite(*p.record)});
  }
  c.series.push_back(std::move(computed));
  if (!claimed.points.empty()) c.series.push_back(std::move(claimed));
  for (const AiaModification& m : modifications) {
    if (m.rejected) continue;  // never in service
    c.breaks.push_back({m.release->event.occurred_at_ms(),
                        m.release->event.model_version_released().version(),
                        Cite(*m.release)});
  }
  s.charts.push_back(std::move(c));
  return s;
}

nlohmann::json AiaLevelOverTimeJson(
    const std::vector<AiaAssessmentPoint>& points) {
  nlohmann::json out = nlohmann::json::array();
  for (const AiaAssessmentPoint& p : points) {
    out.push_back({{"index", p.record->index},
                   {"date", AiaDay(p.record->event.occurred_at_ms())},
                   {"level", p.level},
                   {"claimed_level", p.claimed_level},
                   {"requirement_set", p.set.set->id},
                   {"stated_requirement_set", p.set.stated},
                   {"requirement_set_differs", p.set.differs},
                   {"requirement_set_rule", p.set.rule}});
  }
  return out;
}

std::vector<AiaModification> AiaModifications(
    const std::vector<Record>& records, const std::string& system,
    const std::vector<const Record*>& assessments) {
  // A rejected release modifies nothing in service: said, not flagged.
  std::map<std::string, const Record*> rejected;
  for (const Record& r : records) {
    if (r.event.has_approval() &&
        r.event.approval().decision() == v1::DECISION_REJECT)
      rejected.emplace(r.event.approval().approves(), &r);
  }
  std::vector<AiaModification> out;
  for (const Record& r : records) {
    if (!r.event.has_model_version_released() ||
        !r.event.model_version_released().substantial_modification() ||
        !AiaAbout(r.event, system))
      continue;
    AiaModification m = Follow(records, system, r, assessments);
    auto it = rejected.find(std::string(AsBytes(r.event_id)));
    if (it != rejected.end() && m.deployment == nullptr) {
      m.rejected = true;
      m.flagged = false;
      m.finding = absl::StrCat("the release was rejected (", Cite(*it->second),
                               "): not put into service, nothing to "
                               "reassess");
    }
    out.push_back(std::move(m));
  }
  return out;
}

Section AiaOrderSection(const std::vector<const Record*>& assessments,
                        const Record* first_deployment,
                        const std::vector<AiaModification>& modifications) {
  Section s{
      "Assessment before deployment and after each substantial "
      "modification",
      {},
      {}};
  s.paragraphs.push_back(
      first_deployment == nullptr
          ? "No deployment of the system is in the verified records."
      : assessments.front()->index < first_deployment->index
          ? absl::StrCat("The first assessment (", Cite(*assessments.front()),
                         ") precedes the first deployment in log order (",
                         Cite(*first_deployment), ").")
          : absl::StrCat("NOT BEFORE DEPLOYMENT: the first deployment (",
                         Cite(*first_deployment),
                         ") precedes every assessment in log order; the first "
                         "assessment is ",
                         Cite(*assessments.front()), "."));
  s.paragraphs.push_back(
      "A substantial modification is a ModelVersionReleased of the system "
      "with substantial_modification set (the vocabulary's only marker; a "
      "ChangePlanned carries none). For each: the first assessment recorded "
      "after it and the first deployment of its version after it, in log "
      "order.");
  if (modifications.empty()) {
    s.paragraphs.push_back(
        "No substantial modification of the system is in the verified "
        "records.");
    return s;
  }
  Table t{{"substantial modification", "next assessment", "next deployment",
           "finding"},
          {}};
  for (const AiaModification& m : modifications) {
    t.rows.push_back({Cite(*m.release),
                      m.assessment ? Cite(*m.assessment) : "none",
                      m.deployment ? Cite(*m.deployment) : "none", m.finding});
  }
  s.tables.push_back(std::move(t));
  return s;
}

nlohmann::json AiaModificationsJson(
    const std::vector<AiaModification>& modifications) {
  nlohmann::json out = nlohmann::json::array();
  for (const AiaModification& m : modifications) {
    out.push_back(
        {{"release", m.release->index},
         {"version", m.release->event.model_version_released().version()},
         {"assessment", m.assessment ? nlohmann::json(m.assessment->index)
                                     : nlohmann::json(nullptr)},
         {"deployment", m.deployment ? nlohmann::json(m.deployment->index)
                                     : nlohmann::json(nullptr)},
         {"flagged", m.flagged},
         {"finding", m.finding}});
  }
  return out;
}

}  // namespace ailedger::reports
