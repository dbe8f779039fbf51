// Statements one party signed that a party's own signed records contradict
// (issue 13, "Completeness section": "statements signed by one party that its
// own log contradicts"; domain review §4 item 7, §5.3 item 14, E24, E25).
// Within one log, where both parties record (as in the generated history),
// and against another log's verified records for the references to its
// entries (Event.external_refs) when that log is given.
//
// Only what the records make contradictory is flagged: the same system,
// version, incident, communication (its content digest) or agreement, at
// overlapping times, and only current statements and records (a retracted or
// superseded record is no one's word any more). A check that cannot be made
// is said ("not checked", with why), never passed over; an absence ("no
// release of that version") is a finding only over a range from index 0.
//
// clang-format off
//   check                statement (signed by A)         contradicted by B's own records
//   release deployed     DeploymentRecorded of B's       B (the system's provider) has no release
//                        system; RolledBack to a         of that version, rejected it before the
//                        version by its deployer         go-live, retracted it, corrected it to
//                                                        another version, released it after the
//                                                        go-live, or rolled it back (same
//                                                        environment, for A or for all) between
//                                                        its release and the go-live
//   decommissioned       DeploymentRecorded of B's       B's SystemDecommissioned before the go-live
//                        system
//   incident             IncidentCommunicated to B       B's record of the same communication (its
//   communication        (recipient B); B's receipt      receipt: B's IncidentCommunicated naming
//                        (B's own IncidentCommunicated   itself recipient, same content digest)
//                        naming itself recipient)        dated more than a day apart or about another
//                                                        incident; B's receipts of the incident
//                                                        without this one; B's own IncidentReported
//                                                        of the incident (same incident and system
//                                                        ids) aware more than a day after it was told
//   regulator            RegulatorNotificationSent       another party's notification with the same
//   notification                                         content digest dated more than a day apart,
//                                                        or of another kind, authority, Member State
//                                                        or incident
//   due-diligence        DueDiligenceRecorded answers    A's own records: a serious incident A knew
//   answer               of A: "no serious incident(s)"  of before the answer (as classified then,
//                        [in the last N months/years,    in the answer's window), no ConformityDeclared
//                        since YYYY]; a declaration of   before it; the answers' "system" subjects,
//                        conformity (CE marking)         if any, bound both
//   agreement            AgreementRecorded by A naming   B's latest decision on it is a rejection
//                        partner/organisation B
//   external reference   an Event.external_refs entry    the other log's entry at that index: absent
//                                                        or another leaf hash; retracted there; the
//                                                        release of another version, rejected there
//                                                        or released after the go-live; the same
//                                                        communication dated otherwise
// clang-format on
//
// Due-diligence claims are read from the answers' text (sentences, lower
// case; a conformity sentence with a negation or "planned", "pending",
// "yet", "will" is no claim) and from Answer entries whose question id names
// serious incidents (values "none", "no", "0") or conformity ("yes",
// "true", "declared"). Answers with no claim of these kinds are listed "not
// checked" (E24's "fairness gate before release" is such a claim).
#ifndef AILEDGER_REPORTS_CONTRADICTIONS_H_
#define AILEDGER_REPORTS_CONTRADICTIONS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "reports/records.h"
#include "reports/report.h"

namespace ailedger::reports {

enum class Verdict {
  kContradicted,
  kNotChecked,
  kAgrees,  // external references found on the other log and agreeing
};
const char* VerdictName(Verdict v);  // "CONTRADICTED", "not checked", "agrees"

// The checks, as Contradiction::check names them.
inline constexpr char kCheckRelease[] = "release deployed";
inline constexpr char kCheckDecommissioned[] = "decommissioned system";
inline constexpr char kCheckCommunication[] = "incident communication";
inline constexpr char kCheckNotification[] = "regulator notification";
inline constexpr char kCheckDueDiligence[] = "due-diligence answer";
inline constexpr char kCheckAgreement[] = "agreement";
inline constexpr char kCheckExternal[] = "external reference";

struct Contradiction {
  Verdict verdict = Verdict::kContradicted;
  std::string check;        // one of kCheck*
  std::string system;       // the system concerned, "" if none
  std::string signer;       // the organisation that signed the statement
  std::string party;        // the organisation whose own records were compared
  uint64_t index = 0;       // the statement's index on this log
  int64_t occurred_ms = 0;  // the statement's occurred_at
  std::string statement;    // Cite() of the statement
  // Cite() of the records that contradict it (or, for an external reference,
  // CiteOther of the other log's entry); none when not checked.
  std::vector<std::string> evidence;
  std::string difference;  // in plain words: what differs, or why not checked
};

// Statements examined by a check and what became of them (rows: a statement
// may be contradicted in two ways).
struct CheckCount {
  size_t statements = 0, contradicted = 0, not_checked = 0, agrees = 0;
};

struct ContradictionOptions {
  // The records are the log from index 0 (a verified bundle from its first
  // leaf, with its roster proven): only then is an absence a contradiction.
  bool complete_range = false;
  // Statements that occurred in [from_ms, to_ms) only; 0, 0: all.
  int64_t from_ms = 0, to_ms = 0;
  // Another log's verified records (the CLI's --other-bundle, verified with
  // --other-vkey) and its origin: the external references naming it are
  // checked against them. Null: each reference is "not checked".
  const std::vector<Record>* other_log = nullptr;
  std::string other_origin;
  // If given, gets each check's counts, by kCheck* name.
  std::map<std::string, CheckCount>* counts = nullptr;
};

// The contradictions, the checks that could not be made and the external
// references that agree, in which `organisation` is the statement's signer
// or the party compared ("" : every organisation), in the statements' log
// order. Deterministic.
std::vector<Contradiction> FindContradictions(
    const std::vector<Record>& records, const std::string& organisation,
    const ContradictionOptions& options = {});

// A citation of an entry of another log, that a report's citation collector
// (citations.h: "idx N · ") does not take for an entry of its own log:
// "ORIGIN entry 12 · ModelVersionReleased · Aurora Credit AI · occ ...".
std::string CiteOther(const Record& r, const std::string& origin);

// A report section listing `found` (contradicted first, then not checked,
// then agreeing; at most `max_rows` rows, the rest counted and said) after
// `intro`, with a paragraph of `counts` per check.
Section ContradictionSection(const std::string& title, std::string intro,
                             const std::vector<Contradiction>& found,
                             const std::map<std::string, CheckCount>& counts,
                             size_t max_rows);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_CONTRADICTIONS_H_
