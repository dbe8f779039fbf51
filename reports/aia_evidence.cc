// The AIA requirements of a level and the records that evidence each duty
// (aia_evidence.h).
#include "reports/aia_evidence.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/descriptor.h"
#include "ledger/merkle/hash.h"

namespace ailedger::reports {
namespace {

constexpr const char* kLevels[] = {"", "I", "II", "III", "IV"};
// A duty's cell cites at most this many records, the latest; the JSON lists
// every index.
constexpr size_t kMaxCited = 5;

std::string Id(const Hash& h) { return std::string(AsBytes(h)); }

// The system record a body links to, by the linking field of its type.
std::string LinkOf(const v1::Event& e) {
  if (e.has_gba_plus_recorded())
    return e.gba_plus_recorded().assessment_event_id();
  if (e.has_aia_published()) return e.aia_published().assessment_event_id();
  if (e.has_peer_review_published())
    return e.peer_review_published().reviewed_event_id();
  if (e.has_approval()) return e.approval().approves();
  return "";
}

bool NamesAnySystem(const v1::Event& e) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == "system") return true;
  }
  return false;
}

int Experts(const Record& r) {
  const auto& p = r.event.peer_review_published();
  return p.has_reviewer_count() ? static_cast<int>(p.reviewer_count()) : 1;
}

// What a reader needs beside the citation to judge the record as evidence.
std::string Annotate(const AiaEvidenceIndex& index, const Record& r) {
  const v1::Event& e = r.event;
  std::string out;
  if (e.has_peer_review_published()) {
    const auto& p = e.peer_review_published();
    out = absl::StrCat(
        p.reviewer(), p.reviewer_category().empty() ? "" : ", ",
        p.reviewer_category(), ", ",
        p.has_reviewer_count() ? absl::StrCat(p.reviewer_count(), " expert(s)")
                               : "expert count not stated",
        p.publication_uri().empty() ? ", no publication URI"
                                    : ", " + p.publication_uri());
  } else if (e.has_approval()) {
    const Record* target = index.Approved(r);
    out = absl::StrCat(
        e.approval().decision() == v1::DECISION_APPROVE_WITH_CONDITIONS
            ? "approved with conditions"
            : "approved",
        e.approval().authority().empty()
            ? ""
            : absl::StrCat(" under '", e.approval().authority(), "'"),
        target ? absl::StrCat(", of idx ", target->index) : "");
  } else if (e.has_notice_published()) {
    out = absl::StrCat("channel ", e.notice_published().channel());
  } else if (e.has_training_completed()) {
    out = absl::StrCat(e.training_completed().course(), ", ",
                       e.training_completed().participants(), " participants");
  } else if (e.has_explanation_provided()) {
    out = absl::StrCat(e.explanation_provided().count(), " explanations, ",
                       e.explanation_provided().channel());
  }
  if (index.OrganisationWide(r))
    absl::StrAppend(&out, out.empty() ? "" : ", ", "organisation-wide");
  return out;
}

std::string EvidenceCell(const AiaEvidenceIndex& index,
                         const AiaDutyResult& d) {
  if (d.evidence.empty()) return "";
  std::vector<std::string> cites;
  const size_t from =
      d.evidence.size() > kMaxCited ? d.evidence.size() - kMaxCited : 0;
  for (size_t i = from; i < d.evidence.size(); ++i) {
    const std::string note = Annotate(index, *d.evidence[i]);
    cites.push_back(note.empty()
                        ? Cite(*d.evidence[i])
                        : absl::StrCat(Cite(*d.evidence[i]), " (", note, ")"));
  }
  return absl::StrCat(from > 0
                          ? absl::StrCat(d.evidence.size(), " records; the ",
                                         kMaxCited, " latest: ")
                          : "",
                      absl::StrJoin(cites, "; "));
}

