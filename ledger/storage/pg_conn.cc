#include "ledger/storage/pg_conn.h"

#include <libpq-fe.h>

#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "ledger/base/big_endian.h"

namespace ailedger::pg {
namespace {

// Type OIDs (src/include/catalog/pg_type.dat).
constexpr unsigned int kInt2 = 21, kInt8 = 20, kBytea = 17, kText = 25,
                       kInt2Array = 1005, kInt8Array = 1016, kByteaArray = 1001;

// A one-dimensional array without NULLs, in array_recv's format: ndim, flags,
// element type, then (length, lower bound 1) and each element as (u32 length,
// bytes).
template <typename T, typename Put>
std::string EncodeArray(unsigned int elem, absl::Span<const T> v, Put put) {
  std::string out;
  PutBigEndian32(v.empty() ? 0 : 1, &out);
  PutBigEndian32(0, &out);
  PutBigEndian32(elem, &out);
  if (!v.empty()) {
    PutBigEndian32(static_cast<uint32_t>(v.size()), &out);
    PutBigEndian32(1, &out);
  }
  for (const T& x : v) put(x, &out);
  return out;
}

void PutBytes(absl::string_view b, std::string* out) {
  PutBigEndian32(static_cast<uint32_t>(b.size()), out);
  out->append(b.data(), b.size());
}

std::string Trim(const char* s) {
  return std::string(absl::StripTrailingAsciiWhitespace(s ? s : ""));
}

}  // namespace

Params& Params::Add(unsigned int type, std::string value) {
  types_.push_back(type);
  values_.push_back(std::move(value));
  return *this;
}

Params& Params::Int8(int64_t v) {
  return Add(kInt8, BigEndian64(static_cast<uint64_t>(v)));
}
Params& Params::Bytes(absl::string_view v) {
  return Add(kBytea, std::string(v));
}
Params& Params::Text(absl::string_view v) { return Add(kText, std::string(v)); }

Params& Params::Int2Array(absl::Span<const int16_t> v) {
  return Add(kInt2Array, EncodeArray(kInt2, v, [](int16_t x, std::string* out) {
               PutBigEndian32(2, out);
               PutBigEndian16(static_cast<uint16_t>(x), out);
             }));
}

Params& Params::Int8Array(absl::Span<const int64_t> v) {
  return Add(kInt8Array, EncodeArray(kInt8, v, [](int64_t x, std::string* out) {
               PutBigEndian32(8, out);
               PutBigEndian64(static_cast<uint64_t>(x), out);
             }));
}

Params& Params::BytesArray(absl::Span<const std::string> v) {
  return Add(kByteaArray,
             EncodeArray(kBytea, v, [](const std::string& x, std::string* out) {
               PutBytes(x, out);
             }));
}

Params& Params::BytesArray(absl::Span<const absl::string_view> v) {
  return Add(kByteaArray, EncodeArray(kBytea, v, PutBytes));
}

std::vector<const char*> Params::values() const {
  std::vector<const char*> out;
  for (const auto& v : values_) out.push_back(v.data());
  return out;
}

std::vector<int> Params::lengths() const {
  std::vector<int> out;
  for (const auto& v : values_) out.push_back(static_cast<int>(v.size()));
  return out;
}

Result::Result(PGresult* r) : r_(r, PQclear) {}
int Result::rows() const { return r_ ? PQntuples(r_.get()) : 0; }
absl::string_view Result::Get(int row, int col) const {
  return {PQgetvalue(r_.get(), row, col),
          static_cast<size_t>(PQgetlength(r_.get(), row, col))};
}
bool Result::IsNull(int row, int col) const {
  return PQgetisnull(r_.get(), row, col) != 0;
}

absl::StatusOr<int64_t> Result::Int8(int row, int col,
                                     absl::string_view what) const {
  absl::string_view v = Get(row, col);
  if (IsNull(row, col) || v.size() != 8) {
    return absl::DataLossError(
        absl::StrCat(what, ": stored value has ", v.size(), " bytes, not 8"));
  }
  return static_cast<int64_t>(GetBigEndian64(v));
}

absl::StatusOr<int16_t> Result::Int2(int row, int col,
                                     absl::string_view what) const {
  absl::string_view v = Get(row, col);
  if (IsNull(row, col) || v.size() != 2) {
    return absl::DataLossError(
        absl::StrCat(what, ": stored value has ", v.size(), " bytes, not 2"));
  }
  return static_cast<int16_t>(GetBigEndian16(v));
}

// SQLSTATE codes: https://www.postgresql.org/docs/15/errcodes-appendix.html
absl::Status StatusFromSqlState(absl::string_view state,
                                absl::string_view message) {
  const std::string msg(message);
  const absl::string_view cls = state.substr(0, 2);
  if (cls == "08" || state == "57P01" || state == "57P02" || state == "57P03" ||
      state == "25006" || state == "53300") {
    return absl::UnavailableError(msg);
  }
  if (state == "40001" || state == "40P01") return absl::AbortedError(msg);
  if (state == "42P06" || state == "42P07") {
    return absl::AlreadyExistsError(msg);
  }
  if (state == "42P01" || state == "3F000") return absl::NotFoundError(msg);
  if (cls == "53") return absl::ResourceExhaustedError(msg);
  if (cls == "28" || state == "42501") {
    return absl::PermissionDeniedError(msg);
  }
  if (state == "57014") return absl::DeadlineExceededError(msg);
  if (state == "XX001" || state == "XX002") return absl::DataLossError(msg);
  if (cls == "23") return absl::FailedPreconditionError(msg);
  if (cls == "58") return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

absl::StatusOr<std::unique_ptr<Conn>> Conn::Open(const std::string& conninfo) {
  char* err = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(conninfo.c_str(), &err);
  if (parsed == nullptr) {
    std::string why = err ? Trim(err) : "out of memory";
    PQfreemem(err);
    return absl::InvalidArgumentError(
        absl::StrCat("postgres: connection string: ", why));
  }
  PQconninfoFree(parsed);
  // Defaults the connection string may override (it is expanded last): give
  // up on an unreachable host in 5 s, and notice a peer that vanished without
  // closing (a dead primary) within about 10 s rather than waiting forever.
  const char* const keys[] = {"connect_timeout",
                              "keepalives_idle",
                              "keepalives_interval",
                              "keepalives_count",
                              "tcp_user_timeout",
                              "application_name",
                              "dbname",
                              nullptr};
  const char* const values[] = {
      "5", "5", "2", "3", "10000", "ailedgerd", conninfo.c_str(), nullptr};
  PGconn* c = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
  if (c == nullptr) return absl::ResourceExhaustedError("postgres: no memory");
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string why = Trim(PQerrorMessage(c));
    PQfinish(c);
    const std::string msg = absl::StrCat("postgres: connect: ", why);
    if (absl::StrContains(why, "authentication failed") ||
        absl::StrContains(why, "no pg_hba.conf entry")) {
      return absl::PermissionDeniedError(msg);
    }
    if (absl::StrContains(why, "database \"") &&
        absl::StrContains(why, "does not exist")) {
      return absl::NotFoundError(msg);
    }
    return absl::UnavailableError(msg);
  }
  std::unique_ptr<Conn> conn(new Conn(c));
  PQsetNoticeReceiver(c, &Conn::OnNotice, conn.get());
  return conn;
}

Conn::Conn(PGconn* c) : c_(c) {}
Conn::~Conn() { PQfinish(c_); }

bool Conn::broken() const { return broken_ || PQstatus(c_) != CONNECTION_OK; }

void Conn::OnNotice(void* self, const PGresult* r) {
  // "canceling wait for synchronous replication ...": PostgreSQL committed
  // locally and stopped waiting for the standby (syncrep.c).
  const char* msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  if (msg != nullptr && absl::StrContains(msg, "synchronous replication")) {
    static_cast<Conn*>(self)->sync_rep_warning_ = true;
  }
}

bool Conn::TakeSyncRepWarning() {
  return std::exchange(sync_rep_warning_, false);
}

absl::Status Conn::ErrorOf(const PGresult* r, absl::string_view what) {
  const char* state =
      r == nullptr ? nullptr : PQresultErrorField(r, PG_DIAG_SQLSTATE);
  if (state == nullptr || PQstatus(c_) != CONNECTION_OK) {
    broken_ = true;
    return absl::UnavailableError(
        absl::StrCat("postgres: ", what, ": connection lost: ",
                     Trim(r ? PQresultErrorMessage(r) : PQerrorMessage(c_))));
  }
  const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  absl::Status s = StatusFromSqlState(
      state, absl::StrCat("postgres: ", what, ": ", Trim(primary),
                          " (SQLSTATE ", state, ")"));
  // The server ends the session after these (a shutdown, a terminated
  // backend): the connection is of no more use.
  if (absl::IsUnavailable(s) && std::string_view(state) != "25006") {
    broken_ = true;
  }
  return s;
}

namespace {
bool Succeeded(const PGresult* r) {
  const ExecStatusType st = PQresultStatus(r);
  return r != nullptr && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
}
}  // namespace

absl::Status Conn::Check(const PGresult* r, absl::string_view what) {
  if (r != nullptr && PQresultStatus(r) == PGRES_PIPELINE_ABORTED) {
    return absl::AbortedError(
        absl::StrCat("postgres: ", what, ": pipeline aborted"));
  }
  return Succeeded(r) ? absl::OkStatus() : ErrorOf(r, what);
}

absl::StatusOr<Result> Conn::Exec(absl::string_view what, const char* sql,
                                  const Params& params) {
  bool fresh = false;
  const std::string name = StatementName(sql, &fresh);
  if (fresh) {
    Result prepared(
        PQprepare(c_, name.c_str(), sql, params.size(), params.types()));
    if (!Succeeded(prepared.raw())) {
      prepared_.erase(sql);
      return ErrorOf(prepared.raw(), what);
    }
  }
  const auto values = params.values();
  const auto lengths = params.lengths();
  const auto formats = params.formats();
  Result res(PQexecPrepared(c_, name.c_str(), params.size(), values.data(),
                            lengths.data(), formats.data(),
                            /*resultFormat=*/1));
  if (!Succeeded(res.raw())) return ErrorOf(res.raw(), what);
  return res;
}

std::string Conn::StatementName(const char* sql, bool* fresh) {
  auto [it, added] =
      prepared_.emplace(sql, absl::StrCat("ailedger_", prepared_.size()));
  *fresh = added;
  return it->second;
}

absl::Status Conn::ExecScript(absl::string_view what, const char* sql) {
  Result res(PQexec(c_, sql));
  if (!Succeeded(res.raw())) return ErrorOf(res.raw(), what);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<Result>> Conn::Pipeline(
    absl::string_view what, absl::Span<const Statement> statements, bool sync) {
  if (!in_pipeline_) {
    if (!PQenterPipelineMode(c_)) {
      broken_ = true;
      return absl::UnavailableError(absl::StrCat(
          "postgres: ", what,
          ": cannot enter pipeline mode: ", Trim(PQerrorMessage(c_))));
    }
    in_pipeline_ = true;
  }
  // Each statement is prepared once per connection (parsed and planned once),
  // its Prepare sent ahead of its first execution in the same pipeline.
  bool sent = true;
  std::vector<bool> fresh(statements.size());
  for (size_t i = 0; i < statements.size(); ++i) {
    const Statement& s = statements[i];
    bool f = false;
    const std::string name = StatementName(s.sql, &f);
    fresh[i] = f;
    if (f) {
      sent = sent && PQsendPrepare(c_, name.c_str(), s.sql, s.params.size(),
                                   s.params.types()) == 1;
    }
    const auto values = s.params.values();
    const auto lengths = s.params.lengths();
    const auto formats = s.params.formats();
    sent = sent &&
           PQsendQueryPrepared(c_, name.c_str(), s.params.size(), values.data(),
                               lengths.data(), formats.data(), 1) == 1;
  }
  sent = sent && (sync ? PQpipelineSync(c_) : PQsendFlushRequest(c_)) == 1 &&
         PQflush(c_) == 0;
  if (!sent) {
    broken_ = true;
    absl::Status s = absl::UnavailableError(
        absl::StrCat("postgres: ", what, ": send: ", Trim(PQerrorMessage(c_))));
    Abandon();
    return s;
  }
  // Each statement's result is followed by a null; a Sync by PIPELINE_SYNC.
  std::vector<Result> out;
  absl::Status first;
  for (size_t i = 0; i < statements.size() && !broken(); ++i) {
    if (fresh[i]) {
      Result prepared(PQgetResult(c_));
      if (absl::Status s = Check(prepared.raw(), what); !s.ok()) {
        prepared_.erase(statements[i].sql);  // not prepared after all
        first.Update(s);
      }
      if (broken()) break;
      PQclear(PQgetResult(c_));  // the Prepare's end
    }
    Result res(PQgetResult(c_));
    first.Update(Check(res.raw(), what));
    if (broken()) break;
    out.push_back(std::move(res));
    if (!broken()) PQclear(PQgetResult(c_));  // the statement's end
  }
  if (sync && !broken()) {
    Result end(PQgetResult(c_));
    if (end.raw() == nullptr ||
        PQresultStatus(end.raw()) != PGRES_PIPELINE_SYNC) {
      broken_ = true;
      first.Update(ErrorOf(end.raw(), what));
    } else {
      PQexitPipelineMode(c_);
      in_pipeline_ = false;
    }
  }
  if (!first.ok()) {
    Abandon();
    return first;
  }
  return out;
}

void Conn::Abandon() {
  if (broken()) return;
  if (in_pipeline_) {
    // Ends the pipeline: statements after an error are skipped until the
    // Sync, whose PIPELINE_SYNC comes after any results still due.
    if (PQpipelineSync(c_) != 1 || PQflush(c_) != 0) {
      broken_ = true;
      return;
    }
    for (int nulls = 0; nulls < 1000;) {
      Result r(PQgetResult(c_));
      if (r.raw() == nullptr) {
        if (broken()) return;
        ++nulls;
        continue;
      }
      if (PQresultStatus(r.raw()) == PGRES_PIPELINE_SYNC) break;
    }
    if (!PQexitPipelineMode(c_)) {
      broken_ = true;
      return;
    }
    in_pipeline_ = false;
  }
  if (PQtransactionStatus(c_) != PQTRANS_IDLE) {
    Result r(PQexec(c_, "ROLLBACK"));
    if (!Succeeded(r.raw()) || PQtransactionStatus(c_) != PQTRANS_IDLE) {
      broken_ = true;
    }
  }
}

ConnPool::ConnPool(std::string conninfo, size_t max)
    : conninfo_(std::move(conninfo)), max_(max == 0 ? 1 : max) {}

ConnPool::~ConnPool() = default;

absl::StatusOr<std::unique_ptr<Conn>> ConnPool::Acquire(bool* reused) const {
  {
    absl::MutexLock lock(&mu_);
    while (idle_.empty() && open_ >= max_) free_.Wait(&mu_);
    if (!idle_.empty()) {
      std::unique_ptr<Conn> c = std::move(idle_.back());
      idle_.pop_back();
      *reused = true;
      return c;
    }
    ++open_;
  }
  *reused = false;
  auto c = Conn::Open(conninfo_);
  if (!c.ok()) {
    absl::MutexLock lock(&mu_);
    --open_;
    free_.Signal();
  }
  return c;
}

void ConnPool::Release(std::unique_ptr<Conn> conn) const {
  const bool broken = conn->broken();
  if (broken) conn.reset();  // closed outside the lock
  absl::MutexLock lock(&mu_);
  if (broken) {
    --open_;
  } else {
    idle_.push_back(std::move(conn));
  }
  free_.Signal();
}

absl::StatusOr<Result> ConnPool::Exec(absl::string_view what, const char* sql,
                                      const Params& params) const {
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    auto conn = Acquire(&reused);
    if (!conn.ok()) return conn.status();
    auto r = (*conn)->Exec(what, sql, params);
    const bool broken = (*conn)->broken();
    Release(*std::move(conn));
    if (r.ok() || !broken || !reused || attempt > 0) return r;
  }
}

void ConnPool::DropIdle() const {
  std::vector<std::unique_ptr<Conn>> drop;
  absl::MutexLock lock(&mu_);
  drop.swap(idle_);
  open_ -= drop.size();
  free_.SignalAll();
  // `drop` closes after the lock is released (declared before it).
}

}  // namespace ailedger::pg
