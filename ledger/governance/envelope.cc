#include "ledger/governance/envelope.h"

#include <string>

namespace ailedger {

v1::Event NewEvent(absl::string_view type, absl::string_view organisation,
                   int64_t occurred_at_ms) {
  v1::Event e;
  e.set_event_type(std::string(type));
  e.set_schema_version(kSchemaVersion);
  e.set_organisation(std::string(organisation));
  e.set_occurred_at_ms(occurred_at_ms);
  return e;
}

}  // namespace ailedger
