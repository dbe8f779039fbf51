// `report ... --pdf` (issue 13, "Forms": "`--pdf` prints the HTML with
// headless Chromium when it is installed"). The HTML form is made to print on
// A4 (its @page rules); Chromium only prints it. Chromium is run without a
// shell, with its arguments as a vector, a throwaway profile, no network
// (the page makes no request, its CSP forbids any; Chromium's own background
// requests are turned off; and every request would go to a closed loopback
// proxy) and a bounded time.
#ifndef AILEDGER_CLIENT_REPORT_PDF_H_
#define AILEDGER_CLIENT_REPORT_PDF_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace ailedger {

// The path of `chromium` or `chromium-browser` in a directory of PATH;
// FAILED_PRECONDITION naming the package to install if neither is there.
absl::StatusOr<std::string> FindChromium();

// The file:// URL of `path` made absolute, its bytes percent-encoded but for
// unreserved characters and '/'.
std::string FileUrl(const std::string& path);

// How one run of Chromium is made.
struct ChromiumOptions {
  // Every request of the run, to loopback too, goes through this proxy: by
  // default a closed loopback port, so that nothing can leave; a test gives
  // a listener that counts what arrives.
  std::string proxy = "http://127.0.0.1:9";
  std::string stdout_path;  // "" for /dev/null
  absl::Duration timeout = absl::Seconds(60);
};

// One run of headless Chromium: `args` (e.g. "--dump-dom") after the common
// flags (new headless, no GPU, a fresh profile removed afterwards, Chromium's
// own background requests off, --no-sandbox only when running as root, where
// Chromium refuses to start without it), then `url`. Its stderr goes to
// /dev/null. Killed with its process group after the timeout
// (DEADLINE_EXCEEDED); INTERNAL with the exit status if it did not exit 0.
absl::Status RunChromium(const std::vector<std::string>& args,
                         const std::string& url,
                         const ChromiumOptions& options = {});

// Prints the HTML file at `html_path` to a PDF at `pdf_path` (A4 from the
// page's @page rule, no header or footer). The file is written whole or not
// at all: Chromium prints to PDF_PATH.partial, which must start with "%PDF-",
// and it is renamed then.
absl::Status PrintPdf(const std::string& html_path,
                      const std::string& pdf_path);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_REPORT_PDF_H_
