"""Writes tests/data/python-interop-vectors.json from the C++ client: every event id comes
from `ailedger event-id` and every event's bytes and signature from the leaf that
`ailedger push` (the C++ signer) wrote on a fresh local log. Python asserts it computes the
same (client/python/tests/test_signing.py); the e2e suite re-derives them from C++ each run.

    PYTHONPATH=build/client/python:client/python:client/python/tests:client/python/tools \\
      python3 client/python/tools/make_interop_vectors.py > tests/data/python-interop-vectors.json
"""
import base64
import json

import ailedger
import interop_events as iv
from harness import LocalLog


def cxx_vectors():
    log = LocalLog(iv.ORIGIN, iv.ORGANISATION, iv.RULES_VERSION)
    try:
        keys = iv.signing_keys()
        paths = {name: log.grant(name, k.format()) for name, k in keys.items()}
        out = []
        for signer, ev in iv.events():
            text = json.dumps(ev, ensure_ascii=False)
            eid = log.cli("event-id", "-", "--origin", iv.ORIGIN, stdin=text,
                          server=False).stdout.split()[0]
            rfile = log.path("receipt")
            log.cli("push", "-", "--key", paths[signer], "--vkey", log.vkey, "--receipt", rfile,
                    stdin=text)
            proof = ailedger.TlogProof.parse(open(rfile).read())
            leaf = ailedger.Leaf.decode(proof.extra)
            out.append({"signer": signer, "event": ev,
                        "event_bytes": base64.b64encode(leaf.event_bytes).decode(),
                        "event_id_hex": eid,
                        "signature": base64.b64encode(leaf.signature).decode()})
        return out
    finally:
        log.close()


def main():
    doc = {"description": "Events signed by the C++ client (ailedger push) for the origin below"
                          " with keys from fixed seeds (test only); event ids from ailedger "
                          "event-id. The Python client must produce the same bytes, ids and "
                          "signatures. Written by client/python/tools/make_interop_vectors.py.",
           "origin": iv.ORIGIN,
           "keys": [{"name": n, "seed_hex": s.hex(), "vkey": str(iv.signing_keys()[n].verifier)}
                    for n, s in iv.KEYS.items()],
           "vectors": cxx_vectors()}
    print(json.dumps(doc, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
