// ailedger check-queries BUNDLE: an auditor's check of the server's query
// indexes (docs/FORMATS.md, "Rule tables"; docs/STORAGE.md). From
// the leaves of a bundle (verify it first), it works out which entries a query
// by each event type (all of the role table's), each subject, each
// organisation and each year of occurred_at must return, asks the
// server the same queries, and reports every entry missing from an answer and
// every entry an answer should not hold, within the bundle's range. Exit 0
// when every answer matches, 1 when one does not (or the server refuses), 2
// when the bundle cannot be read.
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "ailedger/bundle.pb.h"
#include "client/cli.h"
#include "ledger/audit/bundle.h"
#include "ledger/base/terminal_escape.h"
#include "ledger/governance/roles.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

// The entries each query must return, by query.
struct Expected {
  uint64_t from = 0, to = 0;
  std::map<std::string, std::vector<uint64_t>> by_type, by_organisation;
  std::map<int64_t, std::vector<uint64_t>> by_year;  // occurred_at, UTC
  std::map<std::pair<std::string, std::string>, std::vector<uint64_t>>
      by_subject;
};

absl::StatusOr<Expected> ReadExpected(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  BundleReader reader(&in);
  if (auto s = reader.ReadMagic(); !s.ok()) return s;
  Expected x;
  uint64_t index = 0;
  for (;;) {
    auto r = reader.Next();
    if (absl::IsNotFound(r.status())) break;
    if (!r.ok()) return r.status();
    if (r->type == RecordType::kHeader) {
      v1::BundleHeader h;
      if (!h.ParseFromString(r->payload))
        return absl::InvalidArgumentError("bundle header does not parse");
      x.from = index = h.from();
      x.to = h.to();
    }
    if (r->type != RecordType::kLeaf) continue;
    auto leaf = DecodeLeaf(r->payload);
    v1::Event e;
    if (!leaf.ok() || !e.ParseFromString(leaf->event_bytes))
      return absl::DataLossError(
          absl::StrCat("leaf ", index, " does not decode"));
    x.by_type[e.event_type()].push_back(index);
    if (!e.organisation().empty())
      x.by_organisation[e.organisation()].push_back(index);
    std::set<std::pair<std::string, std::string>> subjects;
    for (const auto& s : e.subjects()) subjects.insert({s.kind(), s.id()});
    for (const auto& s : subjects) x.by_subject[s].push_back(index);
    if (e.occurred_at_ms() > 0) {
      const absl::Time t = absl::FromUnixMillis(e.occurred_at_ms());
      x.by_year[absl::ToCivilYear(t, absl::UTCTimeZone()).year()].push_back(
          index);
    }
    ++index;
  }
  return x;
}

struct Mismatch {
  std::string query;
  std::vector<uint64_t> missing, extra;
};

std::string List(const std::vector<uint64_t>& v) {
  std::string out;
  for (size_t i = 0; i < v.size() && i < 10; ++i)
    absl::StrAppend(&out, i ? ", " : "", v[i]);
  if (v.size() > 10) absl::StrAppend(&out, " (+", v.size() - 10, " more)");
  return out;
}

// Runs `req` and compares its answer, within [from, to), with `want`.
absl::Status Compare(LedgerClient& client, const Expected& x,
                     const v1::QueryRequest& req, const std::string& name,
                     const std::vector<uint64_t>& want,
                     std::vector<Mismatch>* out) {
  std::vector<uint64_t> got;
  v1::QueryRequest ranged = req;
  ranged.set_start_index(x.from);
  auto s = client.Query(ranged, [&](const v1::Entry& e) {
    if (e.index() >= x.from && e.index() < x.to) got.push_back(e.index());
  });
  if (!s.ok()) return s;
  // An untrusted server may answer out of order or twice: a repeat is extra.
  std::sort(got.begin(), got.end());
  Mismatch m{name, {}, {}};
  std::set_difference(want.begin(), want.end(), got.begin(), got.end(),
                      std::back_inserter(m.missing));
  std::set_difference(got.begin(), got.end(), want.begin(), want.end(),
                      std::back_inserter(m.extra));
  if (!m.missing.empty() || !m.extra.empty()) out->push_back(std::move(m));
  return absl::OkStatus();
}

