// The SVG of the charts drawn row by row (chart.h): incident timelines and
// status grids. As in chart_svg.cc, nothing relies on colour alone: a
// deadline's outcome is written beside its row ("MISSED" in bold), a cell
// carries its label and, for the statuses an auditor looks for, a hatch.
#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "reports/chart_svg.h"

namespace ailedger::reports::chart_internal {
namespace {

struct DeadlineStyle {
  const char* cls;
  const char* text;  // beside the row
  const char* stroke;
};

DeadlineStyle StyleOf(DeadlineOutcome o) {
  switch (o) {
    case DeadlineOutcome::kMet:
      return {"met", "met", " stroke=\"#1b7e1b\" stroke-width=\"2\""};
    case DeadlineOutcome::kMissed:
      return {"missed", "MISSED", " stroke=\"#c00000\" stroke-width=\"3\""};
    case DeadlineOutcome::kOpen:
      return {"open", "open",
              " stroke=\"#555\" stroke-width=\"2\" stroke-dasharray=\"3 2\""};
    case DeadlineOutcome::kNotApplicable:
    case DeadlineOutcome::kNone:
      break;
  }
  return {"na", "n/a",
          " stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"1 2\""};
}

struct CellStyle {
  const char* fill;
  const char* pattern;  // "" or the id suffix of a <pattern>
};

CellStyle StyleOf(CellStatus s) {
  switch (s) {
    case CellStatus::kEvidenced:
      return {"#c7e9c0", ""};
    case CellStatus::kStale:
      return {"#fdd0a2", "dots"};
    case CellStatus::kMissing:
      return {"#f4a6a6", "hatch"};
    case CellStatus::kNotDetermined:
      return {"#ffffff", "cross"};
    case CellStatus::kNotApplicable:
      return {"#e3e3e3", ""};
    case CellStatus::kOther:
      break;
  }
  return {"#ffffff", ""};
}

// A swatch of status `s` (its fill, then its hatch over it).
std::string Swatch(CellStatus s, const std::string& id, double x, double y,
                   double w, double h) {
  const CellStyle st = StyleOf(s);
  std::string out =
      Rect(x, y, w, h, absl::StrCat(" fill=\"", st.fill, "\" stroke=\"#999\""));
  if (*st.pattern) {
    absl::StrAppend(&out, Rect(x, y, w, h,
                               absl::StrCat(" fill=\"url(#", Xml(id), "-",
                                            st.pattern, ")\"")));
  }
  return out;
}

std::string Patterns(const std::string& id) {
  const std::string p = Xml(id);
  return absl::StrCat(
      "<defs><pattern id=\"", p,
      "-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
      "patternTransform=\"rotate(45)\"><line x1=\"0\" y1=\"0\" x2=\"0\" "
      "y2=\"6\" stroke=\"#000\" stroke-opacity=\"0.4\" "
      "stroke-width=\"1.5\"/></pattern><pattern id=\"",
      p,
      "-cross\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
      "<path d=\"M0 0L6 6M6 0L0 6\" stroke=\"#000\" stroke-opacity=\"0.3\"/>"
      "</pattern><pattern id=\"",
      p,
      "-dots\" width=\"5\" height=\"5\" patternUnits=\"userSpaceOnUse\">"
      "<circle cx=\"2.5\" cy=\"2.5\" r=\"1\" fill=\"#000\" "
      "fill-opacity=\"0.45\"/></pattern></defs>\n");
}

}  // namespace

std::string TimelineSvg(const Chart& c, const std::string& id) {
  int64_t t0 = std::numeric_limits<int64_t>::max();
  int64_t t1 = std::numeric_limits<int64_t>::min();
  auto see = [&](int64_t t) {
    t0 = std::min(t0, t);
    t1 = std::max(t1, t);
  };
  for (const TimelineRow& r : c.rows) {
    for (const TimelineEvent& e : r.events) see(e.t_ms);
    if (r.outcome != DeadlineOutcome::kNone) see(r.deadline_ms);
  }
  const double left = 180, right = kWidth - 70, top = 8, row_h = 36;
  const double bottom = top + row_h * static_cast<double>(c.rows.size());
  const Scale x = TimeScale(t0, t1, left, right);
  const double legend_top = bottom + 36;
  std::string out = Open(c, id, kWidth, static_cast<int>(legend_top) + 6);
  absl::StrAppend(&out, Line(left, bottom, right, bottom, " stroke=\"#333\""),
                  "\n", TimeTicks(x, bottom));
  for (size_t i = 0; i < c.rows.size(); ++i) {
    const TimelineRow& r = c.rows[i];
    const double ry = top + row_h * static_cast<double>(i), cy = ry + 20;
    absl::StrAppend(&out, "<g class=\"row\"><title>", Xml(r.label),
                    r.note.empty() ? "" : absl::StrCat(": ", Xml(r.note)),
                    "</title>");
    if (i % 2 == 1)
      absl::StrAppend(&out, Rect(0, ry, kWidth, row_h, " fill=\"#f4f4f4\""));
    absl::StrAppend(&out, Text(4, cy + 4, Trunc(r.label, 28)));
    double lo = right, hi = left;
    for (const TimelineEvent& e : r.events) {
      lo = std::min(lo, x(static_cast<double>(e.t_ms)));
      hi = std::max(hi, x(static_cast<double>(e.t_ms)));
    }
    const bool deadline = r.outcome != DeadlineOutcome::kNone;
    const double dx = x(static_cast<double>(r.deadline_ms));
    if (deadline) lo = std::min(lo, dx), hi = std::max(hi, dx);
    if (lo < hi)
      absl::StrAppend(
          &out, Line(lo, cy, hi, cy, " stroke=\"#999\" stroke-width=\"2\""));
    absl::StrAppend(&out, "\n");
    for (size_t k = 0; k < r.events.size(); ++k) {
      const TimelineEvent& e = r.events[k];
      const double ex = x(static_cast<double>(e.t_ms));
      absl::StrAppend(
          &out, "<g class=\"ev\"><title>", Xml(e.label), " ", Day(e.t_ms),
          e.cite.empty() ? "" : absl::StrCat(" (", Xml(e.cite), ")"),
          "</title><circle cx=\"", P(ex), "\" cy=\"", P(cy),
          "\" r=\"4\" fill=\"#1f4e9c\" stroke=\"#000\"/>",
          Text(ex, k % 2 == 0 ? cy - 8 : cy + 15, Trunc(e.label, 18),
               " font-size=\"9\" text-anchor=\"middle\" stroke=\"#fff\" "
               "stroke-width=\"3\" paint-order=\"stroke\""),
          "</g>\n");
    }
    if (deadline) {
      const DeadlineStyle st = StyleOf(r.outcome);
      absl::StrAppend(
          &out, "<g class=\"deadline ", st.cls, "\"><title>deadline ",
          Xml(r.deadline_label), " ", Day(r.deadline_ms), ": ", st.text,
          "</title>", Line(dx, cy - 12, dx, cy + 12, st.stroke),
          Text(right + 8, cy + 4, st.text,
               r.outcome == DeadlineOutcome::kMissed ? " font-weight=\"bold\""
                                                     : ""),
          "</g>\n");
    }
    absl::StrAppend(&out, "</g>\n");
  }
  // The legend: an event, and a deadline in each outcome drawn.
  absl::StrAppend(&out, "<circle cx=\"20\" cy=\"", P(legend_top - 4),
                  "\" r=\"4\" fill=\"#1f4e9c\" stroke=\"#000\"/>",
                  Text(30, legend_top, "event"), "\n");
  int k = 1;
  for (DeadlineOutcome o :
       {DeadlineOutcome::kMet, DeadlineOutcome::kMissed, DeadlineOutcome::kOpen,
        DeadlineOutcome::kNotApplicable}) {
    if (std::none_of(c.rows.begin(), c.rows.end(),
                     [o](const TimelineRow& r) { return r.outcome == o; }))
      continue;
    const DeadlineStyle st = StyleOf(o);
    auto [lx, ly] = LegendAt(k++, legend_top);
    absl::StrAppend(&out, Line(lx + 12, ly - 11, lx + 12, ly + 2, st.stroke),
                    Text(lx + 30, ly, absl::StrCat("deadline ", st.text)),
                    "\n");
  }
  out.append("</svg>\n");
  return out;
}

std::string GridSvg(const Chart& c, const std::string& id) {
  size_t columns = c.columns.size();
  for (const GridRow& r : c.grid) columns = std::max(columns, r.cells.size());
  columns = std::max<size_t>(columns, 1);
  const double label_w = 210, header_h = 30, row_h = 18;
  const double cell_w =
      std::max(48.0, (kWidth - label_w - 8) / static_cast<double>(columns));
  const size_t cell_chars = static_cast<size_t>(cell_w / 6.5);
  const int width =
      static_cast<int>(label_w + cell_w * static_cast<double>(columns) + 8);
  std::vector<CellStatus> seen;
  for (const GridRow& r : c.grid) {
    for (const GridCell& g : r.cells) {
      if (std::find(seen.begin(), seen.end(), g.status) == seen.end())
        seen.push_back(g.status);
    }
  }
  std::sort(seen.begin(), seen.end());
  const double bottom = header_h + row_h * static_cast<double>(c.grid.size());
  const double legend_top = bottom + 22;
  const int height = static_cast<int>(
      legend_top + 16 * static_cast<double>((seen.size() + 3) / 4) + 2);
  std::string out = Open(c, id, width, height);
  out.append(Patterns(id));
  for (size_t j = 0; j < c.columns.size(); ++j) {
    absl::StrAppend(&out,
                    Text(label_w + cell_w * (static_cast<double>(j) + 0.5),
                         header_h - 8, Trunc(c.columns[j], cell_chars),
                         " font-weight=\"bold\" text-anchor=\"middle\""),
                    "\n");
  }
  for (size_t i = 0; i < c.grid.size(); ++i) {
    const GridRow& r = c.grid[i];
    const double ry = header_h + row_h * static_cast<double>(i);
    absl::StrAppend(&out, "<g class=\"gridrow\"><title>", Xml(r.label),
                    "</title>", Text(4, ry + 13, Trunc(r.label, 34)), "\n");
    for (size_t j = 0; j < r.cells.size(); ++j) {
      const GridCell& g = r.cells[j];
      const std::string text =
          g.text.empty() ? CellStatusName(g.status) : g.text;
      const double cx = label_w + cell_w * static_cast<double>(j);
      absl::StrAppend(
          &out, "<g class=\"cell\"><title>",
          j < c.columns.size() ? absl::StrCat(Xml(c.columns[j]), ": ") : "",
          Xml(text), " (", CellStatusName(g.status), ")",
          g.cite.empty() ? "" : absl::StrCat(" ", Xml(g.cite)), "</title>",
          Swatch(g.status, id, cx, ry, cell_w, row_h),
          Text(cx + cell_w / 2, ry + 13, Trunc(text, cell_chars),
               " font-size=\"10\" text-anchor=\"middle\""),
          "</g>\n");
    }
    out.append("</g>\n");
  }
  for (size_t k = 0; k < seen.size(); ++k) {
    auto [lx, ly] = LegendAt(static_cast<int>(k), legend_top);
    absl::StrAppend(&out, Swatch(seen[k], id, lx, ly - 10, 22, 12),
                    Text(lx + 30, ly, CellStatusName(seen[k])), "\n");
  }
  out.append("</svg>\n");
  return out;
}

}  // namespace ailedger::reports::chart_internal
