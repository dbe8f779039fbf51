// Framework references ("namespace:identifier", Event.framework_refs) in the
// standards' own identifiers (docs/VOCABULARY.md):
//
//   iso42001:A.6.2.8     an ISO/IEC 42001:2023 Annex A control (iso42001.h),
//   iso42001:9.2.2       or a clause 4-10 with its subclauses;
//   nist:MEASURE-2.11    a NIST AI RMF 1.0 function, category or subcategory
//                        ("MEASURE", "MEASURE-2", "MEASURE-2.11"; a space may
//                        stand for the hyphen);
//   euaia:art73(4), ca-dadm:aia, gdpr:art35, ...   other namespaces: any
//                        identifier without spaces at its ends.
//
// A wrong id (the draft's "A.5.1.1", "MEASURE-2.14") is INVALID_ARGUMENT: a
// report would otherwise count evidence against a control that does not exist.
#ifndef AILEDGER_LEDGER_GOVERNANCE_FRAMEWORKS_H_
#define AILEDGER_LEDGER_GOVERNANCE_FRAMEWORKS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ailedger {

// NIST AI 100-1: each category with its number of subcategories (72 in all).
struct NistCategory {
  absl::string_view function;
  int category;
  int subcategories;
};
absl::Span<const NistCategory> NistCategories();

// OK, or INVALID_ARGUMENT saying what is wrong (without the field name).
// `existing_clauses` (role table version 3): an iso42001 clause must be one
// the standard has (4.1 to 10.2 and their sub-clauses), not any numbering.
absl::Status CheckFrameworkRef(absl::string_view ref,
                               bool existing_clauses = false);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_FRAMEWORKS_H_
