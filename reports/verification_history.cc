// The verification report's record history (verification_facts.h):
// supersession chains (A superseded by B superseded by C, each with its
// reason) and retractions, late-recorded events with their backfill reasons,
// and erased attachments. Nothing on a log is edited: a correction is a new
// entry naming the one it corrects (docs/FORMATS.md, "corrections"), a
// retraction marks one, an erasure destroys a sealed attachment's key and
// leaves the entry and its commitment.
#include <algorithm>

#include "absl/strings/str_cat.h"
#include "reports/verification_facts.h"

namespace ailedger::reports::verification {
namespace {

// The newest `max` of `all` (log order), in log order.
RecordPtrs Newest(const RecordPtrs& all, size_t max) {
  return all.size() <= max ? all : RecordPtrs(all.end() - max, all.end());
}

struct Chain {
  RecordPtrs links;  // the first, then each correction of the one before
  bool before_range = false;  // the first corrects an entry before the range
};

std::vector<Chain> Chains(const Facts& f) {
  std::map<uint64_t, const Record*> next;  // corrected index -> correction
  std::map<uint64_t, Chain> heads;         // by the first link's index
  for (const Record* c : f.corrections) {
    const Record* t = Named(f, c->event.supersedes());
    if (t != nullptr) next[t->index] = c;
    if (t == nullptr) {
      heads[c->index] = {{c}, true};
    } else if (t->event.supersedes().empty()) {
      heads[t->index] = {{t}, false};
    }
  }
  std::vector<Chain> out;
  for (auto& [index, chain] : heads) {
    for (auto it = next.find(index); it != next.end();
         it = next.find(it->second->index))
      chain.links.push_back(it->second);
    out.push_back(std::move(chain));
  }
  return out;
}

// The newest chains (by their last link) up to kMaxRows links, in log order.
std::vector<Chain> ChainsShown(std::vector<Chain> all) {
  std::stable_sort(all.begin(), all.end(), [](const Chain& a, const Chain& b) {
    return a.links.back()->index > b.links.back()->index;
  });
  std::vector<Chain> out;
  size_t rows = 0;
  for (Chain& c : all) {
    if (!out.empty() && rows + c.links.size() > kMaxRows) continue;
    if (c.links.size() > kMaxRows) c.links.resize(kMaxRows);
    rows += c.links.size();
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const Chain& a, const Chain& b) {
    return a.links.front()->index < b.links.front()->index;
  });
  return out;
}

std::map<uint64_t, const Record*> Retracted(const Facts& f) {
  std::map<uint64_t, const Record*> out;
  for (const Record* r : f.retractions)
    if (const Record* t = Named(f, r->event.retraction().retracts()))
      out[t->index] = r;
  return out;
}

std::string LinkText(const Chain& c, size_t i,
                     const std::map<uint64_t, const Record*>& retracted) {
  const Record& r = *c.links[i];
  std::string text =
      i == 0
          ? (c.before_range ? "corrects an entry before the verified range: " +
                                  r.event.supersedes_reason()
                            : "original")
          : absl::StrCat("supersedes idx ", c.links[i - 1]->index, ": ",
                         r.event.supersedes_reason());
  if (auto it = retracted.find(r.index); it != retracted.end())
    absl::StrAppend(&text, "; retracted by idx ", it->second->index, ": ",
                    it->second->event.retraction().reason());
  else if (i + 1 == c.links.size())
    absl::StrAppend(&text, "; current");
  return text;
}

}  // namespace

Section CorrectionsSection(const Facts& f, nlohmann::json* data) {
  Section s{"Corrections and retractions", {}, {}};
  const std::vector<Chain> chains = Chains(f);
  const std::map<uint64_t, const Record*> retracted = Retracted(f);
  size_t longest = 0;
  for (const Chain& c : chains) longest = std::max(longest, c.links.size() - 1);
  s.paragraphs.push_back(absl::StrCat(
      "Corrections (supersedes): ", f.corrections.size(), ", in ",
      chains.size(), " chains (the longest of ", longest,
      "); retractions: ", f.retractions.size(),
      ". A chain is read down: each entry supersedes the one above it, the "
      "last is the one in force unless retracted."));
  Table table{{"chain", "record", "what"}, {}};
  nlohmann::json listed = nlohmann::json::array();
  const std::vector<Chain> shown = ChainsShown(chains);
  for (size_t n = 0; n < shown.size(); ++n) {
    nlohmann::json links = nlohmann::json::array();
    for (size_t i = 0; i < shown[n].links.size(); ++i) {
      const std::string what = LinkText(shown[n], i, retracted);
      table.rows.push_back(
          {absl::StrCat(n + 1), Cite(*shown[n].links[i]), what});
      links.push_back({{"record", Cite(*shown[n].links[i])}, {"what", what}});
    }
    listed.push_back(std::move(links));
  }
  if (std::string c =
          Cut(chains.size(), shown.size(), "chains", "corrected last");
      !c.empty())
    s.paragraphs.push_back(c);
  Table retractions{{"retraction", "retracted entry", "reason"}, {}};
  nlohmann::json retracted_json = nlohmann::json::array();
  for (const Record* r : Newest(f.retractions, kMaxRows)) {
    const Record* t = Named(f, r->event.retraction().retracts());
    retractions.rows.push_back(
        {Cite(*r), t != nullptr ? Cite(*t) : "before the verified range",
         r->event.retraction().reason()});
    retracted_json.push_back({{"retraction", retractions.rows.back()[0]},
                              {"retracted", retractions.rows.back()[1]},
                              {"reason", retractions.rows.back()[2]}});
  }
  if (std::string c = Cut(f.retractions.size(), retractions.rows.size(),
                          "retractions", "latest");
      !c.empty())
    s.paragraphs.push_back(c);
  s.tables = {std::move(table), std::move(retractions)};
  (*data)["corrections"] = {{"corrections", f.corrections.size()},
                            {"chains", chains.size()},
                            {"longest", longest},
                            {"chains_listed", std::move(listed)},
                            {"retractions", f.retractions.size()},
                            {"retractions_listed", std::move(retracted_json)}};
  return s;
}

