#!/usr/bin/env python3
"""Writes the seed corpora of tests/fuzz from a log's outputs (make_corpus.sh).

Usage: make_corpus.py OUT DATA TESTDATA CORPUS

OUT holds what make_corpus.sh saved (bundles, tiles, checkpoints, receipts,
prove --json output), DATA the examples/load.sh directory (rendered events, key
requests), TESTDATA tests/data (signed-note vectors, the Tessera log). Each
corpus gets valid inputs and a few broken ones; seeds named crash-* (the
regressions fuzzing found) are kept.
"""
import base64
import glob
import json
import os
import shutil
import struct
import sys

OUT, DATA, TESTDATA, CORPUS = sys.argv[1:5]
TRUST = os.path.join(os.path.dirname(CORPUS), "trust")


def read(path):
    with open(path, "rb") as f:
        return f.read()


def reset(name):
    d = os.path.join(CORPUS, name)
    kept = {}
    if os.path.isdir(d):
        for f in glob.glob(os.path.join(d, "crash-*")):
            kept[os.path.basename(f)] = read(f)
        shutil.rmtree(d)
    os.makedirs(d)
    for f, b in kept.items():
        seed(name, f, b)
    return d


def seed(name, fname, data):
    if isinstance(data, str):
        data = data.encode()
    assert len(data) <= 64 * 1024, (name, fname, len(data))
    with open(os.path.join(CORPUS, name, fname), "wb") as f:
        f.write(data)


def flip(data, at):
    b = bytearray(data)
    b[at % len(b)] ^= 0x01
    return bytes(b)


def bundle_records(data):
    """(type, payload) of each record of a bundle (docs/BUNDLE.md)."""
    magic = b"ailedger-bundle/v1\n"
    assert data.startswith(magic)
    i, out = len(magic), []
    while i < len(data):
        t = data[i]
        (n,) = struct.unpack(">I", data[i + 1:i + 5])
        out.append((t, data[i + 5:i + 5 + n]))
        i += 5 + n
    return out


full = read(f"{OUT}/full.bundle")
records = bundle_records(full)
leaves = [p for t, p in records if t == 4]

# Trust: the note vectors' and the Tessera log's verifier keys.
vectors = json.load(open(f"{TESTDATA}/signed-note/signed-note-vectors.json"))
with open(f"{TRUST}/notes.vkeys", "w") as f:
    for v in vectors["vectors"]:
        if "verifier_key" in v:
            f.write(v["verifier_key"] + "\n")
for n in [10, 30]:
    shutil.copy(f"{OUT}/checkpoint{n}", f"{TRUST}/checkpoint{n}")

# event: the canonical event bytes of leaves, one per event type.
reset("event")
seen = set()
for i, leaf in enumerate(leaves):
    (n,) = struct.unpack(">H", leaf[145:147])
    event = leaf[147:147 + n]
    kind = event[2:2 + event[1]].decode() if event[0] == 0x0A else "x"
    if kind in seen or len(seen) >= 22:
        continue
    seen.add(kind)
    seed("event", f"leaf{i:03d}-{kind}", event)
    last = event
for i in [0, 7, len(leaves) - 1]:
    seed("event", f"whole-leaf{i:03d}", leaves[i])
seed("event", "broken-truncated", last[:-3])
seed("event", "broken-unknown-field", last + b"\xf8\x3f\x01")  # field 1023
seed("event", "broken-noncanonical-order", last[4:] + last[:4])
seed("event", "broken-empty", b"")

# event_json: push's events (one, and a --batch array) and key requests.
reset("event_json")
rendered = sorted(glob.glob(f"{DATA}/rendered/*.json"))
for p in rendered[:16]:
    seed("event_json", "event-" + os.path.basename(p), read(p))
batch = [json.load(open(p)) for p in rendered[16:19]]
seed("event_json", "batch-3.json", json.dumps(batch))
for p in sorted(glob.glob(f"{DATA}/keys/*.request"))[:3]:
    seed("event_json", "request-" + os.path.basename(p), read(p))
seed("event_json", "broken-trailing-comma.json", read(rendered[0])[:-3] + b",}")
seed("event_json", "broken-unknown-field.json", '{"event_type":"X","nope":1}')
seed("event_json", "broken-int64-string.json",
     '{"event_type":"TrainingCompleted","occurred_at_ms":"-9223372036854775809"}')
