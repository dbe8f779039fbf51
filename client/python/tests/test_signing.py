"""Signing byte for byte as the C++ client: the interop vectors (C++-computed event bytes,
ids and signatures, tests/data/python-interop-vectors.json) and the signing contexts."""
import base64
import json
import sys

import pytest

import ailedger
from ailedger import signing
from ailedger.errors import VerificationError
from conftest import DATA, ROOT

sys.path.insert(0, str(ROOT / "client" / "python" / "tools"))
import interop_events  # noqa: E402

DOC = json.loads((DATA / "python-interop-vectors.json").read_text(encoding="utf-8"))
KEYS = {k["name"]: ailedger.SigningKey(k["name"], 1, bytes.fromhex(k["seed_hex"]))
        for k in DOC["keys"]}


def test_keys_from_seeds():
    for k in DOC["keys"]:
        assert str(KEYS[k["name"]].verifier) == k["vkey"]
        assert ailedger.SigningKey.parse(KEYS[k["name"]].format()).verifier == \
            KEYS[k["name"]].verifier


@pytest.mark.parametrize("v", DOC["vectors"], ids=lambda v: v["event"]["event_type"])
def test_python_signs_as_cxx(v):
    origin = DOC["origin"]
    data = ailedger.canonical_encoding(v["event"])
    assert base64.b64encode(data).decode() == v["event_bytes"]
    assert ailedger.event_id(origin, data).hex() == v["event_id_hex"]
    s = ailedger.sign_event(v["event"], KEYS[v["signer"]], origin)
    assert base64.b64encode(s.signature).decode() == v["signature"]
    assert signing.verify_event_signature(origin, data, s.signer, s.signature)
    assert not signing.verify_event_signature(origin + "x", data, s.signer, s.signature)
    assert signing.parse_canonical_event(data) == ailedger.to_event(v["event"])


def test_the_vector_events_are_what_the_builders_make_today():
    assert [(s, e) for s, e in interop_events.events()] == \
        [(v["signer"], v["event"]) for v in DOC["vectors"]]


def test_contexts():
    assert signing.event_signing_message("o", b"E") == b"ailedger/event/v1\no\nE"
    assert signing.call_signing_message("o", "/ailedger.v1.Ledger/GetEntry", 17,
                                        b"n" * 16) == \
        b"ailedger/call/v1\no\n/ailedger.v1.Ledger/GetEntry\n17\n" + b"n" * 16
    assert signing.key_possession_message("o", b"k" * 32) == \
        b"ailedger/key-possession/v1\no\n" + b"k" * 32
    with pytest.raises(VerificationError):
        signing.call_signing_message("o", "m", 1, b"short")


def test_non_canonical_bytes_are_refused():
    data = ailedger.canonical_encoding(DOC["vectors"][0]["event"])
    with pytest.raises(VerificationError):
        signing.parse_canonical_event(data + b"\x08\x01")  # event_type again, out of order


def test_leaf_round_trip():
    leaf = ailedger.Leaf(5, 1700000000000, b"p" * 32, b"s" * 32, b"g" * 64, b"event")
    assert ailedger.Leaf.decode(leaf.encode()) == leaf
    assert len(leaf.encode()) == 147 + 5
    with pytest.raises(VerificationError):
        ailedger.Leaf.decode(leaf.encode()[:-1])


def test_json_parse_errors_name_the_field():
    with pytest.raises(VerificationError) as e:
        ailedger.to_event({"event_type": "RiskAssessed", "no_such_field": 1})
    assert "no_such_field" in e.value.message


def test_unknown_enum_values_are_refused():
    e = ailedger.to_event(DOC["vectors"][3]["event"])  # IncidentReported
    e.incident_reported.severity = 99
    with pytest.raises(VerificationError) as err:
        signing.parse_canonical_event(e.SerializeToString(deterministic=True))
    assert "incident_reported.severity" in err.value.message
