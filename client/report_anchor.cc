#include "client/report_anchor.h"

#include "absl/strings/str_cat.h"
#include "ledger/base/clock.h"
#include "ledger/governance/envelope.h"
#include "ledger/governance/event_signature.h"
#include "ledger/merkle/hash.h"
#include "ledger/tlog/contexts.h"
#include "ledger/tlog/leaf.h"

namespace ailedger {
namespace {

std::string MediaType(const std::string& form) {
  if (form == "html") return "text/html";
  if (form == "md") return "text/markdown";
  return "application/json";
}

// The event id of the newest ReportPublished of `kind` by `organisation`.
absl::StatusOr<std::string> PreviousReport(LedgerClient& client,
                                           const std::string& origin,
                                           const std::string& organisation,
                                           const std::string& kind) {
  v1::QueryRequest q;
  q.set_event_type("ReportPublished");
  q.set_organisation(organisation);
  std::string previous;
  absl::Status bad;
  auto s = client.Query(q, [&](const v1::Entry& entry) {
    auto leaf = DecodeLeaf(entry.leaf());
    v1::Event e;
    if (!leaf.ok() || !e.ParseFromString(leaf->event_bytes)) {
      bad = absl::DataLossError("a ReportPublished entry does not decode");
      return;
    }
    if (e.report_published().kind() == kind)
      previous = std::string(AsBytes(EventId(origin, leaf->event_bytes)));
  });
  if (!s.ok()) return s;
  if (!bad.ok()) return bad;
  return previous;
}

}  // namespace

absl::Status AnchorReport(const Cli& cli, const reports::Report& report,
                          const AnchorInput& in) {
  if (in.forms.empty()) return UsageError("--anchor: no file was written");
  auto key = cli.LoadKey();
  if (!key.ok()) return key.status();
  auto client = cli.Connect(&*key);
  if (!client.ok()) return client.status();
  auto info = (*client)->LogInfo();
  if (!info.ok()) return info.status();
  if (info->origin() != report.envelope.origin) {
    return UsageError(absl::StrCat("--anchor: the server's log is '",
                                   info->origin(), "', the report's '",
                                   report.envelope.origin, "'"));
  }
  // It occurs now: the period may end later than today.
  v1::Event e = NewEvent("ReportPublished", in.organisation, NowMs());
  v1::ReportPublished* p = e.mutable_report_published();
  p->set_kind(report.kind);
  p->mutable_period()->set_start_ms(in.period_start_ms);
  p->mutable_period()->set_end_ms(in.period_end_ms);
  p->set_report_sha256(std::string(AsBytes(Sha256Of(in.forms[0].second))));
  p->set_tree_size(in.tree_size);
  p->set_root_hash(std::string(AsBytes(in.root)));
  p->set_generator(report.envelope.generator);
  for (const auto& [form, bytes] : in.forms) {
    v1::EvidenceDigest* d = e.add_evidence();
    d->set_sha256(std::string(AsBytes(Sha256Of(bytes))));
    d->set_media_type(MediaType(form));
  }
  auto previous =
      PreviousReport(**client, info->origin(), in.organisation, report.kind);
  if (!previous.ok()) return previous.status();
  p->set_previous_report_event_id(*previous);
  auto receipt =
      (*client)->Append(AppendRequestOf(SignEvent(e, *key, info->origin())));
  if (!receipt.ok()) return receipt.status();
  return PrintReceipt(cli, *receipt);
}

}  // namespace ailedger
