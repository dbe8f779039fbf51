// The fairness snapshots of one system analysed together, as a report needs
// them (issue 13, "Fairness"; DOMAIN.md §10.5; review 2026-11 §5.2 item 7):
// the current snapshots (superseded and retracted ones left out, said why),
// each recomputed from its counts (fairness.h) with the minimum n of its plan
// metric, and Fisher's exact tests against the reference (selection rate,
// TPR, FPR) adjusted together across groups x metrics x periods by the
// report's method. Also the report parameters every fairness and metric
// figure depends on (MetricOptions), each recorded in the envelope.
#ifndef AILEDGER_REPORTS_FAIRNESS_ANALYSIS_H_
#define AILEDGER_REPORTS_FAIRNESS_ANALYSIS_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "ailedger/event.pb.h"
#include "reports/fairness.h"
#include "reports/intervals.h"
#include "reports/records.h"

namespace ailedger::reports {

inline constexpr uint64_t kDefaultMinN = 30;
inline constexpr uint64_t kDefaultMinCell = 10;

// The auditor edition prints every cell; the public edition suppresses small
// cells (review 2026-11 §5.3 item 15).
enum class Edition { kAuditor, kPublic };

// Parameters of the fairness and metric figures (a CLI exposes each).
struct MetricOptions {
  // Significance level: a corrected p below it is "significant", and the
  // Wilson and Katz intervals are at 1 - alpha.
  double alpha = 0.05;
  AdjustMethod adjust = AdjustMethod::kHolm;
  // A group with fewer decisions is "insufficient data". Unset: the plan
  // metric's min_cell_count where a snapshot names one, else kDefaultMinN.
  std::optional<uint64_t> min_n;
  Edition edition = Edition::kAuditor;
  // Public edition: a cell (group) with n below this is "suppressed (<k)"
  // and nothing derivable from it is printed.
  uint64_t min_cell = kDefaultMinCell;

  // The n below which a cell is suppressed: 0 (none) in the auditor edition.
  uint64_t SuppressBelow() const {
    return edition == Edition::kPublic ? min_cell : 0;
  }
  bool Suppressed(uint64_t n) const { return n < SuppressBelow(); }
  std::string SuppressedText() const;  // "suppressed (<10)"
};

// INVALID_ARGUMENT naming the option for alpha outside (0, 1) or a public
// edition with a minimum cell count of 0.
absl::Status CheckMetricOptions(const MetricOptions& o);

// Sets the option a command-line flag names from its text, for a CLI:
// "alpha" (0 < a < 1), "adjust" ("holm" or "bh"), "min-n" (a count),
// "edition" ("auditor" or "public"), "min-cell" (a count). INVALID_ARGUMENT
// naming the flag for an unknown flag or a bad value.
absl::Status SetMetricOption(const std::string& flag, const std::string& value,
                             MetricOptions* o);

// (name, value) of each option, for Envelope.parameters.
std::vector<std::pair<std::string, std::string>> MetricParameters(
    const MetricOptions& o);

// Whether an entry is current: superseded or retracted by a later entry
// (Event.supersedes, Retraction), with the citation of the later entry.
class RecordStatus {
 public:
  explicit RecordStatus(const std::vector<Record>& records);
  // "" when current, else "superseded by idx N: reason" or "retracted by ...".
  std::string Of(const Record& r) const;

 private:
  std::map<std::string, std::string> status_;  // event id bytes -> text
};

// The MonitoringPlans in the records.
class Plans {
 public:
  explicit Plans(const std::vector<Record>& records);
  const Record* Plan(const std::string& event_id) const;
  const v1::PlannedMetric* Metric(const Record& plan,
                                  const std::string& metric_id) const;
  // The latest plan about `system` at or before `index` (log order) with a
  // metric for `event_type` named `name` (SocietalMetricRecorded has no
  // plan_event_id: matched by name).
  std::pair<const Record*, const v1::PlannedMetric*> ByName(
      const std::string& system, const std::string& event_type,
      const std::string& name, uint64_t index) const;

 private:
  std::map<std::string, const Record*> by_id_;
  std::vector<const Record*> in_order_;
};

bool About(const Record& r, const std::string& system);
// The systems the records name as subjects of `organisation`'s events,
// sorted.
std::vector<std::string> SystemsOf(const std::vector<Record>& records,
                                   const std::string& organisation);

enum class TestedRate { kSelectionRate, kTpr, kFpr };
std::string TestedRateName(TestedRate t);  // "selection rate", "TPR", "FPR"

struct SnapshotAnalysis {
  const Record* record = nullptr;
  const Record* plan = nullptr;  // the MonitoringPlan it names, if present
  const v1::PlannedMetric* metric = nullptr;  // that plan's metric
  uint64_t min_n = kDefaultMinN;
  absl::Status status;  // not OK: no rates, and why
  std::vector<FairnessResult> features;
  // The corrected p of each Fisher test, by feature, parallel to its
  // fisher_*_vs_reference; nullopt when the test is not in the family
  // (insufficient data, or no p).
  struct Adjusted {
    std::vector<std::optional<double>> sr, tpr, fpr;
  };
  std::vector<Adjusted> adjusted;

  const std::vector<FisherTest>& Tests(size_t feature, TestedRate t) const;
  const std::vector<std::optional<double>>& AdjustedP(size_t feature,
                                                      TestedRate t) const;
};

struct SystemAnalysis {
  std::string system;
  std::vector<SnapshotAnalysis> snapshots;  // current ones, log order
  std::vector<std::string> left_out;        // cited, with why
  size_t family = 0;                        // tests corrected together
};

// The FairnessSnapshots about `system` that occurred in [from_ms, to_ms).
SystemAnalysis AnalyseSystem(const std::vector<Record>& records,
                             const Plans& plans, const RecordStatus& status,
                             const std::string& system, int64_t from_ms,
                             int64_t to_ms, const MetricOptions& o);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_FAIRNESS_ANALYSIS_H_
