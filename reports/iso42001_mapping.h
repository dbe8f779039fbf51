// The shipped, versioned mappings the ISO/IEC 42001 evidence pack judges
// evidence by (data/iso42001/, README there): event types -> the 38 Annex A
// controls and the documented information of clauses 4-10
// (event-mapping.json), and ISO/IEC 42001 <-> EU AI Act articles <-> NIST AI
// RMF 1.0 categories (crosswalk.json). Embedded at build time
// (cmake/embed_files.cmake); each is named in a report by its version and the
// SHA-256 of its bytes. Kept apart from what authors claim (framework_refs)
// and from what auditors accept (AuditFinding): a mapping says which records
// are candidate evidence, nothing more.
#ifndef AILEDGER_REPORTS_ISO42001_MAPPING_H_
#define AILEDGER_REPORTS_ISO42001_MAPPING_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "ailedger/event.pb.h"

namespace ailedger::reports::iso42001 {

// A type whose records are candidate evidence of a control; `when`, if not
// empty, one of the qualifiers of data/iso42001/README.md ("revision",
// "origin-internal", ...) that a record must meet.
struct EvidenceRule {
  std::string type;
  std::string when;
};

struct ControlMapping {
  std::string control;                 // "A.6.2.8"
  std::vector<EvidenceRule> evidence;  // empty: no record type evidences it
  std::string gap;                     // what the vocabulary lacks, if said
};

// An item of documented information of clauses 4-10 and the types holding it.
struct ClauseItem {
  std::string clause;  // "9.1"
  std::string item;
  std::vector<std::string> types;  // empty: "no record type"
  std::string gap;
};

struct EventMapping {
  std::string file, version, sha256_hex;
  uint32_t default_review_days = 0;
  std::vector<ControlMapping> controls;  // the 38, in the standard's order
  std::vector<ClauseItem> clauses;

  // nullptr for an id the mapping does not hold (an own "x:" control).
  const ControlMapping* Control(absl::string_view id) const;
};

struct CrosswalkLink {
  std::string topic;
  std::vector<std::string> iso42001;  // controls "A.x.y" and clauses "9.1"
  std::vector<std::string> euaia;     // "art12"
  std::vector<std::string> nist;      // "MEASURE-3"
};

struct Crosswalk {
  std::string file, version, sha256_hex;
  // (id, title) in the file's order.
  std::vector<std::pair<std::string, std::string>> euaia, nist;
  std::vector<CrosswalkLink> links;
};

// INVALID_ARGUMENT naming the path of what is wrong: not JSON, a missing or
// mistyped key, a control other than the 38 (each exactly once, in order), a
// clause ISO/IEC 42001:2023 lacks, an event type the vocabulary lacks, a
// `when` unknown or on another type, a link to an undeclared article or
// category. `file` names the file in messages and in the result.
absl::StatusOr<EventMapping> ParseEventMapping(absl::string_view json,
                                               absl::string_view file);
absl::StatusOr<Crosswalk> ParseCrosswalk(absl::string_view json,
                                         absl::string_view file);

// The shipped files, parsed on first use. INTERNAL if one does not parse (a
// defect of the build: iso42001_report_test loads both).
absl::StatusOr<const EventMapping*> ShippedEventMapping();
absl::StatusOr<const Crosswalk*> ShippedCrosswalk();

// Whether `record` (of `rule.type`) meets `rule.when`. `earlier_titles`: the
// titles of the organisation's PolicyPublished records before it, for
// "revision".
bool MeetsWhen(const EvidenceRule& rule, const v1::Event& record,
               const std::vector<std::string>& earlier_titles);

// The embedded bytes of data/iso42001/ (cmake/embed_files.cmake).
struct ShippedFile {
  const char* name;
  const unsigned char* data;
  size_t size;

  absl::string_view bytes() const {
    return absl::string_view(reinterpret_cast<const char*>(data), size);
  }
};
absl::Span<const ShippedFile> ShippedFiles();

}  // namespace ailedger::reports::iso42001

#endif  // AILEDGER_REPORTS_ISO42001_MAPPING_H_
