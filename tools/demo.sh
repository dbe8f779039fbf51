#!/usr/bin/env bash
# The main job on the embedded default: set-up and build (tools/setup.sh), then a ledger in a
# local folder (RocksDB) served by ailedgerd on 127.0.0.1:7420, with a walk-through of what a
# vendor's pipeline, an independent auditor and a report's reader do with it: three years of a
# provider's and its deployer's records (tools/gen-history), a release pushed with its receipt,
# an auditor with its own key granted, pinned and verifying every byte offline, then the annual
# impact, Canada AIA, ISO/IEC 42001 and verification reports written (HTML, Markdown, JSON) and
# anchored on the log. It keeps serving until Ctrl-C.
#
# The log is an example log (its origin starts with "example."): the three years are replayed
# with the story's own times (`ailedgerd serve --test-clock`, which only example logs accept),
# then the server is restarted on the host's clock for everything after.
#
# Usage: tools/demo.sh [--data DIR (demo-data)] [--listen ADDR (127.0.0.1:7420)] [--no-serve]
set -euo pipefail
cd "$(dirname "$0")/.."

DATA=demo-data
LISTEN=127.0.0.1:7420
SERVE=1
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --listen) LISTEN=$2; shift 2 ;;
    --no-serve) SERVE=0; shift ;;
    *) echo "usage: tools/demo.sh [--data DIR] [--listen ADDR] [--no-serve]" >&2; exit 2 ;;
  esac
done

tools/setup.sh
A=build/client/ailedger
D=build/server/ailedgerd
ORIGIN=example.demo.ailedger/log
CLOCK=$DATA/clock
STORY_START=1688083200000  # 2023-06-30T00:00Z: the day before the story's first
K=$DATA/keys
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

if [ ! -f "$DATA/store/CURRENT" ]; then
  say "Creating the log $ORIGIN in $DATA (keys in $K, outside the store)"
  mkdir -p "$K"
  $A keygen --name "$ORIGIN" --out "$K/log.key" >/dev/null
  $A keygen --name admin --out "$K/admin.key" >/dev/null
  $A keygen --name ml-pipeline --out "$K/pipeline.key" >/dev/null
  $A genesis --origin "$ORIGIN" --admin-key "$K/admin.key" --log-vkey "$(cat "$K/log.key.pub")" \
    --organisation "Demo Provider Ltd" --out "$K/genesis.json" --occurred-at "$STORY_START"
  echo $((STORY_START + 300000)) > "$CLOCK"
  $D init --data "$DATA/store" --genesis "$K/genesis.json" --log-key "$K/log.key" \
    --test-clock "$CLOCK"
fi

PID=
serve() {  # serve [--test-clock FILE]
  say "Starting ailedgerd on $LISTEN $*"
  $D serve --data "$DATA/store" --log-key "$K/log.key" --listen "$LISTEN" "$@" \
    > "$DATA/ailedgerd.log" 2>&1 &
  PID=$!
  for _ in $(seq 50); do grep -q "listening on" "$DATA/ailedgerd.log" && break; sleep 0.1; done
  cat "$DATA/ailedgerd.log"
}
stop() { [ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }; }
trap stop EXIT
S=(--server "$LISTEN")

if [ ! -f "$K/history.pushed" ]; then
  serve --test-clock "$CLOCK"
  say "Three years of a provider's and its deployer's records (tools/gen-history, seeded),"
  echo "integrated at the story's own times"
  build/tools/gen-history --server "$LISTEN" --admin-key "$K/admin.key" --events 1500 --seed 7 \
    --test-clock "$CLOCK" --keys-out "$K/history-keys.txt"
  touch "$K/history.pushed"
  stop
fi
serve  # the host's clock from here on

if [ ! -f "$K/pipeline.granted" ]; then
  say "The admin grants the vendor's ML pipeline a publisher key"
  $A "${S[@]}" key request --key "$K/pipeline.key" --organisation "Demo Provider Ltd" \
    --role publisher --kind service --out "$K/pipeline.request"
  $A "${S[@]}" key grant "$K/pipeline.request" --key "$K/admin.key" \
    --organisation "Demo Provider Ltd" --role publisher --kind service
  touch "$K/pipeline.granted"
fi

if [ ! -f "$K/system.registered" ]; then
  say "The provider registers its system (a release must name a registered system)"
  cat > "$DATA/system.json" <<JSON
{"event_type":"SystemRegistered","schema_version":2,"organisation":"Demo Provider Ltd",
 "subjects":[{"kind":"system","id":"loan-pricing"}],"framework_refs":["euaia:art49"],
 "system_registered":{"name":"Loan pricing","intended_purpose":"consumer credit limit decisions",
  "provider":"Demo Provider Ltd","eu_role":"EU_ROLE_PROVIDER","risk_class":"RISK_CLASS_HIGH",
  "annex_iii_point":"5(b)","jurisdictions":["EU"],"owner":"Head of Credit Risk"}}
