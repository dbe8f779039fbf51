// Required fields and well-formed values per event type (validation table
// version 1), checked without any state, before the queue and again by the
// offline verifier. Each failure is INVALID_ARGUMENT naming the field by its
// path, e.g. "fairness_snapshot.label_window". Every type below needs its body.
//
// - FairnessSnapshot: model version; 32-byte evaluation dataset digest; label
//   and decision windows; at least one sensitive feature with at least two
//   non-empty groups; favourable outcome; a reference group among the groups;
//   membership source; share unknown in [0, 1].
// - GroupMetricSnapshot: outcome, window, groups; n = 0 means sums of 0.
// - SocietalMetricRecorded: name, unit, population, period, method version;
//   finite value and baseline; non-negative uncertainty.
// - IncidentReported: harm types, severity, aware_at_ms, deciding party; an
//   Art. 3(49) category (a-d) or a "not serious" decision with its reason; a
//   causal link no earlier than awareness.
// - RegulatorNotificationSent: authority, ISO 3166 member state, initial or
//   complete, sent_at_ms.
//
// - SystemRegistered: intended purpose, provider, owner, EU role, risk class,
//   jurisdictions; the Annex III point when high-risk.
// - ModelVersionReleased: version (not the previous one), 32-byte artifact
//   digest, a rationale for a substantial modification, 32-byte datasheet
//   digests.
//
// Types not listed carry no body yet (the governance vocabulary grows here).
#ifndef AILEDGER_LEDGER_VALIDATION_H_
#define AILEDGER_LEDGER_VALIDATION_H_

#include "absl/status/status.h"
#include "ailedger/event.pb.h"

namespace ailedger {

absl::Status ValidateFields(const v1::Event& e);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_VALIDATION_H_
