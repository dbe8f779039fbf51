#!/usr/bin/env bash
# The unit and e2e suites again under AddressSanitizer and UndefinedBehaviorSanitizer, in a
# second build directory (build-asan/, benchmarks off). Run after tools/test.sh (which installs
# the packages). Usage: tools/test-sanitizers.sh [ctest arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEDGER_SANITIZE=ON \
  -DLEDGER_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j"${JOBS:-2}"
cd build-asan
# A leak or an undefined behaviour fails the test that ran into it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --output-on-failure -j"${JOBS:-2}" --timeout 900 "$@"