seed("event_json", "broken-batch-injection.json", '[{}]],"x":[')

# note: checkpoints (the log's, cosigned or not, and Tessera's) and the signed
# note vectors.
reset("note")
for f in ["checkpoint", "checkpoint1", "checkpoint30", "cosigned1", "cosigned4"]:
    seed("note", f, read(f"{OUT}/{f}"))
for n in [0, 1, 15]:
    seed("note", f"tessera-checkpoint.{n}",
         read(f"{TESTDATA}/tessera-testdata-log/checkpoint.{n}"))
for p in sorted(glob.glob(f"{TESTDATA}/signed-note/*.note")):
    seed("note", os.path.basename(p), read(p))
cp = read(f"{OUT}/checkpoint")
seed("note", "broken-extension-line", cp.replace(b"\n\n", b"\nextra\n\n", 1))
seed("note", "broken-size-leading-zero",
     cp.replace(b"\n", b"\n0", 1))
seed("note", "broken-signature-bit", flip(cp, len(cp) - 10))
seed("note", "broken-no-signature", cp[:cp.index(b"\n\n") + 2])

# cosignature: checkpoints cosigned by the witness.
reset("cosignature")
for i in [1, 2, 3, 4]:
    seed("cosignature", f"cosigned{i}", read(f"{OUT}/cosigned{i}"))
c = read(f"{OUT}/cosigned4")
lines = c.split(b"\n")
# A witness's answer to the newest checkpoint: its cosignature line.
seed("cosignature", "answer", lines[-2] + b"\n")
seed("cosignature", "answer-two-lines", lines[-3] + b"\n" + lines[-2] + b"\n")
seed("cosignature", "broken-cosignature-bit", flip(c, len(c) - 10))
seed("cosignature", "broken-cosignature-twice",
     c + lines[-2] + b"\n")
seed("cosignature", "broken-timestamp",
     c.replace(lines[-2], lines[-2][:-20] + b"A" + lines[-2][-19:]))

# tlog_proof: append receipts.
reset("tlog_proof")
for f in ["receipt1", "receipt2", "receipt3", "receipt4", "receipt-duplicate"]:
    seed("tlog_proof", f, read(f"{OUT}/{f}"))
