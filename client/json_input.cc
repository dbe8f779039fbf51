#include "client/json_input.h"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "cmdline/usage_error.h"
#include "ledger/base/base64.h"

namespace ailedger {
namespace {

using Json = nlohmann::json;

absl::Status Malformed(absl::string_view field, absl::string_view why) {
  return UsageError(absl::StrCat("verify-proof: ", field, ": ", why));
}

// A JSON integer in [0, 2^64). nlohmann keeps 6.0, 1e300 and numbers past
// 2^64 as doubles and -1 as a signed integer: all refused, never converted
// (a double out of range converted to an integer is undefined behaviour).
absl::StatusOr<uint64_t> JsonUint(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end()) return Malformed(field, "missing");
  if (!it->is_number_unsigned()) {
    return Malformed(field,
                     "a non-negative JSON integer below 2^64 expected (no "
                     "fraction, no exponent)");
  }
  return it->get<uint64_t>();
}

absl::StatusOr<std::string> JsonBase64(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end()) return Malformed(field, "missing");
  if (!it->is_string()) return Malformed(field, "a base64 string expected");
  auto raw = Base64Decode(it->get<std::string>(), field);
  if (!raw.ok()) return UsageError(raw.status().message());
  return raw;
}

absl::StatusOr<std::vector<Hash>> JsonHashes(const Json& j) {
  auto it = j.find("hashes");
  if (it == j.end()) return Malformed("hashes", "missing");
  if (!it->is_array()) return Malformed("hashes", "an array expected");
  std::vector<Hash> out;
  for (const auto& h : *it) {
    if (!h.is_string()) return Malformed("hashes", "base64 strings expected");
    auto raw = Base64Decode(h.get<std::string>(), "hashes");
    auto hash = raw.ok() ? HashFromBytes(*raw, "hashes") : raw.status();
    if (!hash.ok()) return UsageError(hash.status().message());
    out.push_back(*hash);
  }
  return out;
}

absl::StatusOr<InclusionProofJson> Inclusion(const Json& j) {
  auto index = JsonUint(j, "log_index");
  if (!index.ok()) return index.status();
  auto size = JsonUint(j, "tree_size");
  if (!size.ok()) return size.status();
  auto leaf_data = JsonBase64(j, "leaf_data");
  if (!leaf_data.ok()) return leaf_data.status();
  auto leaf_hash = JsonBase64(j, "leaf_hash");
  if (!leaf_hash.ok()) return leaf_hash.status();
  auto hashes = JsonHashes(j);
  if (!hashes.ok()) return hashes.status();
  return InclusionProofJson{*index, *size, *std::move(leaf_data),
                            *std::move(leaf_hash), *std::move(hashes)};
}

absl::StatusOr<ConsistencyProofJson> Consistency(const Json& j) {
  auto first = JsonUint(j, "first");
  if (!first.ok()) return first.status();
  auto second = JsonUint(j, "second");
  if (!second.ok()) return second.status();
  auto hashes = JsonHashes(j);
  if (!hashes.ok()) return hashes.status();
  return ConsistencyProofJson{*first, *second, *std::move(hashes)};
}

}  // namespace

absl::Status FromJson(const std::string& json, google::protobuf::Message* m,
                      absl::string_view what) {
  auto s = google::protobuf::util::JsonStringToMessage(json, m);
  if (!s.ok())
    return UsageError(absl::StrCat(what, ": ", s.message().ToString()));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Event>> EventsFromJson(const std::string& text,
                                                      bool batch) {
  std::vector<v1::Event> events;
  if (!batch) {
    events.emplace_back();
    if (auto s = FromJson(text, &events.back(), "event"); !s.ok()) return s;
    return events;
  }
  // A JSON array of events: parsed as the repeated field of an EventList.
  v1::EventList list;
  if (auto s = FromJson(absl::StrCat("{\"events\":", text, "}"), &list,
                        "--batch events");
      !s.ok()) {
    return s;
  }
  events.assign(list.events().begin(), list.events().end());
  if (events.empty()) return UsageError("--batch: no events in the input");
  return events;
}

absl::StatusOr<ProofJson> ParseProofJson(const std::string& text) {
  auto j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return UsageError("verify-proof: neither a tlog-proof nor a prove JSON");
  }
  if (j.contains("log_index")) return Inclusion(j);
  if (j.contains("first")) return Consistency(j);
  return UsageError("verify-proof: unrecognised proof JSON");
}

}  // namespace ailedger
