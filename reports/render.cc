// The renderers of the report model (report.h). Every string that came from a
// log is escaped for its form: HTML entities in HTML, Markdown's table and
// emphasis characters in Markdown; control characters never reach a form.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "reports/chart.h"
#include "reports/render_table.h"
#include "reports/report.h"

namespace ailedger::reports {
namespace {

using render_internal::Html;
using render_internal::HtmlTable;
using render_internal::kEvidenceCited;
using render_internal::Md;
using render_internal::MdTable;

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
  if (!e.previous_report.empty())
    rows.push_back({"Previous report of this kind", e.previous_report});
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

Table EnvelopeTable(const Envelope& e) {
  Table t{{"", ""}, {}};
  for (auto& [label, value] : EnvelopeRows(e)) t.rows.push_back({label, value});
  return t;
}

// On A4 the text is 10pt, tables 9pt, and a row is never split across pages;
// a wide table prints on a landscape page, with its section unless the
// section has several charts; on screen a wide table's text is smaller, so that
// its columns' minima fit (checked on Chromium's screenshots and PDFs,
// e2e_report_html_test).
constexpr char kCss[] =
    "body{font-family:sans-serif;max-width:60em;margin:2em auto;color:#111}"
    "table{border-collapse:collapse;margin:1em 0;width:100%}"
    "th,td{border:1px solid #999;padding:.25em .5em;text-align:left;"
    "vertical-align:top;overflow-wrap:anywhere}"
    "th{background:#eee}table.wide{font-size:.72em}"
    ".wide th,.wide td{padding:.2em .3em}.envelope td:first-child{width:30%}"
    "figure.chart{margin:1em 0;break-inside:avoid;page-break-inside:avoid}"
    "figure.chart svg{max-width:100%;height:auto}"
    "figcaption{font-size:.9em}.nodata{font-style:italic}"
    "@media print{body{margin:0;max-width:none;font-size:10pt}"
    "table,table.wide{font-size:9pt}h2{break-after:avoid}"
    "tr{break-inside:avoid}section.wide,table.wide{page:wide}}"
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
  // The envelope's labels take a third of the width, its values (keys,
  // roots, digests) the rest.
  HtmlTable(EnvelopeTable(r.envelope), false, &out, "envelope");
  int charts = 0;  // numbers the charts' element ids, unique in the page
  for (const Section& s : r.sections) {
    const bool compact = s.title != kEvidenceCited;
    std::string tables;
    for (const Table& t : s.tables) HtmlTable(t, compact, &tables);
    // A wide table takes its heading, text and chart to the landscape page;
    // but several charts stay on portrait pages (two to a page, where a
    // landscape page holds one), the wide tables after them turning alone.
    const bool wide = s.charts.size() <= 1 &&
                      absl::StrContains(tables, "<table class=\"wide\">");
    absl::StrAppend(&out, wide ? "<section class=\"wide\">" : "<section>",
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
