// The JSON files the CLI reads, parsed without a connection or a key: events
// for `push` and `event-id` (protobuf's JSON mapping of ailedger.v1.Event),
// a key request for `key grant`, and the proofs `prove --json` prints for
// `verify-proof`. They are files a person or another party wrote, so each
// refusal is a usage error (cmdline/usage_error.h) naming the field; the
// fuzzers of tests/fuzz call these functions as the commands do.
#ifndef AILEDGER_CLIENT_JSON_INPUT_H_
#define AILEDGER_CLIENT_JSON_INPUT_H_

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "ailedger/event.pb.h"
#include "google/protobuf/message.h"
#include "ledger/merkle/hash.h"

namespace ailedger {

// A usage error naming `what` when `json` does not parse as `m`.
absl::Status FromJson(const std::string& json, google::protobuf::Message* m,
                      absl::string_view what);

// The events of a push input: one JSON object, or with `batch` a JSON array of
// them (at least one).
absl::StatusOr<std::vector<v1::Event>> EventsFromJson(const std::string& text,
                                                      bool batch);

// `ailedger prove inclusion --json` output.
struct InclusionProofJson {
  uint64_t log_index = 0, tree_size = 0;
  std::string leaf_data, leaf_hash;  // decoded bytes
  std::vector<Hash> hashes;
};

// `ailedger prove consistency --json` output.
struct ConsistencyProofJson {
  uint64_t first = 0, second = 0;
  std::vector<Hash> hashes;
};

using ProofJson = std::variant<InclusionProofJson, ConsistencyProofJson>;

// Every field parsed, and refused when malformed, before any checkpoint is
// read: "verify-proof: FIELD: why". An object with "log_index" is an inclusion
// proof, one with "first" a consistency proof.
absl::StatusOr<ProofJson> ParseProofJson(const std::string& text);

}  // namespace ailedger

#endif  // AILEDGER_CLIENT_JSON_INPUT_H_