Section LateSection(const Facts& f, nlohmann::json* data) {
  Section s{
      "Late-recorded events", {}, {{{"record", "lag", "backfill reason"}, {}}}};
  auto late = f.late;
  std::stable_sort(late.begin(), late.end(), [](const auto& a, const auto& b) {
    return a.first > b.first;
  });
  std::map<std::string, uint64_t> by_type, reasons;
  for (const auto& [lag, r] : late) {
    ++by_type[r->event.event_type()];
    ++reasons[r->event.backfill_reason().empty() ? "none given"
                                                 : r->event.backfill_reason()];
  }
  s.paragraphs.push_back(
      absl::StrCat("Entries recorded more than ", kLateAfterMs / kDayMs,
                   " days after they occurred: ", late.size(),
                   " (by type: ", Counts(by_type), ")."));
  nlohmann::json listed = nlohmann::json::array();
  for (size_t i = 0; i < late.size() && i < kLateShown; ++i) {
    const Record& r = *late[i].second;
    const std::string reason = r.event.backfill_reason().empty()
                                   ? "none given"
                                   : r.event.backfill_reason();
    s.tables[0].rows.push_back(
        {Cite(r), absl::StrCat(late[i].first / kDayMs, " days"), reason});
    listed.push_back({{"record", Cite(r)},
                      {"lag_ms", late[i].first},
                      {"backfill_reason", reason}});
  }
  if (std::string c = Cut(late.size(), s.tables[0].rows.size(), "late entries",
                          "recorded latest after they occurred");
      !c.empty())
    s.paragraphs.push_back(c);
  Table by_reason{{"backfill reason", "late entries"}, {}};
  for (const auto& [reason, n] : reasons) {
    if (by_reason.rows.size() >= kMaxRows) break;
    by_reason.rows.push_back({reason, absl::StrCat(n)});
  }
  if (std::string c = Cut(reasons.size(), by_reason.rows.size(),
                          "backfill reasons", "first in alphabetical order");
      !c.empty())
    s.paragraphs.push_back(c);
  s.tables.push_back(std::move(by_reason));
  (*data)["late"] = {{"late_after_days", kLateAfterMs / kDayMs},
                     {"count", late.size()},
                     {"by_type", by_type},
                     {"by_backfill_reason", reasons},
                     {"listed", std::move(listed)}};
  return s;
}

Section ErasuresSection(const Facts& f, nlohmann::json* data) {
  Section s{"Erased attachments",
            {},
            {{{"erasure", "entry carrying the attachment", "attachment",
               "legal basis", "requested by"},
              {}}}};
  s.paragraphs.push_back(absl::StrCat(
      "Sealed attachments erased: ", f.erasures.size(),
      ". Each erasure destroys the key, salt and ciphertext and keeps the "
      "entry and its commitment, so every proof still holds."));
  nlohmann::json listed = nlohmann::json::array();
  for (const Record* r : Newest(f.erasures, kMaxRows)) {
    const v1::Erasure& e = r->event.erasure();
    const Record* t = Named(f, e.event_id());
    std::string attachment = absl::StrCat("#", e.attachment());
    if (t == nullptr) {
      absl::StrAppend(&attachment, " (entry before the verified range)");
    } else if (static_cast<int>(e.attachment()) < t->event.sealed_size()) {
      const v1::SealedAttachment& a = t->event.sealed(e.attachment());
      absl::StrAppend(&attachment, ": ", a.label(), " (", a.media_type(), ")");
    } else {
      absl::StrAppend(&attachment, ": the entry has no such attachment");
    }
    s.tables[0].rows.push_back(
        {Cite(*r), t != nullptr ? Cite(*t) : "before the verified range",
         attachment, e.legal_basis(), e.requested_by()});
    const auto& row = s.tables[0].rows.back();
    listed.push_back({{"erasure", row[0]},
                      {"event", row[1]},
                      {"attachment", row[2]},
                      {"legal_basis", row[3]},
                      {"requested_by", row[4]}});
  }
  if (std::string c =
          Cut(f.erasures.size(), s.tables[0].rows.size(), "erasures", "latest");
      !c.empty())
    s.paragraphs.push_back(c);
  (*data)["erasures"] = {{"count", f.erasures.size()},
                         {"listed", std::move(listed)}};
  return s;
}

}  // namespace ailedger::reports::verification
