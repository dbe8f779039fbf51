#!/usr/bin/env bash
# Pushes a model release to an ailedger log from CI and keeps a verified receipt: what the
# GitHub Actions workflow and the GitLab job call on a release tag.
#
#   examples/ci/push-release.sh MODEL_CARD [RECEIPT] [extra push-release flags...]
#
# Environment (CI secrets and variables):
#   AILEDGER_SERVER          host:port of the log (default 127.0.0.1:7420)
#   AILEDGER_KEY             the pipeline's service key: a file path, or the key text itself
#                            (a masked secret); never echoed
#   AILEDGER_LOG_VKEY        the log's verifier key (pins the origin and verifies the receipt)
#   AILEDGER_WITNESS_POLICY  optional witness policy file (quorum of cosignatures required)
#   AILEDGER_PYTHONPATH      where the package is when not installed (e.g. the build tree)
# Exit 0 only when the release was logged and its receipt verifies offline; the receipt is
# written to RECEIPT (default release.receipt) for the job to keep as an artefact.
set -euo pipefail
if [ $# -lt 1 ]; then
  echo "usage: $0 MODEL_CARD [RECEIPT] [flags...]" >&2
  exit 2
fi
card="$1"
receipt="${2:-release.receipt}"
shift $(($# < 2 ? $# : 2))
: "${AILEDGER_KEY:?set AILEDGER_KEY (the CI secret holding the pipeline key)}"
: "${AILEDGER_LOG_VKEY:?set AILEDGER_LOG_VKEY (the log verifier key)}"
here="$(cd "$(dirname "$0")/../.." && pwd)"
export PYTHONPATH="${AILEDGER_PYTHONPATH:-$here/build/client/python:$here/client/python}${PYTHONPATH:+:$PYTHONPATH}"
# Debian's python3 by default: python3-grpcio, -protobuf, -nacl and -yaml are installed there.
PYTHON="${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}"

"$PYTHON" -m ailedger push-release "$card" --receipt "$receipt" "$@"
# Verified a second time from the file alone, as an auditor would with the artefact.
"$PYTHON" -m ailedger verify-receipt "$receipt" >/dev/null
