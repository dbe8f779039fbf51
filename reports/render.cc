// The renderers of the report model (report.h). Every string that came from a
// log is escaped for its form: HTML entities in HTML, Markdown's table and
// emphasis characters in Markdown; control characters never reach a form.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/time/time.h"
#include "ledger/base/terminal_escape.h"
#include "reports/chart.h"
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

void MdTable(const Table& t, std::string* out) {
  std::vector<std::string> h, sep;
  for (const auto& c : t.header) {
    h.push_back(Md(c));
    sep.push_back("---");
  }
  absl::StrAppend(out, "| ", absl::StrJoin(h, " | "), " |\n| ",
                  absl::StrJoin(sep, " | "), " |\n");
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (const auto& c : row) cells.push_back(Md(c));
    absl::StrAppend(out, "| ", absl::StrJoin(cells, " | "), " |\n");
  }
  out->append("\n");
}

void HtmlTable(const Table& t, std::string* out) {
  out->append("<table><thead><tr>");
  for (const auto& c : t.header) absl::StrAppend(out, "<th>", Html(c), "</th>");
  out->append("</tr></thead><tbody>\n");
  for (const auto& row : t.rows) {
    out->append("<tr>");
    for (const auto& c : row) absl::StrAppend(out, "<td>", Html(c), "</td>");
    out->append("</tr>\n");
  }
  out->append("</tbody></table>\n");
}

Table EnvelopeTable(const Envelope& e) {
  Table t{{"", ""}, {}};
  for (auto& [label, value] : EnvelopeRows(e)) t.rows.push_back({label, value});
  return t;
}

// Tables fit the page (a word may break), but no column is squeezed below
// 2.75em, where "100" or "INC-1" broke into pieces (14 such columns still
// fit A4 at 9pt); the envelope's header row is empty; on A4 the text is
// 10pt, tables 9pt, and a row is never split across pages (checked on
// Chromium's screenshots, e2e_report_html_test).
constexpr char kCss[] =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}"
    "table{border-collapse:collapse;margin:1em 0;width:100%}"
    "th,td{border:1px solid #999;padding:.25em .5em;text-align:left;"
    "vertical-align:top;word-break:break-word;min-width:2.75em}"
    "th{background:#eee}h1+table thead{display:none}"
    "figure.chart{margin:1em 0;break-inside:avoid;page-break-inside:avoid}"
    "figure.chart svg{max-width:100%;height:auto}"
    "figcaption{font-size:.9em}.nodata{font-style:italic}"
    "@media print{body{margin:0;font-size:10pt}table{font-size:9pt}"
    "h2{break-after:avoid}tr{break-inside:avoid}}"
    "@page{size:A4;margin:15mm}";

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
  for (const Table& t : ChartTables(c)) MdTable(t, out);
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
  MdTable(EnvelopeTable(r.envelope), &out);
  for (const Section& s : r.sections) {
    absl::StrAppend(&out, "## ", Md(s.title), "\n\n");
    for (const auto& p : s.paragraphs) absl::StrAppend(&out, Md(p), "\n\n");
    for (const Chart& c : s.charts) MdChart(c, &out);
    for (const Table& t : s.tables) MdTable(t, &out);
  }
  return out;
}

std::string RenderHtml(const Report& r) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n",
      kCsp, "<title>", Html(r.title), "</title><style>", kCss,
      "</style></head><body>\n<h1>", Html(r.title), "</h1>\n");
  HtmlTable(EnvelopeTable(r.envelope), &out);
  int charts = 0;  // numbers the charts' element ids, unique in the page
  for (const Section& s : r.sections) {
    absl::StrAppend(&out, "<h2>", Html(s.title), "</h2>\n");
    for (const auto& p : s.paragraphs)
      absl::StrAppend(&out, "<p>", Html(p), "</p>\n");
    for (const Chart& c : s.charts)
      out.append(ChartHtml(c, absl::StrCat("chart", ++charts)));
    for (const Table& t : s.tables) HtmlTable(t, &out);
  }
  out.append("</body></html>\n");
  return out;
}

}  // namespace ailedger::reports
