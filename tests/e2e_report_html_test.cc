// The HTML reports opened in real headless Chromium (issue 13, "Tests": "the
// HTML report opened in real headless Chromium, with checks on the rendered
// page (sections present, charts drawn, no network request) and a screenshot
// kept as a test artefact"). A small log of the real ailedgerd (a system, a
// released version, two fairness snapshots three months apart, an incident)
// gives the annual, fairness and ISO 42001 reports; each page's DOM as
// Chromium built it holds the report's headings and drawn charts, no request
// left the page (every request of the run goes through a loopback proxy that
// counts connections), a screenshot of the first A4 page is kept in
// test-artifacts/, and PrintPdf prints it. Chromium is installed by
// tools/setup.sh: its absence is a failure, not a skip.
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "client/report_pdf.h"
#include "ledger/base/file_util.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/governance/examples.h"
#include "ledger/tlog/contexts.h"
#include "tests/testing/e2e_fixture.h"
#include "tests/testing/loopback.h"

namespace ailedger {
namespace {

namespace fs = std::filesystem;

constexpr char kSetUp[] =
    "headless Chromium is needed: run tools/setup.sh (it installs Debian's "
    "chromium)";

// A proxy that answers nothing: it counts the connections made to it and
// keeps each request's first line, for the failure message.
class CountingProxy {
 public:
  CountingProxy() {
    fd_ = testing::ListenOnLoopback(16, &port_);
    thread_ = std::thread([this] { Loop(); });
  }
  ~CountingProxy() {
    stop_ = true;
    thread_.join();
    close(fd_);
  }
  std::string url() const { return absl::StrCat("http://127.0.0.1:", port_); }
  // What arrived so far; waits a little first, for connections the kernel
  // has completed but the loop has not yet accepted.
  std::vector<std::string> Requests() {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void Loop() {
    while (!stop_) {
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, 20) <= 0) continue;
      const int c = accept(fd_, nullptr, nullptr);
      if (c < 0) continue;
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back("(connected)");
      }
      testing::SetSocketTimeouts(c, 1);
      std::string line = testing::ReadUntil(c, "\r\n");
      close(c);
      std::lock_guard<std::mutex> lock(mu_);
      requests_.back() = line.substr(0, line.find("\r\n"));
    }
  }

  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_ = false;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
};

// The HTML without the namespace URIs, which name and fetch nothing.
std::string WithoutNamespaces(const std::string& html) {
  return absl::StrReplaceAll(html, {{"http://www.w3.org/2000/svg", ""},
                                    {"http://www.w3.org/1999/xhtml", ""},
                                    {"http://www.w3.org/1999/xlink", ""}});
}

// `html`'s text with its character references resolved (those render.cc
// writes), so that the source and Chromium's serialisation compare.
std::string Unescape(absl::string_view html) {
  return absl::StrReplaceAll(html, {{"&#39;", "'"},
                                    {"&quot;", "\""},
                                    {"&lt;", "<"},
                                    {"&gt;", ">"},
                                    {"&amp;", "&"}});
}

// The inner HTML of every <TAG>...</TAG> of `html`, in order.
std::vector<std::string> Elements(const std::string& html,
                                  const std::string& tag) {
  std::vector<std::string> out;
  const std::string open = "<" + tag, close = "</" + tag + ">";
  for (size_t at = html.find(open); at != std::string::npos;
       at = html.find(open, at + 1)) {
    const char next = html[at + open.size()];
    if (next != '>' && next != ' ') continue;
    const size_t start = html.find('>', at) + 1;
    const size_t end = html.find(close, start);
    if (end == std::string::npos) break;
    out.push_back(html.substr(start, end - start));
  }
  return out;
}

// The drawn data marks of `svg`: a plotted point, a timeline event or a grid
// cell, each a group holding a shape.
int Marks(const std::string& svg) {
  int marks = 0;
  for (const char* cls :
       {"<g class=\"pt", "<g class=\"ev\"", "<g class=\"cell\""}) {
    for (size_t at = svg.find(cls); at != std::string::npos;
         at = svg.find(cls, at + 1)) {
      const std::string g = svg.substr(at, svg.find("</g>", at) - at);
      for (const char* shape :
           {"<circle", "<rect", "<polygon", "<path", "<line", "<polyline"})
        if (absl::StrContains(g, shape)) {
          ++marks;
          break;
        }
    }
  }
  return marks;
}

// The text of every <TAG> heading of `html`, in order.
std::vector<std::string> Headings(const std::string& html,
                                  const std::string& tag) {
  std::vector<std::string> out;
  for (const std::string& h : Elements(html, tag)) out.push_back(Unescape(h));
  return out;
}

// Whether `svg` draws a series through two points or more (a path with a
// second vertex, before the series' point marks).
bool HasLine(const std::string& svg) {
  const std::string series = "<g class=\"series\">";
  for (size_t at = svg.find(series); at != std::string::npos;
       at = svg.find(series, at + 1)) {
    const size_t end = std::min(svg.find("<g ", at + 1), svg.find("</g>", at));
    const size_t d = svg.find(" d=\"M", at);
    if (d >= end) continue;
    const std::string path = svg.substr(d + 5, svg.find('"', d + 5) - d - 5);
    if (path.find_first_of("LH") != std::string::npos) return true;
  }
  return false;
}

