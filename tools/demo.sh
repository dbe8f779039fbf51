#!/usr/bin/env bash
# The main job on the embedded default: set-up and build (tools/setup.sh), then a demo log in
# a local folder (default demo-data/) that appends signed events, proves and verifies them.
# Run it again to see the log resume and prove consistency across runs.
# Usage: tools/demo.sh [--data DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup.sh
exec build/tools/ledger_demo "$@"
