"""Signing contexts, event ids and the leaf, byte for byte as ledger/tlog/contexts.cc,
ledger/governance/event_signature.cc and ledger/tlog/leaf.cc (docs/FORMATS.md):

    event      "ailedger/event/v1\\n" || origin || "\\n" || event_bytes
    call       "ailedger/call/v1\\n" || origin || "\\n" || method || "\\n" || decimal(time_ms)
               || "\\n" || nonce (16 raw bytes)
    event id   SHA-256("ailedger/event-id/v1\\n" || origin || "\\n" || event_bytes)
    leaf       u8 version=1 | u64 index | u64 integrated_time_ms | [32] prev_leaf_hash |
               [32] signer | [64] signature | u16 event_len | event_bytes   (big-endian)

The event bytes are the canonical encoding: protobuf's deterministic serialization of the
Event, which is what the C++ client signs (CanonicalEncoding).
"""

import hashlib
import struct
from dataclasses import dataclass

from .errors import invalid
from .note import ed25519_verify

CALL_NONCE_SIZE = 16
LEDGER_SERVICE = "/ailedger.v1.Ledger/"
LEAF_HEADER_SIZE = 147
MAX_LEAF_SIZE = 65535


def _b(s):
    return s.encode() if isinstance(s, str) else bytes(s)


def event_signing_message(origin: str, event_bytes: bytes) -> bytes:
    return b"ailedger/event/v1\n" + _b(origin) + b"\n" + bytes(event_bytes)


def call_signing_message(origin: str, method: str, time_ms: int, nonce: bytes) -> bytes:
    if len(nonce) != CALL_NONCE_SIZE:
        raise invalid(f"call context: nonce must be {CALL_NONCE_SIZE} bytes")
    if "\n" in method:
        raise invalid("call context: method has a newline")
    return (b"ailedger/call/v1\n" + _b(origin) + b"\n" + _b(method) + b"\n" +
            str(int(time_ms)).encode() + b"\n" + bytes(nonce))


def key_possession_message(origin: str, public_key: bytes) -> bytes:
    return b"ailedger/key-possession/v1\n" + _b(origin) + b"\n" + bytes(public_key)


def event_id(origin: str, event_bytes: bytes) -> bytes:
    return hashlib.sha256(b"ailedger/event-id/v1\n" + _b(origin) + b"\n" +
                          bytes(event_bytes)).digest()


def seal_commitment(salt: bytes, plaintext: bytes) -> bytes:
    if len(salt) != 32:
        raise invalid("seal: salt must be 32 bytes")
    return hashlib.sha256(b"ailedger/seal/v1" + bytes(salt) + bytes(plaintext)).digest()


def to_event(event):
    """An Event message from an Event, a dict in protobuf's JSON mapping, or JSON text."""
    from google.protobuf import json_format
    from . import event_pb2
    if isinstance(event, event_pb2.Event):
        return event
    msg = event_pb2.Event()
    try:
        if isinstance(event, (str, bytes)):
            json_format.Parse(event, msg)
        elif isinstance(event, dict):
            json_format.ParseDict(event, msg)
        else:
            raise TypeError(f"an Event, a dict or JSON text, not {type(event).__name__}")
    except json_format.ParseError as e:
        raise invalid(f"event: {e}") from None
    return msg


def canonical_encoding(event) -> bytes:
    """What an author signs: the deterministic encoding of the Event."""
    return to_event(event).SerializeToString(deterministic=True)


def parse_canonical_event(event_bytes: bytes):
    """The Event in `event_bytes`, refused unless re-encoding gives the same bytes and it has
    no unknown fields or enum values at any depth (ledger/governance/canonical.h)."""
    from google.protobuf.message import DecodeError
    from . import event_pb2
    msg = event_pb2.Event()
    try:
        msg.ParseFromString(bytes(event_bytes))
    except DecodeError:
        raise invalid("event: does not parse") from None
    # Unknown fields are re-encoded as they came: drop them so that they make a difference.
    msg.DiscardUnknownFields()
    if msg.SerializeToString(deterministic=True) != bytes(event_bytes):
        raise invalid("event: not the canonical encoding (or unknown fields)")
    _check_enums(msg, "event")
    return msg


def _check_enums(msg, path):
    """proto3 enums are open: an unknown value parses as a number. Refused, naming the
    field, as the C++ canonical rule does."""
    for fd, value in msg.ListFields():
        name = f"{path}.{fd.name}"
        values = value if fd.label == fd.LABEL_REPEATED else [value]
        if fd.message_type is not None:
            if fd.message_type.GetOptions().map_entry:
                continue
            for v in values:
                _check_enums(v, name)
        elif fd.enum_type is not None:
            for v in values:
                if v not in fd.enum_type.values_by_number:
                    raise invalid(f"{name}: unknown enum value {v}")


@dataclass
class SignedEvent:
    event_bytes: bytes
    signer: bytes
    signature: bytes


def sign_event(event, key, origin: str) -> SignedEvent:
    """The canonical bytes of `event` signed by `key` (a note.SigningKey) for `origin`."""
    data = canonical_encoding(event)
    return SignedEvent(data, key.public_key, key.sign(event_signing_message(origin, data)))


def verify_event_signature(origin: str, event_bytes: bytes, signer: bytes,
                           signature: bytes) -> bool:
    return ed25519_verify(signer, event_signing_message(origin, event_bytes), signature)


@dataclass
class Leaf:
    index: int
    integrated_time_ms: int
    prev_leaf_hash: bytes
    signer: bytes
    signature: bytes
    event_bytes: bytes
    version: int = 1

    def encode(self) -> bytes:
        return (struct.pack(">BQQ", self.version, self.index, self.integrated_time_ms) +
                self.prev_leaf_hash + self.signer + self.signature +
                struct.pack(">H", len(self.event_bytes)) + self.event_bytes)

    @staticmethod
    def decode(b: bytes) -> "Leaf":
        b = bytes(b)
        if len(b) > MAX_LEAF_SIZE:
            raise invalid(f"leaf: {len(b)} bytes exceeds {MAX_LEAF_SIZE}")
        if len(b) < LEAF_HEADER_SIZE:
            raise invalid(f"leaf: truncated at {len(b)} bytes")
        if b[0] != 1:
            raise invalid(f"leaf: version {b[0]}")
        version, index, t = struct.unpack(">BQQ", b[:17])
        (n,) = struct.unpack(">H", b[145:147])
        if len(b) != LEAF_HEADER_SIZE + n:
            raise invalid(f"leaf: event_len {n} but {len(b) - LEAF_HEADER_SIZE} event bytes")
        return Leaf(index, t, b[17:49], b[49:81], b[81:145], b[147:], version)
