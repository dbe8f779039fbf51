// bench_report: the annual impact report over a large generated history,
// after verification (issue 13's target on 2 cores: <= 10 s and <= 512 MiB
// peak RSS for 1M events).
//
// It reads the bundle bench_verify made (DIR/bundle, the generated history of
// tools/history.h; run bench_verify first), verifies it as `ailedger report`
// does, then times what a report adds: reading the records again, building
// the annual report (and its restatements and citations with their inclusion
// proofs) and rendering the three forms. The machine's own floor is measured
// in the same run: one pass that only reads and decodes every event of the
// bundle, which any report must pay; the report's time is printed as a
// multiple of it.
//
// Usage: bench_report [--dir DIR (bench-verify)] [--organisation ORG
// ("Aurora Credit AI")] [--year YYYY (2025)]
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "absl/strings/ascii.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/file_util.h"
#include "ledger/tlog/leaf.h"
#include "reports/annual_report.h"
#include "reports/citations.h"
#include "reports/records.h"
#include "reports/restatements.h"
#include "tools/bench_util.h"

namespace ailedger::bench {
namespace {

using Clock = std::chrono::steady_clock;

double Since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

double PeakRssMiB() {
  struct rusage u {};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss / 1024.0;
}

// The floor: every leaf read and its event decoded, nothing kept.
double DecodeFloor(const std::string& path, uint64_t* events) {
  const auto t0 = Clock::now();
  std::ifstream in(path, std::ios::binary);
  BundleReader reader(&in);
  if (!reader.ReadMagic().ok()) return 0;
  v1::Event e;
  for (auto r = reader.Next(); r.ok(); r = reader.Next()) {
    if (r->type == RecordType::kCheckpoint) break;
    if (r->type != RecordType::kLeaf) continue;
    auto leaf = DecodeLeaf(r->payload);
    if (leaf.ok() && e.ParseFromString(leaf->event_bytes)) ++*events;
  }
  return Since(t0);
}

int Main(const CliArgs& a) {
  const std::string dir = a.Get("dir", "bench-verify");
  const std::string bundle = dir + "/bundle";
  reports::AnnualOptions annual;
  annual.organisation = a.Get("organisation", "Aurora Credit AI");
  auto year = a.GetUint<int>("year", 2025, 1970, 9999);
  if (!year.ok()) return std::fprintf(stderr, "--year: bad\n"), 2;
  annual.year = *year;
  auto key = ReadSmallFile(dir + "/log/log.key");
  auto admin = ReadSmallFile(dir + "/log/admin.vkey");
  if (!key.ok() || !admin.ok())
    return std::fprintf(stderr, "no %s/log: run bench_verify first\n",
                        dir.c_str()),
           2;
  VerifyOptions o;
  o.log_keys.push_back(SigningKey::Parse(*key)->verifier());
  o.admin = VerifierKey::Parse(std::string(absl::StripAsciiWhitespace(*admin)))
                .value();

  uint64_t events = 0;
  const double floor = DecodeFloor(bundle, &events);
  std::printf("machine floor: read and decode %llu events in %.2f s\n",
              (unsigned long long)events, floor);

  std::ifstream in(bundle, std::ios::binary);
  auto t0 = Clock::now();
  auto verified = VerifyBundle(&in, o);
  if (!verified.ok() || !verified->verified)
    return std::fprintf(stderr, "the bundle does not verify\n"), 1;
  std::printf("verification: %.1f s, peak RSS %.1f MiB\n", Since(t0),
              PeakRssMiB());

  t0 = Clock::now();
  reports::ProofSource proofs;
  reports::OperationalTally tally;  // as `ailedger report annual` reads
  annual.operational = &tally;
  auto records = reports::ReadRecords(&in, verified->origin, &proofs, &tally);
  if (!records.ok()) return 1;
  const double read = Since(t0);
  auto report = reports::AnnualReport(*records, *verified, o, annual);
  if (!report.ok())
    return std::fprintf(stderr, "%s\n", report.status().ToString().c_str()), 1;
  reports::AddRestatements(*records, proofs, *verified, annual, &*report);
  reports::AttachCitations(*records, proofs, *verified, o, &*report);
  const size_t bytes = reports::RenderHtml(*report).size() +
                       reports::RenderMarkdown(*report).size() +
                       reports::RenderJson(*report).size();
  const double total = Since(t0);
  std::printf(
      "annual report %d of %s over %zu entries (%zu kept, the operational "
      "ones counted), after verification: %.2f s "
      "(records read %.2f s; %.1fx the decode floor), %zu cited entries, "
      "%.1f MiB of files, peak RSS %.1f MiB\n",
      annual.year, annual.organisation.c_str(), proofs.leaf_hashes.size(),
      records->size(), total, read, floor > 0 ? total / floor : 0.0,
      report->data["citations"].size(), bytes / 1048576.0, PeakRssMiB());
  // Where the size comes from: rows per section.
  for (const reports::Section& s : report->sections) {
    size_t rows = 0;
    for (const reports::Table& t : s.tables) rows += t.rows.size();
    if (rows > 100)
      std::printf("  section '%s': %zu rows\n", s.title.c_str(), rows);
  }
  return 0;
}

}  // namespace
}  // namespace ailedger::bench

int main(int argc, char** argv) {
  return ailedger::bench::BenchMain("bench_report", argc, argv,
                                    {"dir", "organisation", "year"},
                                    ailedger::bench::Main);
}
