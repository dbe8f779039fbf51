"""RFC 6962 hashing and proofs on the shared vectors (tests/data)."""
import base64
import json

import pytest

from ailedger import merkle
from ailedger.errors import VerificationError
from conftest import DATA

TREE = json.loads((DATA / "rfc6962-8leaf-tree.json").read_text())
LEAVES = [bytes.fromhex(x) for x in TREE["leaf_inputs_hex"]]
ROOTS = {int(k): bytes.fromhex(v) for k, v in TREE["root_by_tree_size_hex"].items()}


def test_hasher_vectors():
    v = [bytes.fromhex(x["hex"]) for x in TREE["hasher_vectors"]]
    assert merkle.EMPTY_ROOT == v[0]
    assert merkle.leaf_hash(b"") == v[1]
    assert merkle.leaf_hash(b"L123456") == v[2]
    assert merkle.node_hash(b"N123", b"N456") == v[3]


def test_leaf_hashes_and_every_root():
    assert [merkle.leaf_hash(d).hex() for d in LEAVES] == TREE["leaf_hashes_hex"]
    for size, root in ROOTS.items():
        assert merkle.root_of(LEAVES[:size]) == root


@pytest.mark.parametrize("p", TREE["inclusion_proofs"])
def test_reference_inclusion(p):
    proof = [bytes.fromhex(h) for h in p["proof"]]
    i, n = p["leaf_index"], p["tree_size"]
    merkle.verify_inclusion(i, n, merkle.leaf_hash(LEAVES[i]), proof, ROOTS[n])
    with pytest.raises(VerificationError):
        merkle.verify_inclusion(i, n, merkle.leaf_hash(b"other"), proof, ROOTS[n])


@pytest.mark.parametrize("p", TREE["consistency_proofs"])
def test_reference_consistency(p):
    proof = [bytes.fromhex(h) for h in p["proof"]]
    a, b = p["size1"], p["size2"]
    merkle.verify_consistency(a, b, proof, ROOTS[a], ROOTS[b])
    if proof:
        with pytest.raises(VerificationError):
            merkle.verify_consistency(a, b, proof[:-1], ROOTS[a], ROOTS[b])


def _probes(kind):
    d = DATA / "transparency-dev-merkle" / "testdata" / kind
    return sorted(d.rglob("*.json"))


def _b(x):
    return base64.b64decode(x) if x else b""


@pytest.mark.parametrize("path", _probes("inclusion"), ids=lambda p: p.parent.name + "/" + p.name)
def test_transparency_dev_inclusion(path):
    v = json.loads(path.read_text())
    args = (v["leafIdx"], v["treeSize"], _b(v["leafHash"]), [_b(h) for h in v["proof"] or []],
            _b(v["root"]))
    if v["wantErr"]:
        with pytest.raises(VerificationError):
            merkle.verify_inclusion(*args)
    else:
        merkle.verify_inclusion(*args)


@pytest.mark.parametrize("path", _probes("consistency"),
                         ids=lambda p: p.parent.name + "/" + p.name)
def test_transparency_dev_consistency(path):
    v = json.loads(path.read_text())
    args = (v["size1"], v["size2"], [_b(h) for h in v["proof"] or []], _b(v["root1"]),
            _b(v["root2"]))
    if v["wantErr"]:
        with pytest.raises(VerificationError):
            merkle.verify_consistency(*args)
    else:
        merkle.verify_consistency(*args)
