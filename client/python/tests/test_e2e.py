"""End to end against the real ailedgerd and the C++ CLI on loopback: a Python-signed event
is accepted and its receipt verified by `ailedger verify-proof`; a receipt made by
`ailedger push` verifies in Python; the interop vectors are re-derived from the C++ client."""
import json
import sys

import pytest

import ailedger
from ailedger import LedgerError, merkle
from conftest import DATA, ROOT
from harness import LocalLog, binaries_present

sys.path.insert(0, str(ROOT / "client" / "python" / "tools"))
import interop_events as iv  # noqa: E402
import make_interop_vectors  # noqa: E402

pytestmark = pytest.mark.skipif(not binaries_present(), reason="build/ has no ailedgerd")


@pytest.fixture(scope="module")
def log():
    log = LocalLog(iv.ORIGIN, iv.ORGANISATION, iv.RULES_VERSION)
    keys = iv.signing_keys()
    log.paths = {n: log.grant(n, k.format()) for n, k in keys.items()}
    log.keys = keys
    ledger = ailedger.Ledger.connect(log.address, key=keys["publisher"], log_vkey=log.vkey)
    for signer, ev in iv.events()[:2]:  # the system and its release
        ledger.key = keys[signer]
        ledger.push(ev)
    ledger.close()
    yield log
    log.close()


@pytest.fixture
def ledger(log):
    with ailedger.Ledger.connect(log.address, key=log.keys["publisher"],
                                 log_vkey=log.vkey) as led:
        yield led


def risk(n, system="credit-scoring"):
    e = ailedger.template("RiskAssessed", iv.ORGANISATION, occurred_at_ms=1700000100000 + n)
    e["subjects"] = [{"kind": "system", "id": system}]
    return e


def test_python_push_is_verified_by_the_cxx_cli(log, ledger):
    ev = risk(1)
    r = ledger.push(ev)
    assert not r.duplicate
    v = ailedger.verify_receipt(r, log.vkey, event=ev)
    assert v.index == r.index and v.event_id == r.event_id
    (log.dir / "py.receipt").write_text(r.tlog_proof)
    (log.dir / "py.event.json").write_text(json.dumps(ev))
    out = log.cli("verify-proof", log.path("py.receipt"), "--vkey", log.vkey,
                  "--no-witness-policy", "--event", log.path("py.event.json"), server=False)
    assert r.event_id.hex() in out.stdout + out.stderr
    # The CLI refuses it for another event.
    (log.dir / "other.json").write_text(json.dumps(risk(2)))
    bad = log.cli("verify-proof", log.path("py.receipt"), "--vkey", log.vkey,
                  "--no-witness-policy", "--event", log.path("other.json"), check=False,
                  server=False)
    assert bad.returncode != 0


def test_cxx_receipt_verifies_in_python(log):
    ev = risk(3)
    (log.dir / "c.json").write_text(json.dumps(ev))
    log.cli("push", log.path("c.json"), "--key", log.paths["ci-pipeline"], "--vkey", log.vkey,
            "--receipt", log.path("c.receipt"))
    text = (log.dir / "c.receipt").read_text()
    v = ailedger.verify_receipt(text, log.vkey, event=ev)
    assert v.leaf.signer == log.keys["ci-pipeline"].public_key
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.verify_receipt(text, log.vkey, event=risk(4))
    assert e.value.code == "DATA_LOSS"
    other = ailedger.SigningKey.generate(iv.ORIGIN).verifier
    with pytest.raises(ailedger.VerificationError) as e:
        ailedger.verify_receipt(text, other)
    assert e.value.code == "UNAUTHENTICATED"


def test_interop_vectors_rederived_from_cxx():
    doc = json.loads((DATA / "python-interop-vectors.json").read_text(encoding="utf-8"))
    assert make_interop_vectors.cxx_vectors() == doc["vectors"]


def test_duplicates_batches_and_errors(log, ledger):
    ev = risk(5)
    first = ledger.push(ev)
    again = ledger.push(ev)
    assert again.duplicate and again.index == first.index
    bad = risk(6)
    bad["risk_assessed"] = {}
    outs = ledger.push_batch([risk(7), bad, risk(8)])
    assert [o.ok for o in outs] == [True, False, True]
    assert outs[1].code == "INVALID_ARGUMENT" and outs[1].message
    with pytest.raises(LedgerError) as e:
        ledger.push(bad)
    assert e.value.code == "INVALID_ARGUMENT" and e.value.message
    with pytest.raises(LedgerError) as e:
        ledger.get(event_id=b"\x00" * 32)
    assert e.value.code == "NOT_FOUND"
    with pytest.raises(LedgerError) as e:
        ailedger.Ledger.connect(log.address, origin="another/log")
    assert e.value.code == "FAILED_PRECONDITION"


