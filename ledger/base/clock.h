// The wall clock, read in one place: Unix time in milliseconds, the unit of
// every time the log records (a leaf's integrated_time_ms, an event's
// occurred_at_ms, a signed call's time_ms). Components that need another
// clock in tests take a callable instead (the sequencer, the service).
#ifndef AILEDGER_LEDGER_BASE_CLOCK_H_
#define AILEDGER_LEDGER_BASE_CLOCK_H_

#include <cstdint>

namespace ailedger {

// Milliseconds since the Unix epoch, from the system clock (not monotonic: it
// follows the host's clock, as a recorded time must). Thread-safe.
int64_t NowMs();

}  // namespace ailedger

#endif  // AILEDGER_LEDGER_BASE_CLOCK_H_
