// The renderers of the report model (report.h). Every string that came from a
// log is escaped for its form: HTML entities in HTML, Markdown's table and
// emphasis characters in Markdown; control characters never reach a form.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "ledger/base/terminal_escape.h"
#include "reports/chart.h"
#include "reports/chart_svg.h"
#include "reports/report.h"

namespace ailedger::reports {
namespace {

std::string Time(uint64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ",
                          absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

// (label, value) rows of the envelope, in a fixed order.
std::vector<std::pair<std::string, std::string>> EnvelopeRows(
    const Envelope& e) {
  std::vector<std::pair<std::string, std::string>> rows = {
      {"Log", e.origin},
      {"Log keys (the reader's)", absl::StrJoin(e.log_keys, ", ")},
      {"Verified range", absl::StrCat("[", e.from, ", ", e.to, ")")},
      {"Complete range", e.complete_range
                             ? "yes: from index 0, the roster proven"
                             : "no: claims of completeness do not hold"},
      {"Checkpoint",
       absl::StrCat("size ", e.checkpoint_size, ", root ", e.checkpoint_root)},
      {"Witness cosignatures (reader's policy)", absl::StrCat(e.cosignatures)},
      {"Verification", e.verified ? "VERIFIED" : "FAILED: " + e.failure},
      {"Generator", e.generator},
  };
  for (const auto& [name, digest] : e.reference_data)
    rows.push_back({"Reference data: " + name, "SHA-256 " + digest});
  for (const auto& [name, value] : e.parameters)
    rows.push_back({"Parameter: " + name, value});
  for (const WitnessedCheckpoint& w : e.witnessed) {
    for (const auto& [witness, t] : w.times) {
      rows.push_back(
          {absl::StrCat("Witnessed: entries below ", w.size),
           absl::StrCat("no later than ", Time(t), " per ", witness)});
    }
  }
  return rows;
}

std::string Html(absl::string_view s) {
  return absl::StrReplaceAll(EscapeForTerminal(s), {{"&", "&amp;"},
                                                    {"<", "&lt;"},
                                                    {">", "&gt;"},
                                                    {"\"", "&quot;"},
                                                    {"'", "&#39;"}});
}

std::string Md(absl::string_view s) {
  return absl::StrReplaceAll(EscapeForTerminal(s), {{"\\", "\\\\"},
                                                    {"|", "\\|"},
                                                    {"*", "\\*"},
                                                    {"_", "\\_"},
                                                    {"`", "\\`"},
                                                    {"<", "&lt;"},
                                                    {"\n", " "}});
}

// ---- citations in table cells ----------------------------------------------
// A cell holding a whole citation (Cite, records.h: "idx N · type ·
// organisation · occ D · rec D (+n d) · id HEX") made every row of a wide
// table tall and broke its other columns mid-word on A4. Tables show it as
// "idx N": the full line is in the title attribute (HTML), in the section
// "Evidence cited" (by index) and in the JSON form, which renders the report
// model and is never compacted.

constexpr absl::string_view kDot = " · ";
constexpr absl::string_view kId = " · id ";

// The length of the citation at the start of `s`, 0 if `s` does not start
// with "idx N · "; `*idx` is set to its "idx N". A citation ends after its
// event id, or without one at the next "; idx " or the end of `s`.
size_t CitationAt(absl::string_view s, absl::string_view* idx) {
  if (!absl::StartsWith(s, "idx ")) return 0;
  size_t i = 4;
  while (i < s.size() && absl::ascii_isdigit(s[i])) ++i;
  if (i == 4 || s.substr(i, kDot.size()) != kDot) return 0;
  *idx = s.substr(0, i);
  const size_t next = s.find("; idx ", i);
  const size_t id = s.find(kId, i);
  if (id == absl::string_view::npos || id > next)
    return next == absl::string_view::npos ? s.size() : next;
  size_t end = id + kId.size();
  while (end < s.size() && absl::ascii_isxdigit(s[end])) ++end;
  return end;
}

// `cell` with each citation at its start, or after "; " following one, as
// "idx N" and any other text kept; "" when it does not start with one.
std::string CompactCitations(absl::string_view cell) {
  absl::string_view idx;
  size_t n = CitationAt(cell, &idx);
  if (n == 0) return "";
  std::string out;
  for (;;) {
    absl::StrAppend(&out, idx);
    cell.remove_prefix(n);
    if (!absl::StartsWith(cell, "; ")) break;
    n = CitationAt(cell.substr(2), &idx);
    if (n == 0) break;
    out.append("; ");
    cell.remove_prefix(2);
  }
  absl::StrAppend(&out, cell);
  return out;
}

// The section whose table lists each cited entry in full (citations.cc): its
// cells are never compacted.
constexpr char kEvidenceCited[] = "Evidence cited";

// The text a table shows for `cell`.
std::string Shown(const std::string& cell, bool compact) {
  std::string c = compact ? CompactCitations(cell) : "";
  return c.empty() ? cell : c;
}

void MdTable(const Table& t, bool compact, std::string* out) {
  std::vector<std::string> h, sep;
  for (const auto& c : t.header) {
    h.push_back(Md(c));
    sep.push_back("---");
  }
  absl::StrAppend(out, "| ", absl::StrJoin(h, " | "), " |\n| ",
                  absl::StrJoin(sep, " | "), " |\n");
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const auto& c : row) cells.push_back(Md(Shown(c, compact)));
    absl::StrAppend(out, "| ", absl::StrJoin(cells, " | "), " |\n");
  }
  out->append("\n");
}

// ---- table layout
// ------------------------------------------------------------ Tables fit the
// page, so a cell may break a word (CSS overflow-wrap anywhere); but Chromium's
// automatic layout then squeezed short columns
// ("grou p", "contr ol", "0.800 0"). Each column gets a minimum width from
// its longest word, scaled down only when the minima would not fit the page
// (A4 portrait at 9pt: 180 mm = 56 em); a table whose words need more is
// "wide": its section prints on a landscape page (267 mm = 84 em), and on
// screen the table's text is smaller. Estimated, not measured: the average
// advance of a sans-serif character is about 0.6 em (DejaVu Sans, digits
// 0.64), bold about 0.1 em more.

constexpr double kCharEm = 0.62, kBoldCharEm = 0.7;
constexpr double kCellPadEm = 1.1;   // padding .5em each side, borders
constexpr size_t kLongestWord = 14;  // longer tokens (hashes) break anyway
constexpr double kMinColumnEm = 2.75;
constexpr double kPortraitEm = 54, kLandscapeEm = 80;

// The widest word of `s` in characters (code points), at most kLongestWord:
// words end at a space or after a hyphen or a dash, where a line may break;
// "idx N" is one word (a no-break space joins it).
size_t LongestWord(absl::string_view s) {
  size_t longest = 0, word = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    if (c == ' ' && !(i >= 3 && s.substr(i - 3, 3) == "idx")) {
      word = 0;
      continue;
    }
    longest = std::max(longest, ++word);
    if (c == '-' || s.substr(i, 3) == "–") word = 0;
  }
  return std::min(longest, kLongestWord);
}

