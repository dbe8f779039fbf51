"""Signed notes, keys, checkpoints and cosignatures on the shared vectors
(tests/data/signed-note, tests/data/tessera-testdata-log)."""
import json

import pytest

from ailedger import merkle
from ailedger.errors import VerificationError
from ailedger.note import (KEY_TYPE_COSIGNATURE, Checkpoint, SigningKey, TlogProof,
                           VerifierKey, WitnessPolicy, open_checkpoint, open_note, parse_note,
                           sign_note)
from conftest import DATA

V = json.loads((DATA / "signed-note" / "signed-note-vectors.json").read_text())
BY_ID = {v["id"]: v for v in V["vectors"]}


@pytest.mark.parametrize("v", V["vectors"], ids=lambda v: v["id"])
def test_verifier_keys_and_key_ids(v):
    k = VerifierKey.parse(v["verifier_key"])
    assert str(k) == v["verifier_key"]
    if "key_id_hex" in v:
        assert f"{k.key_id:08x}" == v["key_id_hex"]
    if "signer_key" in v:
        assert SigningKey.parse(v["signer_key"]).verifier == k


def test_signing_reproduces_the_published_signature():
    v = BY_ID["go-note-peterneumann"]
    key = SigningKey.parse(v["signer_key"])
    assert sign_note(v["note_text"], [key]) == v["signed_note"]


@pytest.mark.parametrize("vid", ["go-note-peterneumann", "c2sp-signed-note-example"])
def test_published_notes_verify(vid):
    v = BY_ID[vid]
    n = open_note(v["signed_note"], [VerifierKey.parse(v["verifier_key"])])
    assert n.text == v["note_text"]


def test_unknown_signatures_are_ignored_and_a_bad_one_fails():
    pn, er = BY_ID["go-note-peterneumann"], BY_ID["go-note-enochroot"]
    both = pn["signed_note"] + er["signature_line"] + "\n"
    for v in (pn, er):
        n = open_note(both, [VerifierKey.parse(v["verifier_key"])])
        assert len(n.verified) == 1 and len(n.unknown) == 1
    with pytest.raises(VerificationError) as e:
        open_note(both.replace("problem,", "problem;"), [VerifierKey.parse(er["verifier_key"])])
    assert e.value.code == "UNAUTHENTICATED"
    with pytest.raises(VerificationError) as e:
        open_note(pn["signed_note"], [VerifierKey.parse(er["verifier_key"])])
    assert e.value.code == "UNAUTHENTICATED"


def test_format_examples_parse():
    f = V["format_examples_not_verifiable"]
    text, sigs = parse_note(f["checkpoint_with_ed25519_cosignature"])
    assert [len(s.signature) for s in sigs] == [64, 72]
    assert f"{sigs[0].key_id:08x}" == f["decoded"]["log_key_id_hex"]
    assert f"{sigs[1].key_id:08x}" == f["decoded"]["cosig_key_id_hex"]
    assert int.from_bytes(sigs[1].signature[:8], "big") == f["decoded"]["cosig_timestamp"]
    cp = Checkpoint.parse(text)
    assert cp.size == 20852163 and cp.to_text() == text
    body = V["sumdb_tree_note_text"]
    assert Checkpoint.parse(body["text"]).root == merkle.leaf_hash(b"hello world")


@pytest.mark.parametrize("bad", ["o\n01\n" + "A" * 43 + "=\n", "o\n1\n" + "A" * 43 + "=\next\n",
                                 "\n1\n" + "A" * 43 + "=\n", "o\n1\nAAAA\n"])
def test_checkpoint_refusals(bad):
    with pytest.raises(VerificationError):
        Checkpoint.parse(bad)


def test_tessera_checkpoints_verify_and_match_the_entries():
    log = DATA / "tessera-testdata-log"
    vkey = VerifierKey.parse(BY_ID["tessera-testdata-log-key"]["verifier_key"])
    words = ("one two three four five six seven eit nain ten ileven twelf threeten fourten "
             "fivten").split()
    for n in range(16):
        cp = open_checkpoint((log / f"checkpoint.{n}").read_text(), vkey).checkpoint
        assert cp.size == n
        assert cp.root == merkle.root_of([w.encode() for w in words[:n]])


def _cosigned(ts=1700000000):
    log = SigningKey.generate("example.org/log")
    w1 = SigningKey.generate("w1.example", KEY_TYPE_COSIGNATURE)
    w2 = SigningKey.generate("w2.example", KEY_TYPE_COSIGNATURE)
    text = Checkpoint("example.org/log", 1, merkle.leaf_hash(b"x")).to_text()
    return log, w1, w2, sign_note(text, [log, w1], ts)


def test_cosignatures():
    log, w1, w2, note = _cosigned()
    vc = open_checkpoint(note, log.verifier, [w1.verifier, w2.verifier])
    assert vc.note.cosigners() == {w1.public_key}
    assert [ts for k, ts in vc.note.verified] == [None, 1700000000]
    # A cosignature over another time does not verify.
    tampered = note.replace(note.split("\n")[-2], note.split("\n")[-2][:-6] + "AAAAA=")
    with pytest.raises(VerificationError):
        open_checkpoint(tampered, log.verifier, [w1.verifier])
    # The log's signature is required, a cosignature alone is not enough.
    with pytest.raises(VerificationError):
        open_checkpoint(note, SigningKey.generate("example.org/log").verifier, [w1.verifier])


def test_witness_policy():
    _, w1, w2, _ = _cosigned()
    p = WitnessPolicy.parse(f"# ours\nwitness {w1.verifier}\nwitness {w2.verifier}\nquorum 2\n")
    assert p.quorum == 2 and len(p.witnesses) == 2
    assert WitnessPolicy.parse(f"witness {w1.verifier}").quorum == 1
    with pytest.raises(VerificationError):
        WitnessPolicy.parse(f"witness {w1.verifier}\nquorum 2")
    with pytest.raises(VerificationError):
        WitnessPolicy.parse(f"witness {SigningKey.generate('x').verifier}")


def test_tlog_proof_round_trip():
    p = TlogProof(b"leaf", 3, [merkle.leaf_hash(b"a"), merkle.leaf_hash(b"b")], "o\n1\nx\n\nsig\n")
    assert TlogProof.parse(p.format()) == p
    with pytest.raises(VerificationError):
        TlogProof.parse(p.format().replace("index 3", "index 03"))
    with pytest.raises(VerificationError):
        TlogProof.parse("c2sp.org/tlog-proof@v1\nindex 1\n")