absl::Status RunAll(LedgerClient& client, Expected& x,
                    std::vector<Mismatch>* out, size_t* queries) {
  // Every known type, so that rows of a type the range lacks are found too.
  for (absl::string_view type : EventTypes()) x.by_type[std::string(type)];
  for (const auto& [type, want] : x.by_type) {
    v1::QueryRequest req;
    req.set_event_type(type);
    if (auto s = Compare(client, x, req, "type " + type, want, out); !s.ok())
      return s;
  }
  for (const auto& [org, want] : x.by_organisation) {
    v1::QueryRequest req;
    req.set_organisation(org);
    if (auto s = Compare(client, x, req, "organisation " + org, want, out);
        !s.ok())
      return s;
  }
  for (const auto& [subject, want] : x.by_subject) {
    v1::QueryRequest req;
    req.set_subject_kind(subject.first);
    req.set_subject_id(subject.second);
    const std::string name =
        absl::StrCat("subject ", subject.first, ":", subject.second);
    if (auto s = Compare(client, x, req, name, want, out); !s.ok()) return s;
  }
  for (const auto& [year, want] : x.by_year) {
    const auto ms = [](int64_t y) {
      return absl::ToUnixMillis(
          absl::FromCivil(absl::CivilYear(y), absl::UTCTimeZone()));
    };
    v1::QueryRequest req;
    req.set_from_ms(std::max<int64_t>(1, ms(year)));
    req.set_to_ms(ms(year + 1));
    if (auto s = Compare(client, x, req, absl::StrCat("occurred in ", year),
                         want, out);
        !s.ok())
      return s;
  }
  *queries = x.by_type.size() + x.by_organisation.size() + x.by_subject.size() +
             x.by_year.size();
  return absl::OkStatus();
}

}  // namespace

absl::Status CmdCheckQueries(const Cli& cli) {
  if (cli.words().size() != 1) return UsageError("check-queries BUNDLE");
  // An unreadable or malformed bundle is unusable input; a leaf that does not
  // decode (DATA_LOSS) is a failure.
  auto expected = LocalInputError(ReadExpected(cli.words()[0]));
  if (!expected.ok()) return expected.status();
  std::optional<SigningKey> key;
  auto client = cli.ConnectAsReader(&key);
  if (!client.ok()) return client.status();
  std::vector<Mismatch> bad;
  size_t queries = 0;
  if (auto s = RunAll(**client, *expected, &bad, &queries); !s.ok()) return s;
  std::ostream& out = *cli.out;
  if (cli.json) {
    nlohmann::json j = {{"queries", queries},
                        {"from", expected->from},
                        {"to", expected->to},
                        {"mismatches", nlohmann::json::array()}};
    for (const Mismatch& m : bad) {
      j["mismatches"].push_back(
          {{"query", m.query}, {"missing", m.missing}, {"extra", m.extra}});
    }
    out << j.dump() << "\n";
  } else {
    for (const Mismatch& m : bad) {
      out << EscapeForTerminal(m.query) << ":";
      if (!m.missing.empty()) out << " missing " << List(m.missing) << ";";
      if (!m.extra.empty()) out << " should not return " << List(m.extra);
      out << "\n";
    }
    out << (bad.empty() ? "MATCH " : "MISMATCH ") << queries
        << " queries over entries [" << expected->from << ", " << expected->to
        << ")\n";
  }
  if (bad.empty()) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat(bad.size(), " query answers differ from the log's leaves"));
}

const CliCommand kCheckQueriesCommand{
    .name = "check-queries",
    .summary =
        "check the server's query answers against a verified "
        "bundle's leaves",
    .usage = "BUNDLE",
    .run = CmdCheckQueries,
};

}  // namespace ailedger