struct Layout {
  std::vector<double> min_em;  // per column
  bool wide = false;
};

Layout LayoutOf(const Table& t, bool compact) {
  size_t columns = t.header.size();
  for (const auto& row : t.rows) columns = std::max(columns, row.size());
  std::vector<double> want(columns, 0);
  for (size_t j = 0; j < t.header.size(); ++j)
    want[j] = static_cast<double>(LongestWord(t.header[j])) * kBoldCharEm;
  for (const auto& row : t.rows) {
    for (size_t j = 0; j < row.size(); ++j) {
      want[j] = std::max(
          want[j],
          static_cast<double>(LongestWord(Shown(row[j], compact))) * kCharEm);
    }
  }
  Layout layout;
  double sum = 0;
  for (double& w : want) {
    w = std::max(w, kMinColumnEm);
    sum += w + kCellPadEm;
  }
  layout.wide = sum > kPortraitEm;
  const double page = layout.wide ? kLandscapeEm : kPortraitEm;
  const double pads = kCellPadEm * static_cast<double>(columns);
  const double scale = sum > page ? (page - pads) / (sum - pads) : 1;
  for (double w : want)
    layout.min_em.push_back(std::max(kMinColumnEm, w * scale));
  return layout;
}

// The cell `tag` with its minimum width (first row only: it sets the
// column's).
std::string CellOpen(const char* tag, const Layout& layout, size_t j,
                     bool first) {
  if (!first || j >= layout.min_em.size()) return absl::StrCat("<", tag, ">");
  return absl::StrCat("<", tag, " style=\"min-width:",
                      chart_internal::Fixed(layout.min_em[j], 1), "em\">");
}

// A table as HTML; no header row when every header cell is empty (the
// envelope's label/value pairs).
void HtmlTable(const Table& t, bool compact, std::string* out) {
  const Layout layout = LayoutOf(t, compact);
  out->append(layout.wide ? "<table class=\"wide\">" : "<table>");
  const bool header =
      std::any_of(t.header.begin(), t.header.end(),
                  [](const std::string& c) { return !c.empty(); });
  if (header) {
    out->append("<thead><tr>");
    for (size_t j = 0; j < t.header.size(); ++j)
      absl::StrAppend(out, CellOpen("th", layout, j, true), Html(t.header[j]),
                      "</th>");
    out->append("</tr></thead>");
  }
  out->append("<tbody>\n");
  bool first = !header;
  for (const auto& row : t.rows) {
    out->append("<tr>");
    for (size_t j = 0; j < row.size(); ++j) {
      const std::string c = compact ? CompactCitations(row[j]) : "";
      if (c.empty()) {
        absl::StrAppend(out, CellOpen("td", layout, j, first), Html(row[j]),
                        "</td>");
        continue;
      }
      std::string open = CellOpen("td", layout, j, first);
      open.insert(open.size() - 1,
                  absl::StrCat(" class=\"cite\" title=\"", Html(row[j]), "\""));
      absl::StrAppend(out, open,
                      absl::StrReplaceAll(Html(c), {{"idx ", "idx&nbsp;"}}),
                      "</td>");
    }
    out->append("</tr>\n");
    first = false;
  }
  out->append("</tbody></table>\n");
}

