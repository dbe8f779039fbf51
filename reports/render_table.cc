// Tables in the HTML and Markdown forms (render_table.h): citations shown
// compactly, and in HTML a layout that keeps words whole on A4.
#include "reports/render_table.h"

#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "ledger/base/terminal_escape.h"
#include "reports/chart_svg.h"

namespace ailedger::reports::render_internal {
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

namespace {

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

// The text a table shows for `cell`.
std::string Shown(const std::string& cell, bool compact) {
  std::string c = compact ? CompactCitations(cell) : "";
  return c.empty() ? cell : c;
}

// ---- table layout ----------------------------------------------------------
// Tables fit the page, so a cell may break a word (CSS overflow-wrap
// anywhere); but Chromium's automatic layout then squeezed short columns
// ("grou p", "contr ol", "0.800 0"). Each column gets a minimum width from
// its longest word; when the minima do not fit the page (A4 portrait at 9pt:
// 180 mm = 56 em) the longest words give way first. A table that would
// break words of ten characters or fewer in portrait is "wide": it prints on
// a landscape page (267 mm = 84 em) with narrower padding, and on screen
// its text is smaller. Estimated, not measured: the average advance of a
// DejaVu Sans character is about 0.62 em (digits 0.64), bold about 0.1 em
// more.

constexpr double kCharEm = 0.64, kBoldCharEm = 0.74;
// Padding .5em each side and borders; in a wide table .3em each side.
constexpr double kCellPadEm = 1.1, kWideCellPadEm = 0.7;
constexpr size_t kLongestWord = 24;  // longer tokens (hashes) break anyway
constexpr double kMinColumnEm = 2.75;
constexpr double kPortraitEm = 55, kLandscapeEm = 82;
constexpr double kWideWord = 10;

// Whether a line may break between s[i - 1] and s[i] inside a word of an
// identifier: "FairnessSnapshot" and "fairlearn:equalized_odds" broke at
// the page's edge ("FairnessSnaps hot"); they break at a capital after a
// lower-case letter, or after '_', ':' or '/' between a letter or digit and
// a letter ("22:13" and "50/100" stay whole). The HTML marks each such place
// with <wbr>.
bool IdentifierBreak(absl::string_view s, size_t i) {
  if (i == 0 || i >= s.size()) return false;
  const char prev = s[i - 1], c = s[i];
  if (absl::ascii_islower(prev) && absl::ascii_isupper(c)) return true;
  return (prev == '_' || prev == ':' || prev == '/') && i >= 2 &&
         absl::ascii_isalnum(s[i - 2]) && absl::ascii_isalpha(c);
}

// `html` (escaped text) with <wbr> where IdentifierBreak allows. An entity
// ("&amp;", "&#39;") holds no capital, '_', ':' or '/': none is split.
std::string WithBreaks(absl::string_view html) {
  std::string out;
  for (size_t i = 0; i < html.size(); ++i) {
    if (IdentifierBreak(html, i)) out.append("<wbr>");
    out.push_back(html[i]);
  }
  return out;
}

// The widest word of `s` in characters (code points), at most kLongestWord:
// words end at a space, after a hyphen or a dash and at an IdentifierBreak,
// where a line may break; "idx N" is one word (a no-break space joins it).
size_t LongestWord(absl::string_view s) {
  size_t longest = 0, word = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte
    if (c == ' ' && !(i >= 3 && s.substr(i - 3, 3) == "idx")) {
      word = 0;
      continue;
    }
    if (IdentifierBreak(s, i)) word = 0;
    longest = std::max(longest, ++word);
    if (c == '-' || s.substr(i, 3) == "–") word = 0;
  }
  return std::min(longest, kLongestWord);
}

struct Layout {
  std::vector<double> min_em;  // per column
  bool wide = false;
};

// The largest minimum width (em) a column may keep so that the minima of
// `want` fit `page`: the longest words give way first, the short ones keep
// whole ("group", "n", "idx 4"); never below kMinColumnEm.
double Cap(const std::vector<double>& want, double page, double pad) {
  double cap = *std::max_element(want.begin(), want.end());
  for (; cap > kMinColumnEm; cap -= 0.05) {
    double sum = 0;
    for (double w : want) sum += std::min(w, cap) + pad;
    if (sum <= page) break;
  }
  return std::max(cap, kMinColumnEm);
}

Layout LayoutOf(const Table& t, bool compact) {
  size_t columns = t.header.size();
  for (const auto& row : t.rows) columns = std::max(columns, row.size());
  std::vector<double> want(columns, kMinColumnEm);
  for (size_t j = 0; j < t.header.size(); ++j) {
    want[j] = std::max(
        want[j], static_cast<double>(LongestWord(t.header[j])) * kBoldCharEm);
  }
  for (const auto& row : t.rows) {
    for (size_t j = 0; j < row.size(); ++j) {
      want[j] = std::max(
          want[j],
          static_cast<double>(LongestWord(Shown(row[j], compact))) * kCharEm);
    }
  }
  Layout layout;
  if (want.empty()) return layout;
  // Landscape only when portrait would break words of kWideWord characters
  // or fewer: a page of another orientation costs a page break.
  const double longest = *std::max_element(want.begin(), want.end());
  layout.wide = Cap(want, kPortraitEm, kCellPadEm) <
                std::min(longest, kWideWord * kCharEm);
  const double cap = layout.wide ? Cap(want, kLandscapeEm, kWideCellPadEm)
                                 : Cap(want, kPortraitEm, kCellPadEm);
  for (double w : want) layout.min_em.push_back(std::min(w, cap));
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

}  // namespace

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

void HtmlTable(const Table& t, bool compact, std::string* out,
               absl::string_view cls) {
  const Layout layout = LayoutOf(t, compact);
  if (layout.wide) cls = "wide";
  absl::StrAppend(out, "<table",
                  cls.empty() ? "" : absl::StrCat(" class=\"", cls, "\""), ">");
  const bool header =
      std::any_of(t.header.begin(), t.header.end(),
                  [](const std::string& c) { return !c.empty(); });
  if (header) {
    out->append("<thead><tr>");
    for (size_t j = 0; j < t.header.size(); ++j)
      absl::StrAppend(out, CellOpen("th", layout, j, true),
                      WithBreaks(Html(t.header[j])), "</th>");
    out->append("</tr></thead>");
  }
  out->append("<tbody>\n");
  bool first = !header;
  for (const auto& row : t.rows) {
    out->append("<tr>");
    for (size_t j = 0; j < row.size(); ++j) {
      const std::string c = compact ? CompactCitations(row[j]) : "";
      if (c.empty()) {
        absl::StrAppend(out, CellOpen("td", layout, j, first),
                        WithBreaks(Html(row[j])), "</td>");
        continue;
      }
      std::string open = CellOpen("td", layout, j, first);
      open.insert(open.size() - 1,
                  absl::StrCat(" class=\"cite\" title=\"", Html(row[j]), "\""));
      absl::StrAppend(
          out, open,
          WithBreaks(absl::StrReplaceAll(Html(c), {{"idx ", "idx&nbsp;"}})),
          "</td>");
    }
    out->append("</tr>\n");
    first = false;
  }
  out->append("</tbody></table>\n");
}

}  // namespace ailedger::reports::render_internal
