"""Receipt binding (CheckReceiptBinding's rules) and offline verification, on a log forged
here in Python: a receipt not bound to the event sent is DATA_LOSS."""
import copy

import pytest

import ailedger
from ailedger import ledger_pb2, merkle
from ailedger.note import KEY_TYPE_COSIGNATURE, Checkpoint, TlogProof, WitnessPolicy, sign_note
from ailedger.signing import Leaf, event_id, sign_event

ORIGIN = "example.org/log"
LOG = ailedger.SigningKey(ORIGIN, 1, bytes([7]) * 32)
AUTHOR = ailedger.SigningKey("author", 1, bytes([8]) * 32)
WITNESS = ailedger.SigningKey("w.example", KEY_TYPE_COSIGNATURE, bytes([9]) * 32)


def event(n):
    e = ailedger.template("RiskAssessed", "Acme AI", occurred_at_ms=1700000000000 + n)
    e["subjects"] = [{"kind": "system", "id": "s"}]
    return e


def forge(n_leaves=5, at=3, witnesses=()):
    """A log of n_leaves events; the AppendRequest and Receipt of the one at `at`."""
    leaves, reqs = [], []
    for i in range(n_leaves):
        s = sign_event(event(i), AUTHOR, ORIGIN)
        reqs.append(ledger_pb2.AppendRequest(event=s.event_bytes, signer=s.signer,
                                             signature=s.signature))
        leaves.append(Leaf(i, 1, b"\x00" * 32, s.signer, s.signature, s.event_bytes).encode())
    hashes = [merkle.leaf_hash(x) for x in leaves]
    proof = _path(hashes, at)
    cp = Checkpoint(ORIGIN, n_leaves, merkle.root_of(leaves)).to_text()
    note = sign_note(cp, [LOG, *witnesses], 1700000000)
    tp = TlogProof(leaves[at], at, proof, note).format()
    r = ledger_pb2.Receipt(index=at, event_id=event_id(ORIGIN, reqs[at].event),
                           leaf_hash=hashes[at], tlog_proof=tp)
    return reqs[at], r


def _path(hashes, i):
    """The RFC 9162 inclusion path of leaf i (reference implementation, for the test)."""
    if len(hashes) == 1:
        return []
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    if i < k:
        return _path(hashes[:k], i) + [merkle._mth(hashes[k:])]
    return _path(hashes[k:], i - k) + [merkle._mth(hashes[:k])]


def test_a_bound_receipt_verifies():
    req, r = forge()
    ailedger.check_receipt_binding(req, r, ORIGIN)
    v = ailedger.verify_receipt(r, str(LOG.verifier), event=event(3))
    assert v.index == 3 and v.origin == ORIGIN
    assert ailedger.verify_receipt(r.tlog_proof, LOG.verifier).event_id == r.event_id


def _expect_unbound(req, r, fragment):
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.check_receipt_binding(req, r, ORIGIN)
    assert e.value.code == "DATA_LOSS" and fragment in e.value.message


def test_another_events_receipt_is_refused():
    req, _ = forge(at=3)
    _, other = forge(at=2)
    _expect_unbound(req, other, "another event")


def test_every_field_is_checked():
    req, r = forge()
    bad = copy.deepcopy(r)
    bad.index = 2
    _expect_unbound(req, bad, "index")
    bad = copy.deepcopy(r)
    bad.leaf_hash = b"\x00" * 32
    _expect_unbound(req, bad, "leaf_hash")
    bad = copy.deepcopy(r)
    bad.event_id = b"\x00" * 32
    _expect_unbound(req, bad, "event_id")
    other_signer = copy.deepcopy(req)
    other_signer.signer = ailedger.SigningKey.generate("x").public_key
    _expect_unbound(other_signer, r, "another key")
    other_sig = copy.deepcopy(req)
    other_sig.signature = b"\x01" * 64
    _expect_unbound(other_sig, r, "another signature")
    with pytest.raises(ailedger.VerificationError):
        ailedger.check_receipt_binding(req, r, "another.org/log")


def test_a_duplicates_valid_signature_is_accepted():
    req, r = forge()
    r.duplicate = True
    sent = copy.deepcopy(req)
    sent.signature = b"\x01" * 64  # ours differs, but the logged one verifies
    ailedger.check_receipt_binding(sent, r, ORIGIN)


def test_offline_verification_failures():
    req, r = forge()
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.verify_receipt(r, ailedger.SigningKey.generate(ORIGIN).verifier)
    assert e.value.code == "UNAUTHENTICATED"
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.verify_receipt(r, LOG.verifier, event=event(4))
    assert e.value.code == "DATA_LOSS"
    tp = TlogProof.parse(r.tlog_proof)
    tp.hashes[0] = b"\x00" * 32
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.verify_receipt(tp.format(), LOG.verifier)
    assert e.value.code == "INVALID_ARGUMENT"


def test_witness_policy_quorum():
    _, r = forge(witnesses=[WITNESS])
    policy = WitnessPolicy.parse(f"witness {WITNESS.verifier}\n")
    assert ailedger.verify_receipt(r, LOG.verifier, witness_policy=policy).cosigners == 1
    _, uncosigned = forge()
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.verify_receipt(uncosigned, LOG.verifier, witness_policy=policy)
    assert e.value.code == "UNAUTHENTICATED"
