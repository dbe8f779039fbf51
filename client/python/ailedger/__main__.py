"""python3 -m ailedger: what CI jobs call (examples/ci/push-release.sh).

    python3 -m ailedger push-release CARD --server HOST:PORT --key FILE --vkey LOGVKEY
        [--system ID] [--organisation O] [--artifact FILE | --artifact-sha256 HEX]
        [--version V] [--previous-version V] [--receipt FILE] [--witness-policy FILE]
    python3 -m ailedger verify-receipt RECEIPT --vkey LOGVKEY [--witness-policy FILE]
        [--event FILE | --event-id HEX]

push-release builds a ModelVersionReleased from a model card, pushes it, writes the receipt
(the tlog-proof text, as `ailedger push --receipt`), verifies it offline, and prints the
verified receipt as one JSON line. Exit 0 verified, 1 refused or not verified, 2 usage.
"""

import argparse
import json
import os
import sys

import ailedger


def _key(value):
    # A CI secret may hold the key file's path or the key text itself.
    if value.startswith("PRIVATE+KEY+"):
        return ailedger.SigningKey.parse(value)
    return ailedger.SigningKey.load(value)


def _policy(path):
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        return ailedger.WitnessPolicy.parse(f.read())


def _report(v, receipt_path):
    print(json.dumps({"verified": True, "index": v.index, "event_id": v.event_id.hex(),
                      "origin": v.origin, "tree_size": v.checkpoint.checkpoint.size,
                      "cosignatures": v.cosigners, "receipt": receipt_path}))


def push_release(a):
    sha = bytes.fromhex(a.artifact_sha256) if a.artifact_sha256 else None
    event = ailedger.release_from_model_card(
        a.card, artifact_sha256=sha, artifact_path=a.artifact, version=a.version,
        previous_version=a.previous_version or "", system=a.system,
        organisation=a.organisation)
    policy = _policy(a.witness_policy)
    with ailedger.Ledger.connect(a.server, key=_key(a.key), log_vkey=a.vkey) as ledger:
        receipt = ledger.push(event)
    if a.receipt:
        with open(a.receipt, "w", encoding="utf-8") as f:
            f.write(receipt.tlog_proof)
    v = ailedger.verify_receipt(receipt, a.vkey, witness_policy=policy, event=event)
    _report(v, a.receipt)


def verify_receipt(a):
    with open(a.receipt, encoding="utf-8") as f:
        text = f.read()
    event = None
    if a.event:
        with open(a.event, encoding="utf-8") as f:
            event = f.read()
    v = ailedger.verify_receipt(text, a.vkey, witness_policy=_policy(a.witness_policy),
                                event=event, event_id_hex=a.event_id)
    _report(v, a.receipt)


def main(argv=None):
    p = argparse.ArgumentParser(prog="python3 -m ailedger")
    sub = p.add_subparsers(dest="command", required=True)
    pr = sub.add_parser("push-release", help="push a ModelVersionReleased from a model card")
    pr.add_argument("card")
    pr.add_argument("--server", default=os.environ.get("AILEDGER_SERVER", "127.0.0.1:7420"))
    pr.add_argument("--key", default=os.environ.get("AILEDGER_KEY"))
    pr.add_argument("--vkey", default=os.environ.get("AILEDGER_LOG_VKEY"))
    pr.add_argument("--witness-policy", default=os.environ.get("AILEDGER_WITNESS_POLICY"))
    for flag in ("--system", "--organisation", "--artifact", "--artifact-sha256",
                 "--version", "--previous-version", "--receipt"):
        pr.add_argument(flag)
    vr = sub.add_parser("verify-receipt", help="verify a receipt offline")
    vr.add_argument("receipt")
    vr.add_argument("--vkey", default=os.environ.get("AILEDGER_LOG_VKEY"))
    vr.add_argument("--witness-policy", default=os.environ.get("AILEDGER_WITNESS_POLICY"))
    vr.add_argument("--event")
    vr.add_argument("--event-id")
    a = p.parse_args(argv)
    if not a.vkey or (a.command == "push-release" and not a.key):
        p.error("--vkey (AILEDGER_LOG_VKEY) and, to push, --key (AILEDGER_KEY) are required")
    try:
        (push_release if a.command == "push-release" else verify_receipt)(a)
    except ailedger.LedgerError as e:
        print(f"ailedger: {e.code}: {e.message}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"ailedger: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
