// Worked examples of event bodies, for demos, benchmarks and tests: the
// fairness test vector (group A privileged: TP 40 FP 10 TN 40 FN 10; group B:
// TP 21 FP 9 TN 51 FN 19), whose Fairlearn demographic-parity ratio is 0.60
// (selection rates 0.30 / 0.50), below the four-fifths screening ratio.
#ifndef AILEDGER_LEDGER_GOVERNANCE_EXAMPLES_H_
#define AILEDGER_LEDGER_GOVERNANCE_EXAMPLES_H_

#include <cstdint>

#include "ailedger/event.pb.h"

namespace ailedger {

v1::FairnessSnapshot ExampleFairnessSnapshot();
// A serious incident (Art. 3(49)(c)) decided by the provider, aware since
// `aware_at_ms`.
v1::IncidentReported ExampleIncidentReported(int64_t aware_at_ms);
// Gives `e` a valid body when its type has one and it has none: a worked
// example for the types whose rules need one, placeholders in every required
// field otherwise. Event ids in it do not resolve: set them where it matters.
void FillExampleBody(v1::Event* e);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_EXAMPLES_H_
