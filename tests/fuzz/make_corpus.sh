#!/usr/bin/env bash
# Makes the seed corpora of tests/fuzz (corpus/NAME/) and what the fuzzers
# trust (trust/: the log's, its admin's and its witness's verifier keys, the
# log's checkpoints at sizes 10, 30 and its newest, the signed-note vectors'
# keys) from a real log written by this project's own tools: examples/load.sh
# loads the small-deployer profile, then ailedgerd serves it with an `ailedger
# witness serve` cosigning, more events are pushed with their receipts, and the
# log is exported (bundles, tiles), proved (prove --json) and its checkpoints
# read. Broken seeds (truncated, altered) are made from those. Replaces corpus/
# and trust/ (new keys each time); the seeds of regressions (corpus/*/crash-*)
# are kept but made for the old keys. Run after building build/ (ailedger,
# ailedgerd).
#
# Usage: tests/fuzz/make_corpus.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HERE="$ROOT/tests/fuzz"
A=${AILEDGER:-$ROOT/build/client/ailedger}
D=${AILEDGERD:-$ROOT/build/server/ailedgerd}
W=$(mktemp -d)
DATA=$W/data
K=$DATA/keys
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null; wait "$p" 2>/dev/null || true; done
  rm -rf "$W"
}
trap cleanup EXIT

listening() {  # listening LOGFILE: the HOST:PORT a server printed
  for _ in $(seq 100); do grep -qs "listening on" "$1" && break; sleep 0.1; done
  sed -n 's/.*listening on \([^ ]*\)$/\1/p' "$1" | head -1
}

"$ROOT/examples/load.sh" "$ROOT/examples/small-deployer" --data "$DATA" \
  --listen 127.0.0.1:0 >/dev/null
LOGV=$(cat "$K/log.key.pub")

"$A" keygen --name witness.example/fuzz --cosigner --out "$K/witness.key" >/dev/null
"$A" witness serve --key "$K/witness.key" --log-vkey "$LOGV" --state "$W/witness" \
  --listen 127.0.0.1:0 >"$W/witness.log" 2>&1 &
PIDS+=($!)
WADDR=$(listening "$W/witness.log")
"$D" serve --data "$DATA/store" --log-key "$K/log.key" --listen 127.0.0.1:0 \
  --witness "http://$WADDR=$(cat "$K/witness.key.pub")" --witness-interval-ms 200 \
  >"$W/ailedgerd.log" 2>&1 &
PIDS+=($!)
S=(--server "$(listening "$W/ailedgerd.log")")
R=("${S[@]}" --key "$K/admin.key")  # reads, signed by the admin

size() { "$A" "${R[@]}" log-info --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["size"])'; }
cosigned_size() { "$A" "${R[@]}" checkpoint --cosigned 2>/dev/null | sed -n 2p; }

# Four more events, each cosigned before the next: receipts, and cosigned
# checkpoints at four sizes for the bundle's COSIGNED records.
mkdir -p "$W/out"
for i in 1 2 3 4; do
  python3 - "$DATA/rendered/034-staff-TrainingCompleted.json" "$i" >"$W/event$i.json" <<'EOF'
import json, sys
e = json.load(open(sys.argv[1]))
e["training_completed"]["course"] += " (refresher %s)" % sys.argv[2]
print(json.dumps(e, indent=2))
EOF
  "$A" "${S[@]}" push "$W/event$i.json" --key "$K/staff.key" --vkey "$LOGV" \
    --receipt "$W/out/receipt$i" >/dev/null
  want=$(size)
  for _ in $(seq 100); do [ "$(cosigned_size)" = "$want" ] && break; sleep 0.1; done
  [ "$(cosigned_size)" = "$want" ] || { echo "not cosigned: $want" >&2; cat "$W/witness.log" >&2; exit 1; }
  "$A" "${R[@]}" checkpoint --cosigned >"$W/out/cosigned$i"
done
N=$(size)
"$A" "${S[@]}" push "$W/event1.json" --key "$K/staff.key" --vkey "$LOGV" \
  --receipt "$W/out/receipt-duplicate" >/dev/null
"$A" "${R[@]}" checkpoint >"$W/out/checkpoint"
for s in 1 10 30; do "$A" "${R[@]}" checkpoint --size $s >"$W/out/checkpoint$s"; done
"$A" "${R[@]}" export --out "$W/out/full.bundle"
"$A" "${R[@]}" export --out "$W/out/ranged.bundle" --from 30 --to "$N" \
  --trusted "$W/out/checkpoint30"
"$A" "${R[@]}" export --out "$W/out/prefix.bundle" --from 0 --to 30
"$A" "${R[@]}" export-tiles "$W/out/tiles" >/dev/null
for i in 0 7 44 $((N - 1)); do
  "$A" "${R[@]}" --json prove inclusion --index $i >"$W/out/inclusion$i.json"
done
"$A" "${R[@]}" --json prove inclusion --index 3 --size 10 >"$W/out/inclusion3-10.json"
for r in "1 $N" "10 30" "10 $N" "30 $N" "44 45"; do
  set -- $r
  "$A" "${R[@]}" --json prove consistency --from "$1" --to "$2" >"$W/out/consistency$1-$2.json"
done

# What the fuzzers trust.
rm -rf "$HERE/trust" && mkdir -p "$HERE/trust"
cp "$K/log.key.pub" "$HERE/trust/log.vkey"
cp "$K/admin.key.pub" "$HERE/trust/admin.vkey"
cp "$K/witness.key.pub" "$HERE/trust/witness.vkey"
cp "$W/out/checkpoint" "$HERE/trust/checkpoint"

# The corpora, and broken seeds made from them.
python3 "$HERE/make_corpus.py" "$W/out" "$DATA" "$ROOT/tests/data" "$HERE/corpus"
du -sh "$HERE"/corpus/* "$HERE/trust"
