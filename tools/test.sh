#!/usr/bin/env bash
# Set-up (tools/setup.sh), build, then every test suite under ctest.
# Usage: tools/test.sh [ctest arguments...], e.g. tools/test.sh -L unit
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
cd build
ctest --output-on-failure -j"${JOBS:-2}" --timeout 600 "$@"
