// Internal to render.cc: the tables of the HTML and Markdown forms. Not for
// reports: they use report.h.
//
// A cell whose text is a citation (Cite, records.h: "idx N · type · ...")
// shows as "idx N" in both forms, the full line in the HTML cell's title
// attribute; the section "Evidence cited" lists every cited entry in full
// (render.cc does not compact it) and the JSON form is never compacted.
#ifndef AILEDGER_REPORTS_RENDER_TABLE_H_
#define AILEDGER_REPORTS_RENDER_TABLE_H_

#include <string>

#include "absl/strings/string_view.h"
#include "reports/report.h"

namespace ailedger::reports::render_internal {

// The section whose table lists each cited entry in full (citations.cc).
inline constexpr char kEvidenceCited[] = "Evidence cited";

// Text from a log escaped for HTML text and attributes, and for Markdown.
std::string Html(absl::string_view s);
std::string Md(absl::string_view s);

// `t` as a Markdown table; citations compact when `compact`.
void MdTable(const Table& t, bool compact, std::string* out);

// `t` as an HTML table, of class `cls` (or "wide", when its columns need a
// landscape page); no header row when every header cell is empty (the
// envelope's label/value pairs); citations compact when `compact`; each
// column's minimum width on the first row's cells; identifiers may break
// between their parts (<wbr>).
void HtmlTable(const Table& t, bool compact, std::string* out,
               absl::string_view cls = "");

}  // namespace ailedger::reports::render_internal

#endif  // AILEDGER_REPORTS_RENDER_TABLE_H_
