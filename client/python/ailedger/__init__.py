"""ailedger: a Python client for the ailedger transparency log, for ML pipelines.

    import ailedger
    ledger = ailedger.Ledger.connect("127.0.0.1:7420", key="ci.key", log_vkey=VKEY)
    receipt = ledger.push(ailedger.release_from_model_card("README.md", system="credit"))
    ailedger.verify_receipt(receipt, VKEY)            # offline, pure Python

The gRPC stubs (event_pb2, ledger_pb2, ledger_pb2_grpc) are generated from proto/ at build
time into build/client/python/ailedger/ (or into the installed package by setup.py); this
package's path is extended so that they are found beside these modules.
"""

from pkgutil import extend_path

__path__ = extend_path(__path__, __name__)  # noqa: F821 - the generated stubs' directory

from .errors import LedgerError, VerificationError  # noqa: E402
from .merkle import leaf_hash, node_hash, verify_consistency, verify_inclusion  # noqa: E402
from .note import (Checkpoint, SigningKey, TlogProof, VerifierKey,  # noqa: E402
                   WitnessPolicy, open_checkpoint, open_note)
from .receipt import check_receipt_binding, verify_receipt  # noqa: E402
from .signing import (Leaf, canonical_encoding, event_id, sign_event,  # noqa: E402
                      to_event)


def __getattr__(name):
    # The gRPC client and the builders import grpc and protobuf; loaded on first use so
    # that offline verification needs neither.
    if name in ("Ledger", "AppendOutcome"):
        from . import client
        return getattr(client, name)
    if name in ("fairness_snapshot", "release_from_model_card", "template"):
        from . import builders
        return getattr(builders, name)
    raise AttributeError(f"module 'ailedger' has no attribute '{name}'")


__all__ = [
    "LedgerError", "VerificationError", "leaf_hash", "node_hash", "verify_inclusion",
    "verify_consistency", "Checkpoint", "SigningKey", "TlogProof", "VerifierKey",
    "WitnessPolicy", "open_checkpoint", "open_note", "check_receipt_binding",
    "verify_receipt", "Leaf", "canonical_encoding", "event_id", "sign_event", "to_event",
    "Ledger", "AppendOutcome", "fairness_snapshot", "release_from_model_card", "template",
]
__version__ = "0.1.0"