// Whether the file at `path` starts with `magic` and has more than `min`
// bytes.
::testing::AssertionResult FileLooksLike(const std::string& path,
                                         const std::string& magic,
                                         uintmax_t min) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec) return ::testing::AssertionFailure() << "no file at " << path;
  if (size <= min)
    return ::testing::AssertionFailure()
           << path << " has " << size << " bytes, not more than " << min;
  auto bytes = ReadSmallFile(path);
  if (!bytes.ok() || bytes->rfind(magic, 0) != 0)
    return ::testing::AssertionFailure()
           << path << " does not start with " << absl::CEscape(magic);
  return ::testing::AssertionSuccess() << path << ": " << size << " bytes";
}

class ReportHtmlTest : public testing::E2eTest {
 protected:
  uint32_t RulesVersion() const override { return 3; }

  void Push(const std::string& type, int64_t t_ms,
            const std::function<void(v1::Event*)>& edit = nullptr) {
    PushExample(type, t_ms, edit);
  }

  // A year of one system: registered, a version released, two fairness
  // snapshots a quarter apart (group B's selection rate 0.30, then 0.36),
  // an incident.
  void FillLog() {
    constexpr int64_t kDay = 86'400'000;
    constexpr int64_t kJun1 = 1685577600000;  // 2023-06-01
    Push("SystemRegistered", kJun1);
    Push("ModelVersionReleased", kJun1 + kDay, [](v1::Event* e) {
      e->mutable_model_version_released()->set_version(
          ExampleFairnessSnapshot().model_version());
    });
    Push("FairnessSnapshot", kJun1 + 95 * kDay, [&](v1::Event* e) {
      v1::FairnessSnapshot* f = e->mutable_fairness_snapshot();
      f->mutable_label_window()->set_start_ms(kJun1);
      f->mutable_label_window()->set_end_ms(kJun1 + 92 * kDay);
      *f->mutable_decision_window() = f->label_window();
    });
    Push("FairnessSnapshot", kJun1 + 187 * kDay, [&](v1::Event* e) {
      v1::ConfusionCell* b =
          e->mutable_fairness_snapshot()->mutable_features(0)->mutable_cells(1);
      b->set_tp(25);  // selection rate (25 + 11) / 100 = 0.36
      b->set_fp(11);
      b->set_tn(49);
      b->set_fn(15);
    });
    Push("IncidentReported", 1700000000000);
    ExportBundle("b");
  }

  // `ailedger report KIND ARGS` as HTML (and JSON, for its title) into
  // out/KIND; the HTML file's path.
  std::string Report(const std::vector<std::string>& args,
                     const std::string& file) {
    std::vector<std::string> argv = {"report"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(),
                {"--bundle", Path("b"), "--vkey", Vkey("log"), "--admin-vkey",
                 Vkey("admin"), "--out", Path("out"), "--format", "html,json"});
    auto r = Cli(argv);
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    return Path("out/" + file + ".html");
  }

  // Chromium's run of `args` on `html`, through `proxy`, stdout to `out`.
  absl::Status Chromium(const std::vector<std::string>& args,
                        const std::string& html, const CountingProxy& proxy,
                        const std::string& out = "") {
    ChromiumOptions o;
    o.proxy = proxy.url();
    o.stdout_path = out;
    o.timeout = absl::Seconds(30);
    return RunChromium(args, FileUrl(html), o);
  }
};

// What one report's page must show: headings that must be there and
// whether a series must be drawn as a line (the two snapshots).
struct Page {
  std::vector<std::string> report;  // after "report"
  std::string file;                 // out/FILE.html
  std::vector<std::string> sections;
  bool line;
};

