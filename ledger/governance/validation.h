// Required fields and well-formed values per event type (validation table
// version 1), checked without any state: before the queue, and again by the
// offline verifier. Each failure is INVALID_ARGUMENT naming the field by its
// path, e.g. "fairness_snapshot.label_window" or "monitoring_plan.metrics[0]".
//
// Four layers, in this order, after the text of every string
// (validation_text.h; a rule of role table version 2, roles.h): no control
// character in an identifier (an organisation, a subject's kind or id, a
// display name, ...), none but tab, newline and carriage return in free text,
// e.g. "subjects[0].id: control character U+0000 at byte 14".
//  1. The body: an event whose type has a body message (the oneof field whose
//     message is named like the type) must carry it.
//  2. Required fields, from the table in validation.cc: a string, bytes or
//     repeated field is non-empty, an enum is set, a number is above zero, a
//     message is present; "a[].b" is required in every element of `a`.
//  3. The envelope: framework references in the standards' own ids
//     (frameworks.h); a reference to another log names its origin and a
//     32-byte leaf hash. Then well-formed values anywhere in the event: digests
//     and event ids (fields ending in sha256, _event_id(s) or root_hash) are 32
//     bytes, periods have 0 < start_ms < end_ms, numbers are finite.
//  4. Rules of a type that no table can say (validation_rules.cc): a reference
//     group among the groups, an Art. 3(49) category or a "not serious"
//     decision, an Annex A control id, the FRIA elements of an Art. 27
//     assessment, ...
//
// docs/VOCABULARY.md has the table in prose. Rules that need the log
// (references resolve, lifecycle order, approvals) are in references.h,
// lifecycle.h and approvals.h.
#ifndef AILEDGER_LEDGER_GOVERNANCE_VALIDATION_H_
#define AILEDGER_LEDGER_GOVERNANCE_VALIDATION_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"
#include "ledger/governance/roles.h"

namespace ailedger {

// `log_version`: the role table version of the log the event is for
// (Roster::role_table_version(); 0 before its genesis). The text of strings is
// checked only where AppliesVersion2Rules(RulesVersionOf(e, log_version)), so
// that a log written under version 1 verifies as it was written.
absl::Status ValidateFields(const v1::Event& e,
                            uint32_t log_version = kRoleTableVersion);

// The body field of an event type ("FairnessSnapshot" ->
// "fairness_snapshot"); empty when the type has no body message.
std::string BodyFieldOf(absl::string_view event_type);
// The required field paths of a type, relative to its body: at every version,
// and those role table version 3 adds (validation_v3.h).
std::vector<std::string> RequiredFields(absl::string_view event_type);
std::vector<std::string> RequiredFieldsV3(absl::string_view event_type);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_VALIDATION_H_
