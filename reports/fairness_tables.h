// The tables of the fairness report (fairness_report.h), one row per group,
// per disparity or per snapshot, from the system's analysis
// (fairness_analysis.h). In the public edition a group below the minimum
// cell count is "suppressed (<k)", and so is everything derivable from it:
// its ratios and tests, the ratios of every group to it when it is the
// highest or the reference group, the overall counts and rates (the overall
// minus the other groups would give it back) and every Fairlearn disparity
// of its feature (a maximum or minimum may be its rate). Internal to
// reports/.
#ifndef AILEDGER_REPORTS_FAIRNESS_TABLES_H_
#define AILEDGER_REPORTS_FAIRNESS_TABLES_H_

#include "reports/fairness_analysis.h"
#include "reports/report.h"

namespace ailedger::reports::fairness_tables {

// evidence, feature, group, n, selection rate (Wilson), ratio to highest
// (Katz), ratio to reference (Katz), Fisher p of the selection rate vs the
// reference (corrected), TPR, FPR, Fisher p of TPR and of FPR (corrected).
Table Groups(const SystemAnalysis& a, const MetricOptions& o);

// evidence, feature, metric, convention, value (exact): the overall rates,
// Fairlearn's disparities (between_groups and to_overall) and AIF360's of
// each group against the reference.
Table Disparities(const SystemAnalysis& a, const MetricOptions& o);

// evidence, model version, decision threshold, method version, population,
// membership source, positive label, plan metric and why it was chosen
// (NIST MEASURE 2.11), minimum n.
Table Snapshots(const SystemAnalysis& a);

}  // namespace ailedger::reports::fairness_tables

#endif  // AILEDGER_REPORTS_FAIRNESS_TABLES_H_
