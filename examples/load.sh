#!/usr/bin/env bash
# Loads an example profile into a fresh log: keys (`ailedger keygen`), a genesis, `ailedgerd
# init` and `serve` on loopback, the profile's keys granted as keys.tsv says, then every
# NNN-<key>-<Type>.json template rendered (examples/render.py: keys, event ids, the report's
# anchor) into DATA/rendered/ and pushed in name order with the key its name gives, and
# finally an export verified offline. Run tools/setup.sh first (it builds build/).
#
# Usage: examples/load.sh PROFILE_DIR [--data DIR (examples-data/<profile>)]
#                         [--listen ADDR (127.0.0.1:7431)] [--serve]
#
# Test clock (example logs only: an origin starting with "example."): the log keeps the
# story's times. DATA/clock holds the time the server integrates at (Unix ms); `ailedgerd
# init` and `serve` read it (--test-clock). The genesis occurs a day before the profile's
# first event (its 001 file) and is integrated five minutes later; each key grant occurs a
# minute after the one before it (`--occurred-at`) and is integrated five minutes after it.
# Before each push the clock is set to the event's occurred_at plus five minutes (never
# going back), so every leaf is integrated minutes after its event occurred, except a
# backfilled event (backfill_reason), integrated when it was recorded: at the time of the
# event before it.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HERE="$(cd "$(dirname "$0")" && pwd)"
A=${AILEDGER:-$ROOT/build/client/ailedger}
D=${AILEDGERD:-$ROOT/build/server/ailedgerd}
[ $# -ge 1 ] || { sed -n 8,9p "$0" >&2; exit 2; }
PROFILE=$(cd "$1" && pwd); shift
DATA=examples-data/$(basename "$PROFILE")
LISTEN=127.0.0.1:7431
SERVE=0
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --listen) LISTEN=$2; shift 2 ;;
    --serve) SERVE=1; shift ;;
    *) sed -n 8,9p "$0" >&2; exit 2 ;;
  esac
done
[ ! -e "$DATA" ] || { echo "load.sh: $DATA exists; remove it or pass --data" >&2; exit 2; }
mkdir -p "$DATA/keys" "$DATA/rendered"
K=$DATA/keys
ORIGIN=$(cat "$PROFILE/origin")
ADMIN_ORG=$(awk -F'\t' '!/^#/ {print $2; exit}' "$PROFILE/keys.tsv")
CLOCK=$DATA/clock
WANT_LISTEN=$LISTEN

# The story's start: a day before its first event.
first=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["occurred_at_ms"])' \
  "$(ls "$PROFILE"/[0-9]*-*.json | head -1)")
story_ms=$((first - 86400000))
clock_ms=$((story_ms + 300000))
echo "$clock_ms" > "$CLOCK"

$A keygen --name "$ORIGIN" --out "$K/log.key" >/dev/null
$A keygen --name admin --out "$K/admin.key" >/dev/null
$A genesis --origin "$ORIGIN" --admin-key "$K/admin.key" --log-vkey "$(cat "$K/log.key.pub")" \
  --organisation "$ADMIN_ORG" --admin-name "Log administrator ($ADMIN_ORG)" \
  --occurred-at "$story_ms" --out "$K/genesis.json" >/dev/null
$D init --data "$DATA/store" --genesis "$K/genesis.json" --log-key "$K/log.key" \
  --test-clock "$CLOCK" >/dev/null

PID=
stop() { [ -z "$PID" ] || { kill -TERM "$PID" 2>/dev/null; wait "$PID" 2>/dev/null || true; }; PID=; }
trap stop EXIT
start() {  # start ARGS...: serve the store, set LISTEN and S
  : > "$DATA/ailedgerd.log"
  $D serve --data "$DATA/store" --log-key "$K/log.key" --listen "$WANT_LISTEN" "$@" \
    > "$DATA/ailedgerd.log" 2>&1 &
  PID=$!
  LISTEN=
  for _ in $(seq 100); do grep -q "listening on" "$DATA/ailedgerd.log" && break; sleep 0.1; done
  LISTEN=$(sed -n 's/.*listening on \([^ ]*\)$/\1/p' "$DATA/ailedgerd.log")
  [ -n "$LISTEN" ] || { cat "$DATA/ailedgerd.log" >&2; exit 1; }
  S=(--server "$LISTEN")
}
start --test-clock "$CLOCK"
echo "test clock: $CLOCK"