TEST_F(ReportHtmlTest, RenderedWithSectionsAndChartsAndNoRequest) {
  auto chromium = FindChromium();
  ASSERT_TRUE(chromium.ok()) << chromium.status() << ": " << kSetUp;
  ASSERT_NO_FATAL_FAILURE(FillLog());
  const fs::path artefacts = AILEDGER_TEST_ARTIFACTS_DIR;
  fs::create_directories(artefacts);
  const Page pages[] = {
      {{"annual", "--organisation", "Acme AI", "--year", "2023"},
       "annual-impact",
       {"Incidents and the EU AI Act Art. 73 clock", "Evidence cited"},
       true},
      {{"fairness", "--system", "credit"},
       "fairness",
       {"Evidence cited"},
       true},
      {{"iso42001", "--organisation", "Acme AI"},
       "iso42001-evidence",
       {"Evidence cited"},
       false},
  };
  CountingProxy proxy;
  for (const Page& page : pages) {
    SCOPED_TRACE(page.file);
    const std::string html = Report(page.report, page.file);
    auto text = ReadSmallFile(html);
    ASSERT_TRUE(text.ok()) << text.status();
    const std::string source = WithoutNamespaces(*text);
    EXPECT_FALSE(absl::StrContains(source, "http://") ||
                 absl::StrContains(source, "https://"))
        << "a URL in " << html;

    // The DOM as Chromium built it.
    auto start = std::chrono::steady_clock::now();
    const std::string dom_path = Path(page.file + ".dom.html");
    ASSERT_TRUE(Chromium({"--dump-dom"}, html, proxy, dom_path).ok());
    const auto dom_time = std::chrono::steady_clock::now() - start;
    const std::string dom = ReadSmallFile(dom_path).value();
    const nlohmann::json j = nlohmann::json::parse(
        ReadSmallFile(Path("out/" + page.file + ".json")).value());
    const std::vector<std::string> h1 = Headings(dom, "h1");
    ASSERT_EQ(h1.size(), 1u) << dom.substr(0, 2000);
    EXPECT_EQ(h1[0], j["title"].get<std::string>());
    const std::vector<std::string> h2 = Headings(dom, "h2");
    EXPECT_EQ(h2, Headings(*text, "h2"));  // every section, in order
    for (const std::string& title : page.sections)
      EXPECT_NE(std::find(h2.begin(), h2.end(), title), h2.end())
          << "no section " << title;
    int marks = 0;
    bool line = false;
    for (const std::string& svg : Elements(dom, "svg")) {
      marks += Marks(svg);
      line |= HasLine(svg);
    }
    EXPECT_GT(marks, 0) << "no chart draws a mark";
    if (page.line) {
      EXPECT_TRUE(line) << "no series drawn through two points";
    }

    // The first A4 page as a reader sees it (1240 x 1754 px: A4 at 150 dpi).
    start = std::chrono::steady_clock::now();
    const std::string png = (artefacts / ("report-" + page.file + ".png"));
    ASSERT_TRUE(Chromium({"--screenshot=" + png, "--window-size=1240,1754",
                          "--hide-scrollbars"},
                         html, proxy)
                    .ok());
    const auto png_time = std::chrono::steady_clock::now() - start;
    EXPECT_TRUE(FileLooksLike(png, "\x89PNG\r\n\x1a\n", 10 * 1024));

    start = std::chrono::steady_clock::now();
    const std::string pdf = artefacts / ("report-" + page.file + ".pdf");
    const absl::Status printed = PrintPdf(html, pdf);
    const auto pdf_time = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(printed.ok()) << printed;
    EXPECT_TRUE(FileLooksLike(pdf, "%PDF-", 5 * 1024));
    std::error_code ec;
    EXPECT_FALSE(fs::exists(pdf + ".partial", ec));
    fs::copy_file(html, artefacts / ("report-" + page.file + ".html"),
                  fs::copy_options::overwrite_existing, ec);

    EXPECT_EQ(proxy.Requests(), std::vector<std::string>{})
        << "requests left the page";
    auto ms = [](auto d) {
      return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
    };
    std::printf("%s: dom %lld ms, screenshot %lld ms, pdf %lld ms\n",
                page.file.c_str(), static_cast<long long>(ms(dom_time)),
                static_cast<long long>(ms(png_time)),
                static_cast<long long>(ms(pdf_time)));
  }
}

// The proxy sees what a page fetches: without the report's CSP, an image on
// another host is a connection (so zero above means none was made).
TEST_F(ReportHtmlTest, TheProxySeesARequestOfThePage) {
  ASSERT_TRUE(FindChromium().ok()) << kSetUp;
  std::ofstream(Path("fetch.html"))
      << "<!DOCTYPE html><html><body>"
         "<img src=\"http://images.example/x.png\"></body></html>";
  CountingProxy proxy;
  ASSERT_TRUE(Chromium({"--dump-dom"}, Path("fetch.html"), proxy).ok());
  const std::vector<std::string> requests = proxy.Requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0], "GET http://images.example/x.png HTTP/1.1");
}

// Without Chromium on PATH, --pdf says what to install; a missing HTML file is
// not printed (Chromium would print its error page).
TEST_F(ReportHtmlTest, PrintPdfSaysWhatIsMissing) {
  const std::string path = getenv("PATH") != nullptr ? getenv("PATH") : "";
  fs::create_directories(Path("empty"));
  setenv("PATH", Path("empty").c_str(), 1);
  auto chromium = FindChromium();
  const absl::Status pdf = PrintPdf(Path("none.html"), Path("none.pdf"));
  setenv("PATH", path.c_str(), 1);
  EXPECT_EQ(chromium.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(chromium.status().message(),
            "--pdf: chromium is not installed (apt-get install chromium)");
  EXPECT_EQ(pdf.code(), absl::StatusCode::kNotFound) << pdf;
  EXPECT_EQ(PrintPdf(Path("none.html"), Path("none.pdf")).code(),
            absl::StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(Path("none.pdf")));
}

}  // namespace
}  // namespace ailedger