JSON
  $A "${S[@]}" push "$DATA/system.json" --key "$K/pipeline.key"
  touch "$K/system.registered"
fi

say "The pipeline pushes a signed release record and keeps its receipt"
NOW=$(date +%s%3N)
cat > "$DATA/release.json" <<JSON
{"event_type":"ModelVersionReleased","schema_version":2,"organisation":"Demo Provider Ltd",
 "subjects":[{"kind":"system","id":"loan-pricing"},{"kind":"model_version","id":"2.4.$NOW"}],
 "occurred_at_ms":"$NOW","framework_refs":["euaia:art11","iso42001:A.6.2.8"],
 "model_version_released":{"version":"2.4.$NOW",
  "artifact_sha256":"ERERERERERERERERERERERERERERERERERERERERERE="}}
JSON
$A "${S[@]}" push "$DATA/release.json" --key "$K/pipeline.key" --vkey "$(cat "$K/log.key.pub")" \
  --receipt "$DATA/release.tlog-proof"
echo "receipt (C2SP tlog-proof) saved to $DATA/release.tlog-proof"

say "Pushing the same record again returns the original receipt"
$A "${S[@]}" push "$DATA/release.json" --key "$K/pipeline.key"

say "An auditor reads the history of the system"
$A "${S[@]}" query --subject system:loan-pricing --key "$K/admin.key" --json | tail -3

say "The signed checkpoint, and proofs anyone can check against it"
$A "${S[@]}" checkpoint
SIZE=$($A "${S[@]}" log-info --json | sed 's/.*"size":\([0-9]*\).*/\1/')
$A "${S[@]}" prove inclusion --index $((SIZE - 1)) --json --key "$K/admin.key" | cut -c1-160
echo "..."
[ "$SIZE" -gt 2 ] && $A "${S[@]}" prove consistency --from 2 --to "$SIZE" --json --key "$K/admin.key"

# grant NAME ORGANISATION ROLE KIND: the admin grants NAME's key (made the first time).
grant() {
  [ -f "$K/$1.granted" ] && return
  $A keygen --name "$1" --out "$K/$1.key" >/dev/null
  $A "${S[@]}" key request --key "$K/$1.key" --organisation "$2" --role "$3" --kind "$4" \
    --out "$K/$1.request"
  $A "${S[@]}" key grant "$K/$1.request" --key "$K/admin.key" --organisation "$2" --role "$3" \
    --kind "$4"
  touch "$K/$1.granted"
}

say "A second audit firm gets its own key; a reader pins every auditor key it was told of (the"
echo "story's auditor, from the engagement letter, and this one): a grant of the auditor role to"
echo "any other key makes verification fail"
grant auditor "Independent Audit LLP" auditor person
PINS=(--vkey "$(cat "$K/log.key.pub")" --admin-vkey "$(cat "$K/admin.key.pub")"
      --expect "auditor=$(cat "$K/auditor.key.pub")")
while read -r roles _ vkey; do
  case ",$roles," in *,auditor,*) PINS+=(--expect "auditor=$vkey") ;; esac
done < "$K/history-keys.txt"

say "The auditor exports the history and verifies every byte offline, trusting only the keys"
$A "${S[@]}" export --out "$DATA/history.bundle" --key "$K/auditor.key"
$A verify "$DATA/history.bundle" "${PINS[@]}"
$A verify-proof "$DATA/release.tlog-proof" --vkey "$(cat "$K/log.key.pub")" --no-witness-policy \
  --event "$DATA/release.json"

say "Reports from the verified bundle, each figure citing a signed entry with its proof;"
echo "Aurora's reporting officer anchors each on the log (a ReportPublished of the files' digests)"
grant reporting "Aurora Credit AI" publisher person
R=$DATA/reports
REPORT=(--bundle "$DATA/history.bundle" "${PINS[@]}" --out "$R")
ANCHOR=(--anchor --key "$K/reporting.key")
$A "${S[@]}" report verification "${REPORT[@]}"
$A "${S[@]}" report annual --organisation "Aurora Credit AI" --year 2025 "${REPORT[@]}" "${ANCHOR[@]}"
$A "${S[@]}" report aia --system credit-scoring "${REPORT[@]}" "${ANCHOR[@]}"
$A "${S[@]}" report iso42001 --organisation "Aurora Credit AI" --as-of 2026-06-30 "${REPORT[@]}" \
  "${ANCHOR[@]}"
$A "${S[@]}" report fairness --system credit-scoring "${REPORT[@]}"
$A "${S[@]}" report system --system credit-scoring "${REPORT[@]}"

say "The reports, to open in a browser (self-contained: no network):"
for f in "$R"/*.html; do echo "  file://$(cd "$(dirname "$f")" && pwd)/$(basename "$f")"; done

if [ "$SERVE" = 1 ]; then
  say "ailedgerd keeps serving $ORIGIN on $LISTEN; press Ctrl-C to stop"
  wait $PID
fi
