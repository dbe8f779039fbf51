"""C2SP signed notes (signed-note v1.0.0), Ed25519 keys in their encodings, checkpoints
(tlog-checkpoint v1.0.0, no extension lines), cosignatures (tlog-cosignature v1.0.1, type
0x04), tlog-proof receipts and witness policies. The Python twin of ledger/tlog/ (keys.h,
note.h, checkpoint.h, tlog_proof.h, witness_policy.h).

    verifier key  = name "+" hex8(key ID) "+" base64(type || pubkey)
    signing key   = "PRIVATE+KEY+" name "+" hex8(key ID) "+" base64(type || seed)
    key ID        = SHA-256(name || "\\n" || type || pubkey)[:4]
    signature     = "\u2014 " name " " base64(key ID || sig) "\\n"
    0x04 sig      = u64be time || Ed25519("cosignature/v1\\ntime " time "\\n" || text)
"""

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass, field

from .errors import invalid, unauthenticated

KEY_TYPE_ED25519 = 0x01
KEY_TYPE_COSIGNATURE = 0x04
MAX_NOTE_SIZE = 64 * 1024
MAX_NOTE_SIGNATURES = 100
_DASH = "\u2014 "


def b64decode_strict(text, what):
    """Standard padded base64, canonical only (RFC 4648 section 4), as the C++ decoder."""
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise invalid(f"{what}: not base64") from None
    if base64.b64encode(raw).decode() != text:
        raise invalid(f"{what}: not canonical base64")
    return raw


def b64(data: bytes) -> str:
    return base64.b64encode(bytes(data)).decode()


def _valid_name(name):
    return (0 < len(name.encode()) <= 256 and "+" not in name and
            not any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7f for c in name))


def key_id(name: str, key_type: int, public_key: bytes) -> int:
    h = hashlib.sha256(name.encode() + b"\n" + bytes([key_type]) + bytes(public_key)).digest()
    return struct.unpack(">I", h[:4])[0]


def _nacl():
    # PyNaCl (Debian's python3-nacl, libsodium) is imported on first use, so that `import
    # ailedger` works on any python3 and only signing and verifying need it.
    import nacl.exceptions
    import nacl.signing
    return nacl


def ed25519_verify(public_key: bytes, message: bytes, signature: bytes) -> bool:
    if len(signature) != 64 or len(public_key) != 32:
        return False
    nacl = _nacl()
    try:
        nacl.signing.VerifyKey(bytes(public_key)).verify(bytes(message), bytes(signature))
        return True
    except (nacl.exceptions.BadSignatureError, ValueError):
        return False


@dataclass(frozen=True)
class VerifierKey:
    name: str
    type: int
    public_key: bytes

    @property
    def key_id(self) -> int:
        return key_id(self.name, self.type, self.public_key)

    @staticmethod
    def parse(text: str) -> "VerifierKey":
        text = text.strip()
        parts = text.split("+", 2)
        if len(parts) != 3 or not _valid_name(parts[0]) or len(parts[1]) != 8:
            raise invalid(f"verifier key: malformed '{text}'")
        raw = b64decode_strict(parts[2], "verifier key")
        if len(raw) != 33 or raw[0] not in (KEY_TYPE_ED25519, KEY_TYPE_COSIGNATURE):
            raise invalid("verifier key: not a type 0x01 or 0x04 Ed25519 key")
        k = VerifierKey(parts[0], raw[0], raw[1:])
        if f"{k.key_id:08x}" != parts[1]:
            raise invalid("verifier key: key ID does not match the name and key")
        return k

    def __str__(self):
        return f"{self.name}+{self.key_id:08x}+{b64(bytes([self.type]) + self.public_key)}"


