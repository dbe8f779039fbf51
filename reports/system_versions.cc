// The factsheet's model versions and releases (system_sections.h): every
// release and roll-back, and the versions current records name that no
// current release on this log does (VOCABULARY.md, "releases named": a
// deployer's log may name its provider's releases through external_refs,
// which the flag says).
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "reports/system_sections.h"

namespace ailedger::reports::factsheet {
namespace {

// The versions a record names (VOCABULARY.md, "releases named").
std::vector<std::string> VersionsNamed(const v1::Event& e) {
  std::vector<std::string> v;
  if (e.has_deployment_recorded())
    v.push_back(e.deployment_recorded().version());
  if (e.has_rolled_back()) {
    v.push_back(e.rolled_back().from_version());
    v.push_back(e.rolled_back().to_version());
  }
  if (e.has_model_version_released())
    v.push_back(e.model_version_released().previous_version());
  if (e.has_fairness_snapshot())
    v.push_back(e.fairness_snapshot().model_version());
  if (e.has_group_metric_snapshot())
    v.push_back(e.group_metric_snapshot().model_version());
  if (e.has_human_override_logged())
    v.push_back(e.human_override_logged().model_version());
  if (e.has_explanation_method_recorded())
    v.push_back(e.explanation_method_recorded().model_version());
  if (e.has_test_report()) v.push_back(e.test_report().model_version());
  if (e.has_conformity_declared())
    v.push_back(e.conformity_declared().model_version());
  if (e.has_log_segment_anchored()) {
    for (const std::string& m : e.log_segment_anchored().model_versions())
      v.push_back(m);
  }
  std::erase(v, "");
  return v;
}

}  // namespace

void AddVersions(const Context& c, Report* report, std::vector<Gap>* gaps) {
  nlohmann::json* data = &report->data["versions"];
  Section out{
      "Model versions and releases",
      {},
      {{{"version", "previous", "substantial modification", "status",
         "evidence"},
        {}},
       {{"from", "to", "environment", "reason", "status", "evidence"}, {}}}};
  (*data)["releases"] = nlohmann::json::array();
  (*data)["rollbacks"] = nlohmann::json::array();
  std::set<std::string> released;
  std::map<std::string, std::vector<const Record*>> named;
  for (const Record* r : c.about) {
    const v1::Event& e = r->event;
    if (e.has_model_version_released()) {
      const auto& m = e.model_version_released();
      if (IsCurrent(c, *r)) released.insert(m.version());
      out.tables[0].rows.push_back(
          {m.version(),
           m.previous_version().empty() ? "none" : m.previous_version(),
           m.substantial_modification()
               ? "yes: " + OrNot(m.modification_rationale())
               : "no",
           Status(c, *r), Cite(*r)});
      nlohmann::json j = Ref(c, *r);
      j.update({{"version", m.version()},
                {"previous_version", m.previous_version()},
                {"substantial_modification", m.substantial_modification()}});
      (*data)["releases"].push_back(std::move(j));
    }
    if (e.has_rolled_back()) {
      const auto& b = e.rolled_back();
      out.tables[1].rows.push_back({b.from_version(), b.to_version(),
                                    b.environment(), b.reason(), Status(c, *r),
                                    Cite(*r)});
      nlohmann::json j = Ref(c, *r);
      j.update(
          {{"from_version", b.from_version()}, {"to_version", b.to_version()}});
      (*data)["rollbacks"].push_back(std::move(j));
    }
    if (!IsCurrent(c, *r)) continue;
    for (const std::string& v : VersionsNamed(e)) named[v].push_back(r);
  }
  out.paragraphs.push_back(
      "Releases, then roll-backs, then the versions that current records "
      "(deployments, roll-backs, measurements, tests, log segments) name and "
      "no current release of the system on this log does.");
  if (out.tables[0].rows.empty())
    out.paragraphs.push_back("No release of the system is on this log.");
  if (out.tables[1].rows.empty())
    out.paragraphs.push_back("No roll-back of the system is on this log.");
  Table never{{"version", "named by", "flag", "evidence"}, {}};
  (*data)["never_released"] = nlohmann::json::array();
  for (const auto& [version, by] : named) {
    if (released.contains(version)) continue;
    std::vector<std::string> refs;
    std::vector<uint64_t> indices;
    bool external = false;
    for (const Record* r : by) {
      refs.push_back(absl::StrCat(r->event.event_type(), " idx ", r->index));
      indices.push_back(r->index);
      external = external || r->event.external_refs_size() > 0;
    }
    const std::string flag = absl::StrCat(
        "NAMED BUT NEVER RELEASED on this log",
        external ? " (a naming record cites another log's entry)" : "");
    never.rows.push_back(
        {version, absl::StrJoin(refs, ", "), flag, Cite(*by.front())});
    (*data)["never_released"].push_back(
        {{"version", version}, {"indices", indices}, {"external", external}});
    gaps->push_back({"release of version " + version,
                     "no record: named but never released", Cite(*by.front())});
  }
  if (never.rows.empty())
    out.paragraphs.push_back(
        "Every version named by a current record is released on this log.");
  else
    out.tables.push_back(std::move(never));
  // An empty table says less than a sentence.
  std::erase_if(out.tables, [](const Table& t) { return t.rows.empty(); });
  report->sections.push_back(std::move(out));
}

}  // namespace ailedger::reports::factsheet