Table EnvelopeTable(const Envelope& e) {
  Table t{{"", ""}, {}};
  for (auto& [label, value] : EnvelopeRows(e)) t.rows.push_back({label, value});
  return t;
}

// On A4 the text is 10pt, tables 9pt, and a row is never split across pages;
// a section holding a wide table prints on a landscape page, and on screen
// a wide table's text is smaller, so that its columns' minima fit (checked on
// Chromium's screenshots and PDFs, e2e_report_html_test).
constexpr char kCss[] =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}"
    "table{border-collapse:collapse;margin:1em 0;width:100%}"
    "th,td{border:1px solid #999;padding:.25em .5em;text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}"
    "th{background:#eee}table.wide{font-size:.68em}"
    "figure.chart{margin:1em 0;break-inside:avoid;page-break-inside:avoid}"
    "figure.chart svg{max-width:100%;height:auto}"
    "figcaption{font-size:.9em}.nodata{font-style:italic}"
    "@media print{body{margin:0;font-size:10pt}table,table.wide{font-size:9pt}"
    "h2{break-after:avoid}tr{break-inside:avoid}section.wide{page:wide}}"
    "@page{size:A4;margin:15mm}@page wide{size:A4 landscape}";

// No request ever leaves the page: not a script, a font or an image (the
// charts are inline SVG, the style inline).
constexpr char kCsp[] =
    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src "
    "'none'; style-src 'unsafe-inline'; img-src data:\">";

// The charts of every section, in order, for the JSON form: each with the
// title of its section.
nlohmann::json ChartsJson(const Report& r) {
  nlohmann::json charts = nlohmann::json::array();
  for (const Section& s : r.sections) {
    for (const Chart& c : s.charts) {
      nlohmann::json j = ChartJson(c);
      j["section"] = s.title;
      charts.push_back(std::move(j));
    }
  }
  return charts;
}

// A chart in Markdown: its title and caption, then its data as tables.
void MdChart(const Chart& c, std::string* out) {
  absl::StrAppend(out, "**Chart: ", Md(c.title), ".**",
                  c.caption.empty() ? "" : absl::StrCat(" ", Md(c.caption)),
                  "\n\n");
  if (ChartEmpty(c)) {
    out->append("No data.\n\n");
    return;
  }
  for (const Table& t : ChartTables(c)) MdTable(t, true, out);
}

}  // namespace

std::string RenderJson(const Report& r) {
  const Envelope& e = r.envelope;
  nlohmann::json env = nlohmann::json::object();
  for (auto& [label, value] : EnvelopeRows(e)) env[label] = value;
  nlohmann::json j = {{"kind", r.kind},
                      {"title", r.title},
                      {"envelope", env},
                      {"verified", e.verified},
                      {"complete_range", e.complete_range},
                      {"charts", ChartsJson(r)},
                      {"data", r.data}};
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string RenderMarkdown(const Report& r) {
  std::string out = absl::StrCat("# ", Md(r.title), "\n\n");
  MdTable(EnvelopeTable(r.envelope), false, &out);
  for (const Section& s : r.sections) {
    absl::StrAppend(&out, "## ", Md(s.title), "\n\n");
    for (const auto& p : s.paragraphs) absl::StrAppend(&out, Md(p), "\n\n");
    for (const Chart& c : s.charts) MdChart(c, &out);
    const bool compact = s.title != kEvidenceCited;
    for (const Table& t : s.tables) MdTable(t, compact, &out);
  }
  return out;
}

std::string RenderHtml(const Report& r) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n",
      kCsp, "<title>", Html(r.title), "</title><style>", kCss,
      "</style></head><body>\n<h1>", Html(r.title), "</h1>\n");
  HtmlTable(EnvelopeTable(r.envelope), false, &out);
  int charts = 0;  // numbers the charts' element ids, unique in the page
  for (const Section& s : r.sections) {
    const bool compact = s.title != kEvidenceCited;
    std::string tables;
    for (const Table& t : s.tables) HtmlTable(t, compact, &tables);
    // A wide table takes its heading and text to the landscape page.
    absl::StrAppend(&out,
                    absl::StrContains(tables, "<table class=\"wide\">")
                        ? "<section class=\"wide\">"
                        : "<section>",
                    "\n<h2>", Html(s.title), "</h2>\n");
    for (const auto& p : s.paragraphs)
      absl::StrAppend(&out, "<p>", Html(p), "</p>\n");
    for (const Chart& c : s.charts)
      out.append(ChartHtml(c, absl::StrCat("chart", ++charts)));
    absl::StrAppend(&out, tables, "</section>\n");
  }
  out.append("</body></html>\n");
  return out;
}

}  // namespace ailedger::reports
