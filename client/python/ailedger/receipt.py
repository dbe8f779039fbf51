"""Receipts: binding to the event sent (client/ledger_client.cc, CheckReceiptBinding) and
offline verification (VerifyTlogProof; `ailedger verify-proof`), in pure Python.

A receipt is a C2SP tlog-proof whose `extra` line is the leaf. It proves only the event in
that leaf, so a receipt is believed only when it is bound to the event expected
(docs/FORMATS.md, "Receipts").
"""

from dataclasses import dataclass

from . import merkle
from .errors import VerificationError, data_loss, unauthenticated
from .note import TlogProof, VerifierKey, WitnessPolicy, open_checkpoint
from .signing import Leaf, canonical_encoding, event_id, verify_event_signature


def _unbound(why):
    return data_loss(f"receipt: {why}")


def _proof_text(receipt):
    if hasattr(receipt, "tlog_proof"):
        return receipt.tlog_proof
    return receipt.decode() if isinstance(receipt, bytes) else receipt


def check_receipt_binding(sent, receipt, origin: str) -> None:
    """Raises DATA_LOSS unless `receipt` (a Receipt message) is a receipt of exactly the
    AppendRequest `sent` for the log `origin`: its leaf carries the event bytes, signer and
    signature sent (for a duplicate, any valid signature by that signer over that event),
    its hash is leaf_hash, its index is the receipt's and the proof's, the event id is
    EventId(origin, event) and the checkpoint names `origin`."""
    try:
        proof = TlogProof.parse(receipt.tlog_proof)
        if not proof.extra:
            raise _unbound("the tlog-proof carries no leaf")
        leaf = Leaf.decode(proof.extra)
    except VerificationError as e:
        raise _unbound(e.message) from None
    if not (receipt.index == proof.index == leaf.index):
        raise _unbound(f"index {receipt.index}, but the proof is for {proof.index} and the "
                       f"leaf says {leaf.index}")
    if merkle.leaf_hash(proof.extra) != receipt.leaf_hash:
        raise _unbound("leaf_hash is not the hash of the leaf it carries")
    want = event_id(origin, sent.event)
    if leaf.event_bytes != sent.event:
        raise _unbound(f"leaf {leaf.index} carries another event (event id "
                       f"{event_id(origin, leaf.event_bytes).hex()}), not the one pushed "
                       f"(event id {want.hex()})")
    if leaf.signer != sent.signer:
        raise _unbound(f"leaf {leaf.index} was signed by another key than the one that "
                       "pushed the event")
    if leaf.signature != sent.signature and not (
            receipt.duplicate and
            verify_event_signature(origin, leaf.event_bytes, leaf.signer, leaf.signature)):
        raise _unbound(f"leaf {leaf.index} carries another signature than the one pushed" +
                       (", and it does not verify" if receipt.duplicate else ""))
    if receipt.event_id != want:
        raise _unbound(f"event_id {receipt.event_id.hex()} is not the pushed event's id "
                       f"{want.hex()}")
    if not proof.checkpoint.startswith(origin + "\n"):
        raise _unbound(f"the checkpoint is not of the log '{origin}'")


@dataclass
class VerifiedReceipt:
    index: int
    event_id: bytes
    leaf: Leaf
    checkpoint: object  # note.VerifiedCheckpoint
    cosigners: int

    @property
    def origin(self):
        return self.checkpoint.checkpoint.origin


def verify_receipt(receipt, log_vkey, witness_policy=None, event=None,
                   event_id_hex=None) -> VerifiedReceipt:
    """Verifies a receipt offline: the checkpoint's signature by `log_vkey`, the witness
    policy's quorum of cosignatures when one is given, the inclusion proof of the leaf, and
    the event's signature for the log's origin. With `event` (an Event, dict or JSON) or
    `event_id_hex`, also that the leaf carries that event. `receipt` is a Receipt message,
    the tlog-proof text, or bytes of it. Raises VerificationError."""
    if isinstance(log_vkey, str):
        log_vkey = VerifierKey.parse(log_vkey)
    if isinstance(witness_policy, str):
        witness_policy = WitnessPolicy.parse(witness_policy)
    proof = TlogProof.parse(_proof_text(receipt))
    if not proof.extra:
        raise _unbound("the tlog-proof carries no leaf")
    leaf = Leaf.decode(proof.extra)
    if leaf.index != proof.index:
        raise _unbound(f"the proof is for index {proof.index} and the leaf says {leaf.index}")
    witnesses = list(witness_policy.witnesses) if witness_policy else []
    cp = open_checkpoint(proof.checkpoint, log_vkey, witnesses)
    cosigned = len(cp.note.cosigners() & {w.public_key for w in witnesses})
    if witness_policy and cosigned < witness_policy.quorum:
        raise unauthenticated(f"checkpoint: {cosigned} cosignatures by the policy's witnesses,"
                              f" {witness_policy.quorum} required")
    lh = merkle.leaf_hash(proof.extra)
    merkle.verify_inclusion(proof.index, cp.checkpoint.size, lh, proof.hashes,
                            cp.checkpoint.root)
    origin = cp.checkpoint.origin
    if not verify_event_signature(origin, leaf.event_bytes, leaf.signer, leaf.signature):
        raise unauthenticated(f"leaf {leaf.index}: the event's signature does not verify")
    eid = event_id(origin, leaf.event_bytes)
    if hasattr(receipt, "event_id") and receipt.event_id and receipt.event_id != eid:
        raise _unbound("event_id is not the id of the event in the leaf")
    if hasattr(receipt, "leaf_hash") and receipt.leaf_hash and receipt.leaf_hash != lh:
        raise _unbound("leaf_hash is not the hash of the leaf it carries")
    if event is not None and leaf.event_bytes != canonical_encoding(event):
        raise _unbound(f"leaf {leaf.index} carries event id {eid.hex()}, not the event "
                       f"expected (event id {event_id(origin, canonical_encoding(event)).hex()})")
    if event_id_hex is not None and eid.hex() != event_id_hex.lower():
        raise _unbound(f"leaf {leaf.index} carries event id {eid.hex()}, not {event_id_hex}")
    return VerifiedReceipt(proof.index, eid, leaf, cp, cosigned)