grant_ms=$story_ms
while IFS=$'\t' read -r name org kind roles functions scope display; do
  case "$name" in '#'* | '') continue ;; esac
  # What the key may do: asked for by the holder, stated again by the admin.
  grant=(--kind "$kind")
  IFS=, read -ra list <<< "$roles"; for r in "${list[@]}"; do grant+=(--role "$r"); done
  if [ "$functions" != - ]; then
    IFS=, read -ra list <<< "$functions"; for f in "${list[@]}"; do grant+=(--function "$f"); done
  fi
  [ "$scope" = - ] || grant+=(--scope-organisation "$scope")
  $A keygen --name "$name" --out "$K/$name.key" >/dev/null
  $A "${S[@]}" key request --key "$K/$name.key" --organisation "$org" \
    --display-name "${display:-$name}" "${grant[@]}" --out "$K/$name.request" >/dev/null
  # (the grant it shows on stderr is kept in $name.grant, and shown if refused)
  grant_ms=$((grant_ms + 60000))
  clock_ms=$((grant_ms + 300000))
  echo "$clock_ms" > "$CLOCK"
  $A "${S[@]}" key grant "$K/$name.request" --key "$K/admin.key" --organisation "$org" "${grant[@]}" \
    --occurred-at "$grant_ms" >/dev/null 2>"$K/$name.grant" || { cat "$K/$name.grant" >&2; exit 1; }
  label="$org; $roles"
  [ "$functions" = - ] || label+="; functions $functions"
  echo "granted $name: ${display:-$name} ($label)"
done < "$PROFILE/keys.tsv"

for f in "$PROFILE"/[0-9]*-*.json; do
  base=$(basename "$f" .json)
  key=$(echo "$base" | cut -d- -f2)
  anchor=()
  if grep -q '{{tree_size}}\|{{root_hash}}' "$f"; then
    cp=$($A "${S[@]}" checkpoint)
    anchor=(--tree-size "$(echo "$cp" | sed -n 2p)" --root-hash "$(echo "$cp" | sed -n 3p)")
  fi
  occurred=$(python3 "$HERE/render.py" "$f" --out "$DATA/rendered/$base.json" --keys "$K" \
    --origin "$ORIGIN" --cli "$A" "${anchor[@]}")
  next=$((occurred + 300000))
  [ "$next" -le "$clock_ms" ] || clock_ms=$next
  echo "$clock_ms" > "$CLOCK"
  out=$($A "${S[@]}" push "$DATA/rendered/$base.json" --key "$K/$key.key" --vkey "$(cat "$K/log.key.pub")")
  printf '%-48s %s\n' "$base" "$(echo "$out" | head -1)"
done

$A "${S[@]}" export --out "$DATA/log.bundle" --key "$K/admin.key" >/dev/null
expect=()
for pub in "$K"/*.key.pub; do
  name=$(basename "$pub" .key.pub)
  role=$(awk -F'\t' -v n="$name" '$1 == n {print $4}' "$PROFILE/keys.tsv")
  [ "$role" = auditor ] && expect+=(--expect "auditor=$(cat "$pub")")
done
$A verify "$DATA/log.bundle" --vkey "$(cat "$K/log.key.pub")" \
  --admin-vkey "$(cat "$K/admin.key.pub")" "${expect[@]}"
if [ "$SERVE" = 1 ]; then
  echo "serving $ORIGIN on $LISTEN (Ctrl-C to stop)"
  wait $PID
fi