def test_reads_are_signed_and_verified(log, ledger):
    r = ledger.push(risk(9))
    info = ledger.log_info()
    assert info.origin == iv.ORIGIN and info.size > r.index
    entry = ledger.get(index=r.index)
    assert entry.leaf.event_bytes == ledger.get(event_id=r.event_id).leaf.event_bytes
    assert entry.event.event_type == "RiskAssessed"
    found = list(ledger.query(subject="system:credit-scoring", event_type="RiskAssessed",
                              page_size=2))
    assert r.index in [e.index for e in found]
    assert [e.index for e in ledger.entries(0, 3)] == [0, 1, 2]
    cp = ailedger.open_checkpoint(ledger.checkpoint(), ailedger.VerifierKey.parse(log.vkey))
    p = ledger.prove_inclusion(index=r.index, tree_size=cp.checkpoint.size)
    merkle.verify_inclusion(r.index, cp.checkpoint.size, merkle.leaf_hash(p.leaf),
                            list(p.hashes), cp.checkpoint.root)
    old = ailedger.Checkpoint.parse(
        ailedger.open_note(ledger.checkpoint("at_size", 2),
                           [ailedger.VerifierKey.parse(log.vkey)]).text)
    c = ledger.prove_consistency(2, cp.checkpoint.size)
    merkle.verify_consistency(2, cp.checkpoint.size, list(c.hashes), old.root,
                              cp.checkpoint.root)
    pages = list(ledger.query_pages(event_type="RiskAssessed", page_size=1))
    assert len(pages) >= 2 and all(len(es) <= 1 for es, _ in pages)
    assert pages[-1][1] > pages[0][0][0].index
    old_note = ledger.checkpoint("at_size", 2)
    ledger.push(risk(10))
    newer = ledger.update_checkpoint(old_note)
    assert ailedger.Checkpoint.parse(ailedger.open_note(
        newer, [ailedger.VerifierKey.parse(log.vkey)]).text).size > cp.checkpoint.size
    # Without a key the server refuses reads (no --public-read).
    with ailedger.Ledger.connect(log.address) as anonymous:
        with pytest.raises(LedgerError) as e:
            anonymous.get(index=0)
        assert e.value.code == "UNAUTHENTICATED"


def test_fairness_snapshot_from_a_pipeline_is_accepted(log, ledger):
    ledger.key = log.keys["ci-pipeline"]
    ev = iv.events()[4]
    ev = ev[1]
    ev["occurred_at_ms"] = "1700000200000"
    r = ledger.push(ev)
    assert ailedger.verify_receipt(r, log.vkey, event=ev).index == r.index


def test_templates_are_the_cxx_clis():
    from ailedger import event_pb2
    from harness import AILEDGER, LocalLog as L
    body = event_pb2.Event.DESCRIPTOR.oneofs_by_name["body"]
    for t in [f.message_type.name for f in body.fields]:
        text = L.run([AILEDGER, "template", t, "--organisation", "O"]).stdout
        now = json.loads(text)["occurred_at_ms"]
        cxx = json.loads(text.replace(f'"{now}"', '"1"'))
        assert ailedger.template(t, "O", occurred_at_ms=1) == cxx, t


def test_push_release_script(log, tmp_path):
    """examples/ci/push-release.sh, as the CI jobs run it, against the local server."""
    import os
    import subprocess
    card = tmp_path / "README.md"
    card.write_text((ROOT / "client" / "python" / "tests" / "data" / "model-card.md")
                    .read_text().replace("version: 2.4.0", "version: 2.5.0"))
    env = dict(os.environ, AILEDGER_SERVER=log.address,
               AILEDGER_KEY=log.keys["ci-pipeline"].format(), AILEDGER_LOG_VKEY=log.vkey)
    script = str(ROOT / "examples" / "ci" / "push-release.sh")
    r = subprocess.run([script, str(card), str(tmp_path / "r.receipt"), "--previous-version",
                        "2.4.0"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["verified"] and out["origin"] == iv.ORIGIN
    assert log.keys["ci-pipeline"].format() not in r.stdout + r.stderr
    cli = log.cli("verify-proof", str(tmp_path / "r.receipt"), "--vkey", log.vkey,
                  "--no-witness-policy", "--event-id", out["event_id"], server=False)
    assert out["event_id"] in cli.stdout + cli.stderr
    # A log the job cannot authenticate (another log key): the job fails with no receipt.
    bad_env = dict(env, AILEDGER_LOG_VKEY=str(ailedger.SigningKey.generate(iv.ORIGIN).verifier))
    r = subprocess.run([script, str(card), str(tmp_path / "x.receipt")], env=bad_env,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0 and not (tmp_path / "x.receipt").exists()


def test_witness_cosignatures_from_the_cxx_witness(tmp_path):
    """A C++ witness cosigns; Python verifies the cosignature under a policy, and the C++ CLI
    verifies the witnessed receipt Python assembled under the same policy."""
    from harness import wait_until
    w = LocalLog("witnessed.ailedger.example/log", iv.ORGANISATION, iv.RULES_VERSION)
    try:
        wvkey = w.start_witness()
        key = ailedger.SigningKey("p", 1, bytes([3]) * 32)
        w.grant("p", key.format())
        led = ailedger.Ledger.connect(w.address, key=key, log_vkey=w.vkey)
        sysev = iv.events()[0][1]
        r = led.push(sysev)
        policy = ailedger.WitnessPolicy.parse(f"witness {wvkey}\nquorum 1\n")
        # The append's receipt is signed by the log alone: the policy refuses it.
        with pytest.raises(ailedger.VerificationError) as e:
            ailedger.verify_receipt(r, w.vkey, witness_policy=policy)
        assert e.value.code == "UNAUTHENTICATED"
        got = []

        def cosigned():
            try:
                got.append(led.witnessed_receipt(index=r.index))
                return True
            except LedgerError as e:
                assert e.code == "NOT_FOUND", e
                return False
        assert wait_until(cosigned, 15)
        v = ailedger.verify_receipt(got[0], w.vkey, witness_policy=policy, event=sysev)
        assert v.cosigners == 1 and v.index == r.index
        (tmp_path / "policy").write_text(f"witness {wvkey}\n")
        (tmp_path / "w.receipt").write_text(got[0])
        out = w.cli("verify-proof", str(tmp_path / "w.receipt"), "--vkey", w.vkey,
                    "--witness-policy", str(tmp_path / "policy"), "--event-id",
                    r.event_id.hex(), server=False)
        assert r.event_id.hex() in out.stdout + out.stderr
        led.close()
    finally:
        w.close()
