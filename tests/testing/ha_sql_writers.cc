#include "tests/testing/ha_sql_writers.h"

#include <libpq-fe.h>

#include <chrono>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace ailedger::testing {
namespace {

// Counts the server's warning that a commit's wait for the synchronous
// standby was cancelled (the commit is then acknowledged though the standby
// may not have it): it must never happen here.
void CountSyncRepCancel(void* arg, const PGresult* res) {
  const char* msg = PQresultErrorMessage(res);
  if (msg != nullptr && absl::StrContains(msg, "synchronous replication")) {
    static_cast<std::atomic<int>*>(arg)->fetch_add(1);
  }
}

}  // namespace

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Runs one SQL statement; its first value, or a test failure.
std::string Query(const std::string& conninfo, const std::string& sql) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  std::string value;
  if (PQstatus(c) != CONNECTION_OK) {
    ADD_FAILURE() << "connect: " << PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    const auto st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
      ADD_FAILURE() << sql << ": " << PQresultErrorMessage(r);
    } else if (st == PGRES_TUPLES_OK && PQntuples(r) > 0) {
      value = PQgetvalue(r, 0, 0);
    }
    PQclear(r);
  }
  PQfinish(c);
  return value;
}

void SqlWriters::Run(int w) {
  PGconn* c = nullptr;
  int seq = 0;
  while (!stop_) {
    if (c == nullptr) {
      c = PQconnectdb(conninfo_.c_str());
      if (PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        c = nullptr;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
        continue;
      }
      PQsetNoticeReceiver(c, CountSyncRepCancel, &cancels_);
    }
    ++seq;
    const std::string sql = absl::StrCat(
        "INSERT INTO acks (writer, seq) VALUES (", w, ", ", seq, ")");
    PGresult* r = PQexec(c, sql.c_str());
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    PQclear(r);
    if (ok) {
      std::lock_guard<std::mutex> l(mu_);
      acked_.emplace_back(w, seq);
      ack_ms_.push_back(NowMs());
    } else {  // the primary went: its outcome is unknown, so not recorded
      PQfinish(c);
      c = nullptr;
    }
  }
  if (c != nullptr) PQfinish(c);
}

}  // namespace ailedger::testing
