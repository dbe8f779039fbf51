#include "ledger/governance/frameworks.h"

#include <cctype>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "ledger/governance/iso42001.h"

namespace ailedger {
namespace {

// NIST AI 100-1 (AI RMF 1.0); the subcategory ranges of each category, as in
// tests/data/domain/nist-ai-rmf-1.0-categories.json.
constexpr NistCategory kNist[] = {
    {"GOVERN", 1, 7},   {"GOVERN", 2, 3},  {"GOVERN", 3, 2},  {"GOVERN", 4, 3},
    {"GOVERN", 5, 2},   {"GOVERN", 6, 2},  {"MAP", 1, 6},     {"MAP", 2, 3},
    {"MAP", 3, 5},      {"MAP", 4, 2},     {"MAP", 5, 2},     {"MEASURE", 1, 3},
    {"MEASURE", 2, 13}, {"MEASURE", 3, 3}, {"MEASURE", 4, 3}, {"MANAGE", 1, 4},
    {"MANAGE", 2, 4},   {"MANAGE", 3, 2},  {"MANAGE", 4, 3},
};

// A positive decimal number written the one standard way: "7", "12", not
// "07", "+7" or " 7".
bool Number(absl::string_view p, int* n) {
  if (p.empty() || p.size() > 3 || p[0] == '0') return false;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
  }
  return absl::SimpleAtoi(p, n);
}

absl::Status Bad(absl::string_view ref, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("'", ref, "' ", why));
}

// Clause 4 to 10, with subclauses: "9", "9.2", "9.2.2".
bool IsIso42001Clause(absl::string_view id) {
  std::vector<absl::string_view> parts = absl::StrSplit(id, '.');
  int clause = 0;
  if (!Number(parts[0], &clause) || clause < 4 || clause > 10) return false;
  for (absl::string_view p : parts) {
    int n = 0;
    if (!Number(p, &n)) return false;
  }
  return true;
}

// The clauses of ISO/IEC 42001:2023 (the harmonized structure of Annex SL):
// a reference to a clause names one of these.
constexpr absl::string_view kClauses[] = {
    "4",     "4.1",   "4.2",   "4.3",   "4.4",   "5",     "5.1",   "5.2",
    "5.3",   "6",     "6.1",   "6.1.1", "6.1.2", "6.1.3", "6.1.4", "6.2",
    "6.3",   "7",     "7.1",   "7.2",   "7.3",   "7.4",   "7.5",   "7.5.1",
    "7.5.2", "7.5.3", "8",     "8.1",   "8.2",   "8.3",   "8.4",   "9",
    "9.1",   "9.2",   "9.2.1", "9.2.2", "9.3",   "9.3.1", "9.3.2", "9.3.3",
    "10",    "10.1",  "10.2"};

bool IsExistingIso42001Clause(absl::string_view id) {
  for (absl::string_view c : kClauses) {
    if (c == id) return true;
  }
  return false;
}

// "MEASURE", "MEASURE-2" or "MEASURE-2.11" (or with a space).
bool IsNistId(absl::string_view id) {
  const size_t sep = id.find_first_of("- ");
  const absl::string_view function = id.substr(0, sep);
  int category = 0, sub = 0;
  if (sep != absl::string_view::npos) {
    std::vector<absl::string_view> nums =
        absl::StrSplit(id.substr(sep + 1), '.');
    if (nums.size() > 2 || !Number(nums[0], &category) ||
        (nums.size() == 2 && !Number(nums[1], &sub))) {
      return false;
    }
  }
  for (const NistCategory& c : kNist) {
    if (c.function != function) continue;
    if (category == 0 && sep == absl::string_view::npos) return true;
    if (c.category == category && sub <= c.subcategories) return true;
  }
  return false;
}

}  // namespace

absl::Span<const NistCategory> NistCategories() { return kNist; }

absl::Status CheckFrameworkRef(absl::string_view ref, bool existing_clauses) {
  const size_t colon = ref.find(':');
  if (colon == absl::string_view::npos || colon == 0 ||
      colon + 1 == ref.size()) {
    return Bad(ref, "is not namespace:identifier (e.g. iso42001:A.6.2.8)");
  }
  for (char c : ref.substr(0, colon)) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '-')
      return Bad(ref, "has a namespace other than lower-case letters");
  }
  const absl::string_view ns = ref.substr(0, colon), id = ref.substr(colon + 1);
  if (std::isspace(static_cast<unsigned char>(id.front())) ||
      std::isspace(static_cast<unsigned char>(id.back())))
    return Bad(ref, "has spaces around its identifier");
  if (ns == "iso42001" && id[0] == 'A' && !IsAnnexAControl(id))
    return Bad(ref, "is not an ISO/IEC 42001:2023 Annex A control");
  if (ns == "iso42001" && id[0] != 'A' && !IsIso42001Clause(id))
    return Bad(ref, "is neither an Annex A control nor a clause 4-10");
  if (ns == "iso42001" && id[0] != 'A' && existing_clauses &&
      !IsExistingIso42001Clause(id))
    return Bad(ref, "is not a clause of ISO/IEC 42001:2023 (4.1 to 10.2)");
  if (ns == "nist" && !IsNistId(id))
    return Bad(ref,
               "is not a NIST AI RMF 1.0 function, category or "
               "subcategory (e.g. nist:MEASURE-2.11)");
  return absl::OkStatus();
}

}  // namespace ailedger
