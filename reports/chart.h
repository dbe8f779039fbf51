// Charts in a report (issue 13, "Forms": "Charts where people would rather
// look than read"). A chart is data first: the HTML form draws it as an
// inline SVG (no script, no external reference, readable in greyscale print:
// every mark also has a shape, a dash or a label, never colour alone), the
// Markdown form prints the same data as a table, and the JSON form carries
// the data. Deterministic: numbers are formatted without the locale and
// nothing reads the clock, so the same chart gives the same bytes.
//
// Three kinds cover the report's uses:
//   kSeries   metric time series per system and group, with thresholds,
//             breaches and series breaks; also the assessment level over
//             time (step = true, y_ticks naming the levels).
//   kTimeline incident timelines: events per row and a deadline met or
//             missed.
//   kGrid     a status grid such as the SoA: rows x columns of short labels,
//             each with a status class, and a legend.
// A chart with no data renders as a sentence ("no data"), never an empty
// picture.
#ifndef AILEDGER_REPORTS_CHART_H_
#define AILEDGER_REPORTS_CHART_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "nlohmann/json.hpp"

namespace ailedger::reports {

struct Table;  // report.h

// ---- kSeries ----------------------------------------------------------------

struct ChartPoint {
  int64_t t_ms = 0;  // x: milliseconds since the Unix epoch, UTC
  double y = 0;
  bool breach = false;  // drawn as a red, labelled marker and listed
  std::string cite;     // Cite(record) of the record the figure comes from
};

struct ChartSeries {
  std::string name;                // e.g. the group ("age 18-25") or the system
  std::vector<ChartPoint> points;  // drawn in the given order
  bool step = false;  // a step line (a level holds until the next one)
};

// A horizontal line, e.g. the plan metric's threshold (y = 0.8). The SVG
// labels it "LABEL Y", or LABEL alone when it already writes Y.
struct ChartThreshold {
  double y = 0;
  std::string label;
};

// A vertical marker: the series are not comparable across it (model,
// threshold or method changed).
struct ChartBreak {
  int64_t t_ms = 0;
  std::string label;
  std::string cite;
};

// ---- kTimeline --------------------------------------------------------------

struct TimelineEvent {
  int64_t t_ms = 0;
  std::string label;  // "aware", "reported", ...
  std::string cite;
};

enum class DeadlineOutcome {
  kNone,           // the row has no deadline
  kMet,            // done by the deadline
  kMissed,         // done after it, or not done and it has passed
  kOpen,           // not done, not yet due (as of the report)
  kNotApplicable,  // measured, but the obligation did not apply yet
};

struct TimelineRow {
  std::string label;  // e.g. the incident
  std::string note;   // free text shown in the table and under the row
  std::vector<TimelineEvent> events;
  DeadlineOutcome outcome = DeadlineOutcome::kNone;
  int64_t deadline_ms = 0;     // used unless outcome is kNone
  std::string deadline_label;  // e.g. "Art. 73(2) 15 days"
};

// ---- kGrid ------------------------------------------------------------------

enum class CellStatus {
  kEvidenced,
  kStale,
  kMissing,
  kNotDetermined,
  kNotApplicable,
  kOther,
};

// "evidenced", "stale", "missing", "not determined", "not applicable",
// "other": the legend's and the JSON's names.
const char* CellStatusName(CellStatus s);

struct GridCell {
  std::string text;  // short ("yes", "STALE"); empty: the status name
  CellStatus status = CellStatus::kOther;
  std::string cite;
};

struct GridRow {
  std::string label;            // e.g. "A.2.2 AI policy"
  std::vector<GridCell> cells;  // one per column; missing cells are blank
};

// ---- the chart --------------------------------------------------------------

struct Chart {
  enum class Kind { kSeries, kTimeline, kGrid };
  Kind kind = Kind::kSeries;
  std::string title;    // heading and the SVG's accessible <title>
  std::string caption;  // what it shows and how to read it

  // kSeries.
  std::string y_label;                 // e.g. "selection-rate ratio"
  int y_decimals = 3;                  // fixed decimals of values
  std::optional<double> y_min, y_max;  // the axis' ends; else from the data
  // Ticks with names (e.g. {1, "Level I"} ... {4, "Level IV"}); else round
  // numeric ticks (a step of 1, 2, 2.5 or 5 x 10^k, written with the step's
  // decimals) over the data, the thresholds and y_min/y_max.
  std::vector<std::pair<double, std::string>> y_ticks;
  std::vector<ChartSeries> series;
  std::vector<ChartThreshold> thresholds;
  std::vector<ChartBreak> breaks;

  // kTimeline.
  std::vector<TimelineRow> rows;

  // kGrid.
  std::vector<std::string> columns;
  std::vector<GridRow> grid;
};

// True when there is nothing to draw: no point, no timeline event or
// deadline, no grid row.
bool ChartEmpty(const Chart& c);

// The HTML form: a <figure> holding the inline <svg> (ids prefixed with
// `id_prefix`, which must be unique in the page), its caption and, for
// series, the list of breaches; for an empty chart a <p> saying "no data".
std::string ChartHtml(const Chart& c, const std::string& id_prefix);

// The data as tables (the Markdown form): the data is the truth, the
// picture a view of it. Empty for an empty chart.
std::vector<Table> ChartTables(const Chart& c);

// The JSON form: kind, title, caption and the data, keys in sorted order.
nlohmann::json ChartJson(const Chart& c);

}  // namespace ailedger::reports

#endif  // AILEDGER_REPORTS_CHART_H_