AiaDutyResult Evaluate(const AiaEvidenceIndex& index, const AiaRequirement& req,
                       const AiaDuty& duty) {
  AiaDutyResult r{&req, &duty, "", {}, ""};
  if (duty.permission) {
    r.status = kAiaPermitted;
    return r;
  }
  if (duty.evidence.empty()) {
    r.status = kAiaNoRecordType;
    return r;
  }
  for (const std::string& type : duty.evidence) {
    for (const Record* x : index.Of(type, duty.approval_of))
      r.evidence.push_back(x);
  }
  std::sort(
      r.evidence.begin(), r.evidence.end(),
      [](const Record* a, const Record* b) { return a->index < b->index; });
  const int n = static_cast<int>(r.evidence.size());
  bool enough = n >= std::max(duty.min_events, 1);
  if (duty.min_events > 1)
    r.detail =
        absl::StrCat(n, " record(s) of the ", duty.min_events, " needed");
  if (duty.min_reviewers > 0 && n > 0) {
    int experts = 0;
    for (const Record* x : r.evidence) {
      if (x->event.has_peer_review_published()) experts += Experts(*x);
    }
    enough = enough && experts >= duty.min_reviewers;
    r.detail = absl::StrCat(experts, " expert(s) of the ", duty.min_reviewers,
                            " required");
  }
  r.status = enough ? kAiaEvidenced : kAiaNotEvidenced;
  return r;
}

// The tool's text for a table cell: its HTML tags dropped (one names the
// GBA Plus page) and its lines joined.
std::string PlainText(const std::string& text) {
  std::string untagged;
  bool in_tag = false;
  for (char c : text) {
    if (c == '<') in_tag = true;
    if (!in_tag) untagged.push_back(c);
    if (c == '>') in_tag = false;
  }
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(untagged, '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (!line.empty()) lines.emplace_back(line);
  }
  return absl::StrJoin(lines, " · ");
}

}  // namespace

std::string AiaBodyType(const v1::Event& e) {
  const auto* oneof = e.GetDescriptor()->FindOneofByName("body");
  const auto* f = e.GetReflection()->GetOneofFieldDescriptor(e, oneof);
  return f == nullptr ? "" : f->message_type()->name();
}

bool AiaAbout(const v1::Event& e, absl::string_view system) {
  for (const auto& s : e.subjects()) {
    if (s.kind() == "system" && s.id() == system) return true;
  }
  return false;
}

AiaEvidenceIndex::AiaEvidenceIndex(const std::vector<Record>& records,
                                   std::string system, std::string organisation)
    : system_(std::move(system)), organisation_(std::move(organisation)) {
  std::set<std::string> gone;
  // Only the system's own records are kept by id (what approvals and links
  // may name), so a large log costs one pass and little memory.
  for (const Record& r : records) {
    if (r.event.has_retraction()) gone.insert(r.event.retraction().retracts());
    if (!r.event.supersedes().empty()) gone.insert(r.event.supersedes());
    if (AiaAbout(r.event, system_)) by_id_[Id(r.event_id)] = &r;
  }
  for (const Record& r : records) {
    if (gone.count(Id(r.event_id))) {
      ++not_current_;
      continue;
    }
    const bool about = AiaAbout(r.event, system_);
    const std::string link = LinkOf(r.event);
    const bool linked = by_id_.count(link) > 0;
    // A record tied to another record (an approval, a review or GBA Plus of
    // an assessment) counts only through it.
    const bool wide = !about && link.empty() && !r.event.has_approval() &&
                      !NamesAnySystem(r.event) &&
                      r.event.organisation() == organisation_;
    if (!about && !linked && !wide) continue;
    if (wide) organisation_wide_.insert(r.index);
    by_type_[AiaBodyType(r.event)].push_back(&r);
  }
}

std::vector<const Record*> AiaEvidenceIndex::Of(
    const std::string& type, const std::string& approval_of) const {
  auto it = by_type_.find(type);
  if (it == by_type_.end()) return {};
  if (type != "Approval") return it->second;
  std::vector<const Record*> out;
  for (const Record* r : it->second) {
    const Record* target = Approved(*r);
    const auto decision = r->event.approval().decision();
    if (target != nullptr && AiaBodyType(target->event) == approval_of &&
        (decision == v1::DECISION_APPROVE ||
         decision == v1::DECISION_APPROVE_WITH_CONDITIONS))
      out.push_back(r);
  }
  return out;
}

