// ISO/IEC 42001:2023 Annex A (Table A.1): the 38 control ids and short titles,
// in the standard's order. Source: intuitem/ciso-assistant-community
// backend/library/libraries/iso42001-2023.yaml @ 08e3a3ee; a
// copy of that list is tests/data/domain/iso42001-annexA-controls.json and a
// test keeps the two equal. Numbering starts at x.2 in each objective: x.1 is
// the objective statement. Controls beyond Annex A are written "x:" + a name.
#ifndef AILEDGER_LEDGER_GOVERNANCE_ISO42001_H_
#define AILEDGER_LEDGER_GOVERNANCE_ISO42001_H_

#include <utility>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace ailedger {

struct AnnexAControl {
  absl::string_view id, title;
};

absl::Span<const AnnexAControl> AnnexAControls();
bool IsAnnexAControl(absl::string_view id);

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_GOVERNANCE_ISO42001_H_
