#include "tools/bench_append_table.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ailedger::bench {
namespace {

std::string Cores(double c) { return c < 0 ? "-" : absl::StrFormat("%.2f", c); }

std::string Percent(std::optional<double> share) {
  return share ? absl::StrFormat("%.1f %%", 100 * *share) : "-";
}

std::optional<double> ShareOfCeiling(const Summary& s, const Run& r) {
  if (s.ceiling.verifications_per_second <= 0) return std::nullopt;
  return r.result.per_second / s.ceiling.verifications_per_second;
}

std::optional<double> ShareOfRocksDb(const Summary& s, const Run& r) {
  auto base = RocksDbRate(s, r.mode);
  if (!base || *base <= 0) return std::nullopt;
  return r.result.per_second / *base;
}

// The PostgreSQL store's batched rate over the RocksDB store's.
std::optional<double> PostgresBatchedShare(const Summary& s) {
  for (const Run& r : s.runs) {
    if (r.store == "postgres" && r.mode == BatchedMode(s.batch))
      return ShareOfRocksDb(s, r);
  }
  return std::nullopt;
}

nlohmann::json Optional(std::optional<double> v) {
  return v ? nlohmann::json(*v) : nlohmann::json(nullptr);
}

nlohmann::json Optional(double cores) {
  return cores < 0 ? nlohmann::json(nullptr) : nlohmann::json(cores);
}

}  // namespace

std::string UnaryMode(int clients) {
  return absl::StrCat("unary, ", clients, " clients");
}

std::string BatchedMode(size_t batch) {
  return absl::StrCat("batched ", batch, ", ", kBatchClients, " clients");
}

std::string StoreLabel(const std::string& store) {
  if (store == "rocksdb") return "ailedgerd, RocksDB";
  if (store == "postgres") return "ailedgerd, PostgreSQL store";
  if (store == "pgchain") return "hand-built PostgreSQL chain";
  return store;
}

std::optional<double> RocksDbRate(const Summary& s, const std::string& mode) {
  for (const Run& r : s.runs) {
    if (r.store == "rocksdb" && r.mode == mode) return r.result.per_second;
  }
  return std::nullopt;
}

std::string SummaryTable(const Summary& s) {
  std::string out =
      absl::StrFormat("\n%-28s %-30s %9s %10s %9s %8s %8s   %s\n", "store",
                      "run", "appends/s", "ceiling", "RocksDB", "p50 ms",
                      "p99 ms", "cores: ailedgerd postgres bench");
  for (const Run& r : s.runs) {
    absl::StrAppendFormat(
        &out, "%-28s %-30s %9.0f %10s %9s %8.2f %8.2f   %16s %8s %5s%s\n",
        StoreLabel(r.store), r.mode, r.result.per_second,
        Percent(ShareOfCeiling(s, r)), Percent(ShareOfRocksDb(s, r)),
        r.result.p50_ms, r.result.p99_ms, Cores(r.cores_ailedgerd),
        Cores(r.cores_postgres), Cores(r.cores_bench),
        r.result.failed > 0 ? absl::StrCat("  (", r.result.failed, " failed)")
                            : "");
  }
  absl::StrAppendFormat(
      &out,
      "ceiling: %.0f Ed25519 verifications/s on %u cores; %zu events per "
      "run; load average (1 min) %.2f at start, %.2f at end\n",
      s.ceiling.verifications_per_second, s.ceiling.cores, s.events,
      s.load_start, s.load_end);
  absl::StrAppend(&out, "ailedgerd: ", AiledgerdPath(), "\n");
  if (s.postgres) {
    absl::StrAppend(&out, PgSettingsLine(*s.postgres), "\n", kSingleNodeNote,
                    "\n");
  }
  if (auto share = PostgresBatchedShare(s)) {
    absl::StrAppendFormat(&out,
                          "PostgreSQL store batched: %.1f %% of the RocksDB "
                          "store's rate (issue 17 target: >= 50 %%)\n",
                          100 * *share);
  }
  return out;
}

std::string SummaryJson(const Summary& s) {
  nlohmann::json j;
  j["events_per_run"] = s.events;
  j["clients"] = s.clients;
  j["batch"] = s.batch;
  j["batch_clients"] = kBatchClients;
  j["ailedgerd"] = AiledgerdPath();
  j["load_average_1min"] = {{"start", s.load_start}, {"end", s.load_end}};
  j["ceiling"] = {
      {"cores", s.ceiling.cores},
      {"ed25519_verifications_per_second", s.ceiling.verifications_per_second}};
  if (s.postgres) {
    j["postgresql"] = {
        {"version", s.postgres->version},
        {"fsync", s.postgres->fsync},
        {"synchronous_commit", s.postgres->synchronous_commit},
        {"wal_sync_method", s.postgres->wal_sync_method},
        {"synchronous_standby_names", s.postgres->synchronous_standby_names},
        {"note", kSingleNodeNote}};
  }
  j["runs"] = nlohmann::json::array();
  for (const Run& r : s.runs) {
    j["runs"].push_back({
        {"store", r.store},
        {"mode", r.mode},
        {"clients", r.clients},
        {"batch", r.batch},
        {"appends_per_second", r.result.per_second},
        {"share_of_ceiling", Optional(ShareOfCeiling(s, r))},
        {"share_of_rocksdb", Optional(ShareOfRocksDb(s, r))},
        {"p50_ms", r.result.p50_ms},
        {"p99_ms", r.result.p99_ms},
        {"seconds", r.result.seconds},
        {"acknowledged", r.result.acknowledged},
        {"failed", r.result.failed},
        {"cores",
         {{"ailedgerd", Optional(r.cores_ailedgerd)},
          {"postgres", Optional(r.cores_postgres)},
          {"bench", Optional(r.cores_bench)}}},
    });
  }
  j["postgres_store_batched_share_of_rocksdb"] =
      Optional(PostgresBatchedShare(s));
  return j.dump(2);
}

}  // namespace ailedger::bench
