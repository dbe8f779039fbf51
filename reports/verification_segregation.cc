// The verification report's segregation-of-duties facts (verification_facts.h).
// The rules refuse an approval signed by its author's key or by a service
// account (ledger/governance/approvals.h, docs/ROLES.md): those counts show it
// did not happen. The rules check keys, not people: a person holding two keys
// can author with one and approve with the other, and one person can hold
// functions that ISO/IEC 42001 5.3 and A.3.2 would keep apart; those are
// stated as facts for the reader to weigh.
#include <algorithm>
#include <set>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "ledger/governance/roles.h"
#include "reports/verification_facts.h"

namespace ailedger::reports::verification {
namespace {

bool Holds(const std::set<v1::Role>& roles, v1::Role r) {
  return roles.contains(r);
}

struct ApprovalRow {
  int priority;  // 0: what the rules refuse; 1: same person; 2: other org
  const Record* approval;
  const Record* target;
  std::string fact;
};

struct Tally {
  std::map<std::string, uint64_t> decisions, facts;
  uint64_t same_org = 0, other_org = 0, before_range = 0;
  std::vector<ApprovalRow> rows;
};

std::string DecisionName(v1::Decision d) {
  switch (d) {
    case v1::DECISION_APPROVE:
      return "approve";
    case v1::DECISION_APPROVE_WITH_CONDITIONS:
      return "approve with conditions";
    case v1::DECISION_REJECT:
      return "reject";
    default:
      return "no decision";
  }
}

void Classify(const Facts& f, const Record& a, Tally* t) {
  ++t->decisions[DecisionName(a.event.approval().decision())];
  const KeyFacts* approver = KeyOf(f, a.signer);
  const Record* target = Named(f, a.event.approval().approves());
  auto note = [&](int priority, const std::string& fact) {
    ++t->facts[fact];
    t->rows.push_back({priority, &a, target, fact});
  };
  if (approver != nullptr && approver->kind == v1::KEY_KIND_SERVICE_ACCOUNT)
    note(0, "signed by a service account");
  if (target == nullptr) {
    ++t->before_range;
    return;
  }
  const KeyFacts* author = KeyOf(f, target->signer);
  if (target->signer == a.signer) note(0, "signed by the author's own key");
  const std::string approver_org =
      approver != nullptr ? approver->organisation : a.event.organisation();
  const std::string author_org =
      author != nullptr ? author->organisation : target->event.organisation();
  if (approver != nullptr && author != nullptr && target->signer != a.signer &&
      !approver->name.empty() && approver->name == author->name &&
      approver_org == author_org)
    note(1, "another key of the author's person (same name and organisation)");
  if (approver_org == author_org) {
    ++t->same_org;
  } else {
    ++t->other_org;
    note(2, "approver of another organisation than the author (" +
                approver_org + ", " + author_org + ")");
  }
}

Table ApprovalTable(const Facts& f, Tally* t, std::vector<std::string>* cut) {
  Table table{{"approval", "approved entry", "approver", "author", "fact"}, {}};
  std::stable_sort(t->rows.begin(), t->rows.end(),
                   [](const ApprovalRow& a, const ApprovalRow& b) {
                     return a.priority < b.priority;
                   });
  const size_t total = t->rows.size();
  if (t->rows.size() > kMaxRows) t->rows.resize(kMaxRows);
  std::stable_sort(t->rows.begin(), t->rows.end(),
                   [](const ApprovalRow& a, const ApprovalRow& b) {
                     return a.approval->index < b.approval->index;
                   });
  for (const ApprovalRow& r : t->rows) {
    const KeyFacts* approver = KeyOf(f, r.approval->signer);
    const KeyFacts* author =
        r.target != nullptr ? KeyOf(f, r.target->signer) : nullptr;
    table.rows.push_back(
        {Cite(*r.approval),
         r.target != nullptr ? Cite(*r.target) : "before the verified range",
         approver != nullptr ? Who(*approver) : "-",
         author != nullptr ? Who(*author) : "-", r.fact});
  }
  if (std::string c = Cut(total, table.rows.size(), "facts about approvals",
                          "the rules refuse first, then by person");
      !c.empty())
    cut->push_back(c);
  return table;
}

struct Person {
  std::set<std::string> keys, functions;
  std::set<v1::Role> roles;
  v1::KeyKind kind = v1::KEY_KIND_UNSPECIFIED;
};

// Facts about a holder's keys, roles and functions; empty when none.
std::vector<std::string> PersonFacts(const Person& p) {
  std::vector<std::string> facts;
  if (p.kind == v1::KEY_KIND_SERVICE_ACCOUNT) {
    if (!p.functions.empty())
      facts.push_back(
          "a service account holding functions (service "
          "accounts never approve)");
    return facts;
  }
  if (p.keys.size() > 1) facts.push_back(absl::StrCat(p.keys.size(), " keys"));
  if (p.functions.size() > 1) facts.push_back("more than one function");
  if (Holds(p.roles, v1::ROLE_AUDITOR) &&
      (Holds(p.roles, v1::ROLE_PUBLISHER) || !p.functions.empty()))
    facts.push_back("auditor and also publisher or function holder");
  if (Holds(p.roles, v1::ROLE_ADMIN) &&
      (Holds(p.roles, v1::ROLE_PUBLISHER) || Holds(p.roles, v1::ROLE_AUDITOR)))
    facts.push_back("admin (grants keys) and also publisher or auditor");
  return facts;
}

Table PeopleTable(const Facts& f, std::vector<std::string>* cut,
                  nlohmann::json* listed) {
  std::map<std::tuple<std::string, std::string, int>, Person> people;
  for (const auto& [bytes, k] : f.keys) {
    if (k.name.empty()) continue;
    const bool service = k.kind == v1::KEY_KIND_SERVICE_ACCOUNT;
    Person& p = people[{k.organisation, k.name, service ? 1 : 0}];
    p.kind = k.kind;
    p.keys.insert(bytes);
    p.functions.insert(k.functions.begin(), k.functions.end());
    p.roles.insert(k.roles.begin(), k.roles.end());
  }
  Table t{{"holder", "organisation", "keys", "roles", "functions", "facts"},
          {}};
  size_t total = 0;
  for (const auto& [who, p] : people) {
    std::vector<std::string> facts = PersonFacts(p);
    if (facts.empty() || ++total > kMaxRows) continue;
    std::vector<std::string> roles;
    for (v1::Role r : p.roles) roles.emplace_back(RoleName(r));
    const auto& [org, name, service] = who;
    t.rows.push_back(
        {name + (service ? " (service account)" : ""), org,
         absl::StrCat(p.keys.size()), absl::StrJoin(roles, ", "),
         p.functions.empty() ? "-" : absl::StrJoin(p.functions, ", "),
         absl::StrJoin(facts, "; ")});
    listed->push_back({{"holder", name},
                       {"organisation", org},
                       {"keys", p.keys.size()},
                       {"roles", roles},
                       {"functions", p.functions},
                       {"facts", facts}});
  }
  if (std::string c = Cut(total, t.rows.size(), "holders with such facts",
                          "first by organisation and name");
      !c.empty())
    cut->push_back(c);
  return t;
}

}  // namespace

Section SegregationSection(const Facts& f, nlohmann::json* data) {
  Tally t;
  for (const Record* a : f.approvals) Classify(f, *a, &t);
  Section s{"Segregation of duties", {}, {}};
  s.paragraphs.push_back(absl::StrCat(
      f.approvals.size(), " approvals (", Counts(t.decisions), "): ",
      t.same_org, " by an approver of the author's organisation, ", t.other_org,
      " of another organisation (two-party records), ", t.before_range,
      " of an entry before the verified range (author not shown)."));
  auto count = [&](const std::string& prefix) {
    uint64_t n = 0;
    for (const auto& [fact, c] : t.facts)
      if (fact.rfind(prefix, 0) == 0) n += c;
    return n;
  };
  s.paragraphs.push_back(absl::StrCat(
      "Signed by a service account: ", count("signed by a service"),
      "; by the author's own key: ", count("signed by the author"),
      " (the rules refuse both); by another key of the author's person: ",
      count("another key"), " (the rules check keys, not people)."));
  std::vector<std::string> cut;
  nlohmann::json people = nlohmann::json::array();
  s.tables.push_back(ApprovalTable(f, &t, &cut));
  s.tables.push_back(PeopleTable(f, &cut, &people));
  s.paragraphs.push_back(
      "Holders listed below the approvals: people with several keys or "
      "functions, auditors who also publish or hold a function, admins who "
      "also publish or audit, service accounts holding functions.");
  for (std::string& c : cut) s.paragraphs.push_back(std::move(c));
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& row : s.tables[0].rows)
    rows.push_back({{"approval", row[0]},
                    {"approved", row[1]},
                    {"approver", row[2]},
                    {"author", row[3]},
                    {"fact", row[4]}});
  (*data)["segregation"] = {{"approvals", f.approvals.size()},
                            {"decisions", t.decisions},
                            {"same_organisation", t.same_org},
                            {"other_organisation", t.other_org},
                            {"approved_before_range", t.before_range},
                            {"facts", t.facts},
                            {"approvals_listed", std::move(rows)},
                            {"holders", std::move(people)}};
  return s;
}

}  // namespace ailedger::reports::verification