r = read(f"{OUT}/receipt4")
seed("tlog_proof", "broken-index", r.replace(b"\nindex ", b"\nindex 1"))
seed("tlog_proof", "broken-hash", flip(r, r.index(b"\nindex") + 30))
seed("tlog_proof", "broken-no-blank-line", r.replace(b"\n\n", b"\n", 1))
seed("tlog_proof", "broken-truncated", r[:len(r) // 2])

# bundle: whole, ranged (with a proof from the trusted checkpoint at size 30),
# and the prefix up to it.
reset("bundle")
for f in ["full", "ranged", "prefix"]:
    seed("bundle", f + ".bundle", read(f"{OUT}/{f}.bundle"))
seed("bundle", "broken-truncated.bundle", full[:len(full) * 2 // 3])
seed("bundle", "broken-leaf-bit.bundle", flip(full, len(full) // 2))
seed("bundle", "broken-length.bundle",
     full[:19] + bytes([full[19]]) + b"\xff\xff\xff\xff" + full[24:])
seed("bundle", "broken-magic.bundle", b"ailedger-bundle/v2\n" + full[19:])
seed("bundle", "previous-release-small-deployer.bundle",
     read(f"{TESTDATA}/release-1d5ff10/small-deployer/log.bundle"))


# tiles: u16 checkpoint length, u16 entry-bundle length, checkpoint, entry
# bundle, level-0 hash tile (tests/fuzz/tiles_fuzz.cc).
def tiles_input(checkpoint, entries, hashes):
    return (struct.pack(">HH", len(checkpoint), len(entries)) + checkpoint +
            entries + hashes)


reset("tiles")
t = f"{OUT}/tiles"
size = int(read(f"{t}/checkpoint").split(b"\n")[1])
tiled = tiles_input(read(f"{t}/checkpoint"), read(f"{t}/tile/entries/000.p/{size}"),
                    read(f"{t}/tile/0/000.p/{size}"))
seed("tiles", "log", tiled)
tl = f"{TESTDATA}/tessera-testdata-log"
for n in [1, 2, 8, 15]:
    seed("tiles", f"tessera-{n}",
         tiles_input(read(f"{tl}/checkpoint.{n}"),
                     read(f"{tl}/tile/entries/000.p/{n}"),
                     read(f"{tl}/tile/0/000.p/{n}")))
seed("tiles", "broken-entry-bit", flip(tiled, len(tiled) // 2))
seed("tiles", "broken-hash-tile-short", tiled[:-32])
seed("tiles", "broken-entries-truncated",
     tiles_input(read(f"{t}/checkpoint"),
                 read(f"{t}/tile/entries/000.p/{size}")[:-5], b""))

# proof_json: prove inclusion / consistency --json.
reset("proof_json")
for p in sorted(glob.glob(f"{OUT}/inclusion*.json") +
                glob.glob(f"{OUT}/consistency*.json")):
    seed("proof_json", os.path.basename(p), read(p))
inc = json.load(open(sorted(glob.glob(f"{OUT}/inclusion*.json"))[0]))
for name, value in [("negative", -1), ("fraction", 6.5), ("huge", 2**64),
                    ("exponent", 1e300), ("string", "7")]:
    seed("proof_json", f"broken-index-{name}.json",
         json.dumps(dict(inc, log_index=value)))
seed("proof_json", "broken-hash-length.json",
     json.dumps(dict(inc, hashes=[base64.b64encode(b"x" * 31).decode()])))
seed("proof_json", "broken-nested.json", "[" * 200 + "]" * 200)


# witness: tlog-witness add-checkpoint bodies, against a witness holding the
# checkpoint at size 10 (witness_fuzz.cc).
def proof_hashes(path):
    return "".join(h + "\n" for h in json.load(open(path))["hashes"]).encode()


reset("witness")
n_final = int(cp.split(b"\n")[1])
seed("witness", "old10-to30", b"old 10\n" + proof_hashes(f"{OUT}/consistency10-30.json") +
     b"\n" + read(f"{OUT}/checkpoint30"))
seed("witness", "old10-to-newest",
     b"old 10\n" + proof_hashes(f"{OUT}/consistency10-{n_final}.json") + b"\n" + cp)
seed("witness", "old10-same", b"old 10\n\n" + read(f"{OUT}/checkpoint10"))
seed("witness", "old0-conflict", b"old 0\n\n" + cp)
seed("witness", "broken-proof",
     b"old 10\n" + proof_hashes(f"{OUT}/consistency30-{n_final}.json") + b"\n" + cp)
seed("witness", "broken-old-above", b"old 99999\n\n" + cp)
seed("witness", "broken-no-old", b"\n" + cp)

# witness_http: requests as witness serve reads them.
reset("witness_http")
body = read(f"{CORPUS}/witness/old10-to30")


def http(head, body=b""):
    return head.replace(b"\n", b"\r\n") + b"\r\n" + body


seed("witness_http", "post-add-checkpoint",
     http(b"POST /add-checkpoint HTTP/1.1\nHost: w\nContent-Length: %d\n" % len(body), body))
seed("witness_http", "post-expect-continue",
     http(b"POST /add-checkpoint HTTP/1.1\nContent-Length: %d\nExpect: 100-continue\n" %
          len(body), body))
seed("witness_http", "get-latest-cosigned",
     http(b"GET /ailedger/v1/latest-cosigned/" + b"ab" * 32 + b"?x=1 HTTP/1.1\nHost: w\n"))
seed("witness_http", "broken-chunked",
     http(b"POST /add-checkpoint HTTP/1.1\nTransfer-Encoding: chunked\n", b"5\r\nhello\r\n0\r\n\r\n"))
seed("witness_http", "broken-no-length", http(b"POST /add-checkpoint HTTP/1.1\nHost: w\n", body))
seed("witness_http", "broken-two-lengths",
     http(b"POST /add-checkpoint HTTP/1.1\nContent-Length: 3\nContent-Length: 4\n", b"abcd"))
seed("witness_http", "broken-http2", http(b"GET / HTTP/2.0\n"))
seed("witness_http", "broken-header-line", http(b"GET / HTTP/1.1\n: no name\n"))
seed("witness_http", "broken-short-body",
     http(b"POST /add-checkpoint HTTP/1.1\nContent-Length: 100\n", b"old 0\n"))

for name in sorted(os.listdir(CORPUS)):
    print(name, len(os.listdir(os.path.join(CORPUS, name))), "seeds")
