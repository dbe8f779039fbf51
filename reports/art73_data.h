// The EU AI Act reference data the Art. 73 clocks count with, shipped in
// data/eu-ai-act/ and embedded at build time (cmake/embed_files.cmake;
// data/eu-ai-act/README.md says where each file comes from): the regime table
// (when Art. 73 applies to which systems), the Member States' legal time, and
// the public-holiday calendars. Each is named in a report by file, version and
// SHA-256.
#ifndef AILEDGER_REPORTS_ART73_DATA_H_
#define AILEDGER_REPORTS_ART73_DATA_H_

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/types/span.h"
#include "reports/art73_calendar.h"

namespace ailedger::reports::art73 {

namespace internal {

struct EmbeddedFile {
  const char* name;  // path under data/eu-ai-act/, e.g. "holidays/DE.json"
  const unsigned char* data;
  size_t size;

  absl::string_view bytes() const {
    return absl::string_view(reinterpret_cast<const char*>(data), size);
  }
};

// Every shipped file, in the order reports/CMakeLists.txt lists them.
absl::Span<const EmbeddedFile> EmbeddedFiles();

}  // namespace internal

// One row of the regime table: from when Art. 73 applies to a class of
// systems (never, for `applies_from` unset).
struct RegimeRule {
  std::string id;  // "annex-iii", "annex-i", "not-high-risk"
  std::string systems;
  std::string source;  // the article that sets the date
  std::optional<absl::CivilDay> applies_from;
};

struct RegimeTable {
  std::string file, sha256, name, version, status, legacy, pending;
  // Art. 111(2): systems placed on the market or put into service before
  // this day fall under the Regulation only after a significant change.
  std::optional<absl::CivilDay> legacy_before;
  std::vector<RegimeRule> rules;

  const RegimeRule* Find(absl::string_view id) const;
};

struct LegalTimeTable {
  std::string file, sha256, name, version, summer_time, scope;
  std::map<std::string, LegalTime> states;  // ISO 3166-1 alpha-2
};

struct ReferenceData {
  RegimeTable regime;
  LegalTimeTable legal_time;
  std::map<std::string, HolidayCalendar> calendars;  // by Member State
};

// Parses the files (names as in EmbeddedFile): "art73-regime.json",
// "legal-time.json" and "holidays/CC.json". INVALID_ARGUMENT naming the file
// and field for a malformed one, or when the regime or legal-time table is
// missing.
absl::StatusOr<ReferenceData> ParseReferenceData(
    absl::Span<const internal::EmbeddedFile> files);

// The shipped data, parsed once (thread-safe). An error here is a defect of
// the shipped files, which art73_test catches.
const absl::StatusOr<ReferenceData>& Shipped();

}  // namespace ailedger::reports::art73

#endif  // AILEDGER_REPORTS_ART73_DATA_H_