class SigningKey:
    """An Ed25519 private key with a note name and type (what `ailedger keygen` writes)."""

    def __init__(self, name: str, key_type: int, seed: bytes):
        if not _valid_name(name) or len(seed) != 32:
            raise invalid("signing key: bad name or seed")
        self.name, self.type, self._seed = name, key_type, bytes(seed)
        self._key = _nacl().signing.SigningKey(bytes(seed))
        self.verifier = VerifierKey(name, key_type, bytes(self._key.verify_key))

    @property
    def public_key(self) -> bytes:
        return self.verifier.public_key

    @staticmethod
    def generate(name: str, key_type: int = KEY_TYPE_ED25519) -> "SigningKey":
        return SigningKey(name, key_type, bytes(_nacl().signing.SigningKey.generate()))

    @staticmethod
    def parse(text: str) -> "SigningKey":
        text = text.strip()
        if not text.startswith("PRIVATE+KEY+"):
            raise invalid("signing key: missing PRIVATE+KEY+ prefix")
        parts = text[len("PRIVATE+KEY+"):].split("+", 2)
        if len(parts) != 3:
            raise invalid("signing key: malformed")
        raw = b64decode_strict(parts[2], "signing key")
        if len(raw) != 33 or raw[0] not in (KEY_TYPE_ED25519, KEY_TYPE_COSIGNATURE):
            raise invalid("signing key: not a type 0x01 or 0x04 Ed25519 seed")
        k = SigningKey(parts[0], raw[0], raw[1:])
        if f"{k.verifier.key_id:08x}" != parts[1]:
            raise invalid("signing key: key ID does not match the name and key")
        return k

    @staticmethod
    def load(path) -> "SigningKey":
        with open(path, encoding="utf-8") as f:
            return SigningKey.parse(f.read())

    def format(self) -> str:
        """The key file's text, as `ailedger keygen` writes it (keep it secret)."""
        return (f"PRIVATE+KEY+{self.name}+{self.verifier.key_id:08x}+"
                f"{b64(bytes([self.type]) + self._seed)}")

    def sign(self, message: bytes) -> bytes:
        """Ed25519 (RFC 8032, deterministic) over exactly `message`."""
        return self._key.sign(bytes(message)).signature


@dataclass
class NoteSignature:
    name: str
    key_id: int
    signature: bytes  # after the key ID


@dataclass
class VerifiedNote:
    text: str
    verified: list = field(default_factory=list)   # [(VerifierKey, timestamp or None)]
    unknown: list = field(default_factory=list)    # [NoteSignature]

    def cosigners(self):
        return {k.public_key for k, ts in self.verified if k.type == KEY_TYPE_COSIGNATURE}


def parse_note(note):
    """(text, [NoteSignature]); format checks only."""
    if isinstance(note, bytes):
        try:
            note = note.decode("utf-8")
        except UnicodeDecodeError:
            raise invalid("note: not UTF-8") from None
    if len(note.encode()) > MAX_NOTE_SIZE:
        raise invalid("note: too large")
    if any(ord(c) < 0x20 and c != "\n" or ord(c) == 0x7f for c in note):
        raise invalid("note: control character")
    i = note.rfind("\n\n")
    if i < 0 or not note.endswith("\n"):
        raise invalid("note: no signature block")
    text, block = note[:i + 1], note[i + 2:]
    sigs = []
    for line in block[:-1].split("\n"):
        if not line.startswith(_DASH):
            raise invalid(f"note: malformed signature line '{line}'")
        parts = line[len(_DASH):].split(" ")
        if len(parts) != 2 or not _valid_name(parts[0]):
            raise invalid(f"note: malformed signature line '{line}'")
        raw = b64decode_strict(parts[1], "note signature")
        if len(raw) < 5:
            raise invalid("note: signature too short")
        sigs.append(NoteSignature(parts[0], struct.unpack(">I", raw[:4])[0], raw[4:]))
    if len(sigs) > MAX_NOTE_SIGNATURES:
        raise invalid("note: too many signatures")
    return text, sigs


def cosignature_message(timestamp: int, text: str) -> bytes:
    return f"cosignature/v1\ntime {timestamp}\n".encode() + text.encode()


def signature_line(key: SigningKey, text: str, timestamp: int = 0) -> str:
    if key.type == KEY_TYPE_COSIGNATURE:
        sig = struct.pack(">Q", timestamp) + key.sign(cosignature_message(timestamp, text))
    else:
        sig = key.sign(text.encode())
    return f"{_DASH}{key.name} {b64(struct.pack('>I', key.verifier.key_id) + sig)}\n"


def sign_note(text: str, keys, timestamp: int = 0) -> str:
    return text + "\n" + "".join(signature_line(k, text, timestamp) for k in keys)


def open_note(note, keys) -> VerifiedNote:
    """Verifies the signatures by `keys`; others are kept as unknown. UNAUTHENTICATED if a
    given key's signature is bad or if no given key signed."""
    text, sigs = parse_note(note)
    out = VerifiedNote(text)
    seen = set()
    for s in sigs:
        key = next((k for k in keys if k.name == s.name and k.key_id == s.key_id), None)
        if key is None:
            out.unknown.append(s)
            continue
        ts = None
        if key.type == KEY_TYPE_COSIGNATURE:
            if len(s.signature) != 72:
                raise unauthenticated(f"note: cosignature by {key.name} is not 72 bytes")
            ts = struct.unpack(">Q", s.signature[:8])[0]
            ok = ed25519_verify(key.public_key, cosignature_message(ts, text), s.signature[8:])
        else:
            ok = ed25519_verify(key.public_key, text.encode(), s.signature)
        if not ok:
            raise unauthenticated(f"note: signature by {key.name} does not verify")
        if key.public_key in seen:
            continue
        seen.add(key.public_key)
        out.verified.append((key, ts))
    if not out.verified:
        raise unauthenticated("note: no signature by a known key")
    return out


