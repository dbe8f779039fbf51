"""RFC 9162 (RFC 6962) Merkle tree hashing and proof verification, section 2.1.

The same conventions as ledger/merkle/verify.h and transparency-dev/merkle: hashes are 32
bytes, an inclusion proof needs index < size, a consistency proof needs 0 < size1 <= size2.
Failures raise VerificationError with INVALID_ARGUMENT naming expected and computed roots.
"""

import hashlib

from .errors import invalid

HASH_SIZE = 32
EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(data: bytes) -> bytes:
    """SHA-256(0x00 || data) (RFC 9162 section 2.1.1)."""
    return hashlib.sha256(b"\x00" + bytes(data)).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + bytes(left) + bytes(right)).digest()


def root_of(leaves) -> bytes:
    """The Merkle Tree Hash of a list of leaf inputs (the raw data, not hashes)."""
    hashes = [leaf_hash(d) for d in leaves]
    return _mth(hashes) if hashes else EMPTY_ROOT


def _mth(hashes):
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return node_hash(_mth(hashes[:k]), _mth(hashes[k:]))


def _check_hashes(what, hashes):
    for h in hashes:
        if len(h) != HASH_SIZE:
            raise invalid(f"{what}: a hash of {len(h)} bytes, not {HASH_SIZE}")


def root_from_inclusion(index: int, size: int, leaf: bytes, proof) -> bytes:
    """The root an inclusion proof leads to (RFC 9162 section 2.1.3.2)."""
    if index < 0 or index >= size:
        raise invalid(f"inclusion proof: index {index} is not below tree size {size}")
    _check_hashes("inclusion proof", [leaf] + list(proof))
    fn, sn, r = index, size - 1, bytes(leaf)
    for p in proof:
        if sn == 0:
            raise invalid("inclusion proof: longer than the tree is deep")
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise invalid("inclusion proof: shorter than the tree is deep")
    return r


def verify_inclusion(index: int, size: int, leaf: bytes, proof, root: bytes) -> None:
    """Raises VerificationError unless `proof` shows `leaf` at `index` in the tree `root`."""
    _check_hashes("inclusion proof", [root])
    got = root_from_inclusion(index, size, leaf, proof)
    if got != bytes(root):
        raise invalid(f"inclusion proof: expected root {bytes(root).hex()}, computed {got.hex()}")


def verify_consistency(size1: int, size2: int, proof, root1: bytes, root2: bytes) -> None:
    """Raises VerificationError unless `proof` shows tree (size1, root1) is a prefix of
    (size2, root2) (RFC 9162 section 2.1.4.2)."""
    proof = [bytes(p) for p in proof]
    if size1 <= 0 or size2 < size1:
        raise invalid(f"consistency proof: sizes {size1} and {size2} (need 0 < first <= second)")
    if size1 == size2:
        if proof:
            raise invalid("consistency proof: not empty for equal sizes")
        if bytes(root1) != bytes(root2):
            raise invalid(f"consistency proof: equal sizes, expected root {bytes(root2).hex()},"
                          f" got {bytes(root1).hex()}")
        return
    _check_hashes("consistency proof", [root1, root2] + proof)
    if not proof:
        raise invalid("consistency proof: empty")
    if size1 & (size1 - 1) == 0:
        proof = [bytes(root1)] + proof
    fn, sn = size1 - 1, size2 - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            raise invalid("consistency proof: longer than needed")
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        raise invalid("consistency proof: shorter than needed")
    if fr != bytes(root1):
        raise invalid(f"consistency proof: expected first root {bytes(root1).hex()},"
                      f" computed {fr.hex()}")
    if sr != bytes(root2):
        raise invalid(f"consistency proof: expected second root {bytes(root2).hex()},"
                      f" computed {sr.hex()}")