bool AiaEvidenceIndex::OrganisationWide(const Record& r) const {
  return organisation_wide_.count(r.index) > 0;
}

const Record* AiaEvidenceIndex::Approved(const Record& approval) const {
  auto it = by_id_.find(approval.event.approval().approves());
  return it == by_id_.end() ? nullptr : it->second;
}

std::vector<AiaDutyResult> EvaluateAiaRequirements(
    const AiaEvidenceIndex& index, const AiaRequirementSet& set, int level) {
  std::vector<AiaDutyResult> out;
  const size_t l = static_cast<size_t>(std::clamp(level, 1, 4) - 1);
  for (const AiaRequirement& req : set.requirements) {
    if (req.duties[l].empty()) {
      out.push_back({&req, nullptr, kAiaNotRequired, {}, ""});
      continue;
    }
    for (const AiaDuty& duty : req.duties[l])
      out.push_back(Evaluate(index, req, duty));
  }
  return out;
}

Section AiaRequirementsSection(const AiaEvidenceIndex& index,
                               const AiaRequirementSet& set, int level,
                               const std::string& set_rule,
                               const std::vector<AiaDutyResult>& results) {
  const size_t l = static_cast<size_t>(std::clamp(level, 1, 4) - 1);
  Section s{
      absl::StrCat("Requirements for impact level ", kLevels[l + 1]),
      {absl::StrCat("Requirement set '", set.id, "': ", set.name, " (",
                    set.file, ", ", set.source, "). Chosen ", set_rule, "."),
       absl::StrCat(
           "Level ", kLevels[l + 1],
           " is the level computed from the latest assessment's "
           "answers. Each duty of the tool's text is mapped to the event "
           "types whose records evidence it (",
           kAiaMappingFile,
           "): 'evidenced' cites them, 'not evidenced' means the "
           "vocabulary has a type but the verified records hold none "
           "(or too few) for this system, 'no record type' means the "
           "vocabulary has no type for it. Evidence is the records' own "
           "statement (self-attested) unless its signer is another "
           "party."),
       absl::StrCat(index.not_current(),
                    " retracted or superseded record(s) in the range are "
                    "not counted.")},
      {}};
  Table t{{"requirement", "duty", "status", "evidence",
           "what the records do not show"},
          {}};
  for (const AiaDutyResult& d : results) {
    if (d.duty == nullptr) {
      t.rows.push_back({d.requirement->title, "None", d.status, "", ""});
      continue;
    }
    t.rows.push_back({d.requirement->title, d.duty->duty,
                      d.detail.empty()
                          ? d.status
                          : absl::StrCat(d.status, " (", d.detail, ")"),
                      EvidenceCell(index, d),
                      d.duty->evidence.empty() ? d.duty->why : d.duty->note});
  }
  s.tables.push_back(std::move(t));
  Table text{{"requirement",
              absl::StrCat("the tool's text at level ", kLevels[l + 1])},
             {}};
  for (const AiaRequirement& r : set.requirements)
    text.rows.push_back({r.title, PlainText(r.text[l])});
  s.tables.push_back(std::move(text));
  return s;
}

nlohmann::json AiaRequirementsJson(const std::vector<AiaDutyResult>& results) {
  nlohmann::json out = nlohmann::json::array();
  for (const AiaDutyResult& d : results) {
    nlohmann::json indices = nlohmann::json::array();
    for (const Record* r : d.evidence) indices.push_back(r->index);
    out.push_back({{"requirement", d.requirement->title},
                   {"duty", d.duty ? d.duty->duty : "None"},
                   {"status", d.status},
                   {"detail", d.detail},
                   {"event_types",
                    d.duty ? d.duty->evidence : std::vector<std::string>{}},
                   {"evidence", indices}});
  }
  return out;
}

}  // namespace ailedger::reports