@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes

    def to_text(self) -> str:
        return f"{self.origin}\n{self.size}\n{b64(self.root)}\n"

    @staticmethod
    def parse(text: str) -> "Checkpoint":
        lines = text.split("\n")
        if len(lines) != 4 or lines[3] != "":
            raise invalid("checkpoint: not three lines (extension lines are refused)")
        origin, size, root = lines[:3]
        if not origin:
            raise invalid("checkpoint: empty origin")
        if not size.isdigit() or not size.isascii() or (size != "0" and size[0] == "0") \
                or int(size) >= 1 << 64:
            raise invalid(f"checkpoint: size '{size}' is not a canonical decimal")
        r = b64decode_strict(root, "checkpoint: root")
        if len(r) != 32:
            raise invalid("checkpoint: root is not 32 bytes")
        return Checkpoint(origin, int(size), r)


@dataclass
class VerifiedCheckpoint:
    checkpoint: Checkpoint
    note: VerifiedNote


def open_checkpoint(note, log_key: VerifierKey, cosigners=()) -> VerifiedCheckpoint:
    """The log key's signature is required and its name must be the origin; cosigners
    (type 0x04) are checked when present."""
    vn = open_note(note, [log_key] + list(cosigners))
    if not any(k == log_key for k, _ in vn.verified):
        raise unauthenticated(f"checkpoint: not signed by the log key {log_key.name}")
    cp = Checkpoint.parse(vn.text)
    if cp.origin != log_key.name:
        raise unauthenticated(f"checkpoint: origin '{cp.origin}' is not the log key's name"
                              f" '{log_key.name}'")
    return VerifiedCheckpoint(cp, vn)


@dataclass
class TlogProof:
    """C2SP tlog-proof: ailedger's receipt; `extra` is the leaf."""
    extra: bytes
    index: int
    hashes: list
    checkpoint: str

    HEADER = "c2sp.org/tlog-proof@v1\n"

    def format(self) -> str:
        out = self.HEADER
        if self.extra:
            out += f"extra {b64(self.extra)}\n"
        out += f"index {self.index}\n" + "".join(b64(h) + "\n" for h in self.hashes)
        return out + "\n" + self.checkpoint

    @staticmethod
    def parse(text) -> "TlogProof":
        if isinstance(text, bytes):
            text = text.decode("utf-8", "replace")
        if not text.startswith(TlogProof.HEADER):
            raise invalid("tlog-proof: missing c2sp.org/tlog-proof@v1 line")
        lines = text[len(TlogProof.HEADER):].split("\n")
        i, extra = 0, b""
        if lines[0].startswith("extra "):
            extra = b64decode_strict(lines[0][6:], "tlog-proof: extra")
            i = 1
        if i >= len(lines) - 1 or not lines[i].startswith("index "):
            raise invalid("tlog-proof: missing index line")
        idx = lines[i][6:]
        if not idx.isdigit() or (idx != "0" and idx[0] == "0") or int(idx) >= 1 << 64:
            raise invalid(f"tlog-proof: index '{idx}' is not a canonical decimal")
        i += 1
        hashes = []
        while i < len(lines) and lines[i]:
            h = b64decode_strict(lines[i], "tlog-proof: hash")
            if len(h) != 32:
                raise invalid("tlog-proof: hash is not 32 bytes")
            hashes.append(h)
            i += 1
        rest = "\n".join(lines[i + 1:])
        if i >= len(lines) or not rest:
            raise invalid("tlog-proof: no checkpoint after the proof")
        return TlogProof(extra, int(idx), hashes, rest)


@dataclass
class WitnessPolicy:
    witnesses: list
    quorum: int

    @staticmethod
    def parse(text: str) -> "WitnessPolicy":
        """One "witness VKEY" line per witness, an optional "quorum N" (default 1 when
        witnesses are named); '#' starts a comment."""
        ws, quorum = [], None
        for line in text.split("\n"):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            if line.startswith("witness "):
                k = VerifierKey.parse(line[8:].strip())
                if k.type != KEY_TYPE_COSIGNATURE:
                    raise invalid("witness policy: 'witness' needs a cosigner (0x04) key")
                ws.append(k)
            elif line.startswith("quorum ") and line[7:].strip().isdigit():
                quorum = int(line[7:].strip())
            else:
                raise invalid(f"witness policy: cannot read '{line}'")
        if quorum is None:
            quorum = 1 if ws else 0
        if quorum > len(ws):
            raise invalid("witness policy: quorum larger than the witnesses named")
        return WitnessPolicy(ws, quorum)
