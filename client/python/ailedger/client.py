"""Ledger: the gRPC client, the Python twin of client/ledger_client.{h,cc}.

One channel per Ledger, a deadline on every call, and the call context (ailedger-key,
-time-ms, -nonce, -signature metadata, docs/FORMATS.md "call") signed for each read when a
key is given. Errors are LedgerError with the server's gRPC code and message. Every receipt
push and push_batch return has been checked to be a receipt of exactly the event sent
(check_receipt_binding); with log_vkey it is also verified offline (verify_receipt).
Appends are idempotent by event id (a retried push returns the original receipt, flagged
duplicate), but nothing is retried here.
"""

import os
import secrets
import time
from dataclasses import dataclass

import grpc

from . import ledger_pb2, ledger_pb2_grpc
from .errors import LedgerError
from .note import (Checkpoint, SigningKey, TlogProof, VerifierKey, open_checkpoint,
                   parse_note)
from .receipt import check_receipt_binding, verify_receipt
from .signing import (LEDGER_SERVICE, Leaf, call_signing_message, parse_canonical_event,
                      sign_event)


@dataclass
class AppendOutcome:
    """One event's answer in push_batch: a receipt, or the code and message refusing it."""
    code: str
    message: str
    receipt: object = None

    @property
    def ok(self):
        return self.code == "OK"


@dataclass
class Entry:
    index: int
    leaf: Leaf
    leaf_bytes: bytes

    @property
    def event(self):
        return parse_canonical_event(self.leaf.event_bytes)


def _error(e: grpc.RpcError) -> LedgerError:
    return LedgerError(e.code().name, e.details() or "")


def _entry(pb) -> Entry:
    return Entry(pb.index, Leaf.decode(pb.leaf), pb.leaf)


class Ledger:
    def __init__(self, channel, key, origin, log_vkey, timeout):
        self._channel = channel
        self._stub = ledger_pb2_grpc.LedgerStub(channel)
        self.key = key
        self.log_vkey = log_vkey
        self.origin = origin
        self.timeout = timeout

    @staticmethod
    def connect(server="127.0.0.1:7420", key=None, log_vkey=None, origin=None,
                timeout=10.0, tls_ca_file=None) -> "Ledger":
        """Connects and pins the log: with `log_vkey` (a verifier key string or VerifierKey)
        its name must be the server's origin and receipts are verified with it; with
        `origin` only the origin is pinned (as `push --origin`). `key` is a SigningKey or the
        path of a key file from `ailedger keygen`; it signs appends and read calls."""
        if isinstance(key, (str, os.PathLike)):
            key = SigningKey.load(key)
        if isinstance(log_vkey, str):
            log_vkey = VerifierKey.parse(log_vkey)
        opts = [("grpc.max_receive_message_length", 64 << 20),
                ("grpc.max_send_message_length", 8 << 20)]
        if tls_ca_file:
            with open(tls_ca_file, "rb") as f:
                creds = grpc.ssl_channel_credentials(root_certificates=f.read())
            channel = grpc.secure_channel(server, creds, options=opts)
        else:
            channel = grpc.insecure_channel(server, options=opts)
        ledger = Ledger(channel, key, None, log_vkey, timeout)
        served = ledger.log_info().origin
        pinned = log_vkey.name if log_vkey is not None else origin
        if pinned is not None and pinned != served:
            channel.close()
            raise LedgerError("FAILED_PRECONDITION",
                              f"the server says its origin is '{served}', not '{pinned}'")
        ledger.origin = served
        return ledger

    def close(self):
        self._channel.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # The signed call context of a read (server/call_auth.h).
    def _metadata(self, method):
        if self.key is None or self.origin is None:
            return None
        nonce = secrets.token_bytes(16)
        now = int(time.time() * 1000)
        msg = call_signing_message(self.origin, LEDGER_SERVICE + method, now, nonce)
        import base64
        enc = lambda b: base64.b64encode(b).decode()  # noqa: E731
        return [("ailedger-key", enc(self.key.public_key)), ("ailedger-time-ms", str(now)),
                ("ailedger-nonce", enc(nonce)), ("ailedger-signature", enc(self.key.sign(msg)))]

    def _call(self, method, request):
        try:
            return getattr(self._stub, method)(request, timeout=self.timeout,
                                               metadata=self._metadata(method))
        except grpc.RpcError as e:
            raise _error(e) from None

    def _stream(self, method, request):
        try:
            for resp in getattr(self._stub, method)(request, timeout=self.timeout,
                                                    metadata=self._metadata(method)):
                yield resp
        except grpc.RpcError as e:
            raise _error(e) from None

    def log_info(self):
        """GetLogInfoResponse: origin, log_verifier_key, size."""
        return self._call("GetLogInfo", ledger_pb2.GetLogInfoRequest())

    def _signed_request(self, event):
        if self.key is None:
            raise LedgerError("FAILED_PRECONDITION", "push needs a signing key (connect key=)")
        s = sign_event(event, self.key, self.origin)
        return ledger_pb2.AppendRequest(event=s.event_bytes, signer=s.signer,
                                        signature=s.signature)

    def _check(self, req, receipt):
        check_receipt_binding(req, receipt, self.origin)
        if self.log_vkey is not None:
            verify_receipt(receipt, self.log_vkey)
        return receipt

    def append(self, request):
        """Appends an already signed AppendRequest; the receipt is bound to it."""
        return self._check(request, self._call("Append", request).receipt)

    def push(self, event):
        """Signs `event` (an Event or a dict in protobuf's JSON mapping) for this log and
        appends it. Returns the Receipt (its tlog_proof is the receipt file's text)."""
        return self.append(self._signed_request(event))

    def push_batch(self, events):
        """Signs and appends events in one call. One AppendOutcome per event, in order: a bad
        event is refused alone. DATA_LOSS for the whole call when the server answers another
        count of outcomes or any receipt is not bound to its event."""
        reqs = [self._signed_request(e) for e in events]
        resp = self._call("AppendBatch", ledger_pb2.AppendBatchRequest(events=reqs))
        if len(resp.outcomes) != len(reqs):
            raise LedgerError("DATA_LOSS", f"append batch: {len(resp.outcomes)} outcomes for "
                                           f"{len(reqs)} events")
        out = []
        for i, (req, o) in enumerate(zip(reqs, resp.outcomes)):
            if o.code != 0:
                out.append(AppendOutcome(LedgerError(o.code, "").code, o.message))
                continue
            try:
                self._check(req, o.receipt)
            except LedgerError as e:
                raise LedgerError("DATA_LOSS",
                                  f"batch event {i + 1} of {len(reqs)}: {e.message}") from None
            out.append(AppendOutcome("OK", "", o.receipt))
        return out

    def get(self, index=None, event_id=None) -> Entry:
        """One entry, by index or by event id (32 bytes or hex)."""
        if (index is None) == (event_id is None):
            raise LedgerError("INVALID_ARGUMENT", "get: give index or event_id")
        if isinstance(event_id, str):
            event_id = bytes.fromhex(event_id)
        req = ledger_pb2.GetEntryRequest(index=index) if index is not None else \
            ledger_pb2.GetEntryRequest(event_id=event_id)
        return _entry(self._call("GetEntry", req).entry)

    def entries(self, start=0, end=0, page_size=0):
        """Iterates the entries in [start, end) (end 0: up to the current size)."""
        req = ledger_pb2.GetEntriesRequest(start=start, end=end, page_size=page_size)
        for resp in self._stream("GetEntries", req):
            for e in resp.entries:
                yield _entry(e)

    def query_pages(self, subject=None, event_type="", organisation="", from_ms=0, to_ms=0,
                    start_index=0, page_size=0, limit=0):
        """Iterates the pages the server streams: (entries, next_index), next_index being
        where to resume (start_index=) if the stream is cut. `subject` is (kind, id) or
        "kind:id"."""
        kind = sid = ""
        if subject:
            kind, sid = subject.split(":", 1) if isinstance(subject, str) else subject
        req = ledger_pb2.QueryRequest(subject_kind=kind, subject_id=sid, event_type=event_type,
                                      organisation=organisation, from_ms=from_ms, to_ms=to_ms,
                                      start_index=start_index, page_size=page_size,
                                      limit=limit)
        for resp in self._stream("Query", req):
            yield [_entry(e) for e in resp.entries], resp.next_index

    def query(self, *args, **kwargs):
        """Iterates the matching entries across pages (query_pages' arguments)."""
        for entries, _ in self.query_pages(*args, **kwargs):
            yield from entries

    def checkpoint(self, which="latest", size=0, verify=True) -> str:
        """The signed checkpoint note: which = latest, latest_cosigned, at_size or
        cosigned_after. Verified with log_vkey when one was given."""
        w = ledger_pb2.GetCheckpointRequest.Which.Value(which.upper())
        note = self._call("GetCheckpoint",
                          ledger_pb2.GetCheckpointRequest(which=w, size=size)).checkpoint
        text = note.decode()
        if verify and self.log_vkey is not None:
            open_checkpoint(text, self.log_vkey)
        return text

    def prove_inclusion(self, index=None, event_id=None, tree_size=0):
        """GetInclusionProofResponse; verified against its checkpoint with log_vkey."""
        if isinstance(event_id, str):
            event_id = bytes.fromhex(event_id)
        req = ledger_pb2.GetInclusionProofRequest(tree_size=tree_size)
        if index is not None:
            req.index = index
        else:
            req.event_id = event_id
        resp = self._call("GetInclusionProof", req)
        if self.log_vkey is not None and resp.checkpoint:
            from . import merkle
            cp = open_checkpoint(resp.checkpoint.decode(), self.log_vkey).checkpoint
            if cp.size != resp.tree_size:
                raise LedgerError("DATA_LOSS", "inclusion proof: checkpoint of another size")
            merkle.verify_inclusion(resp.index, resp.tree_size, merkle.leaf_hash(resp.leaf),
                                    list(resp.hashes), cp.root)
        return resp

    def witnessed_receipt(self, index=None, event_id=None) -> str:
        """A receipt (tlog-proof text) of the entry against the earliest cosigned checkpoint
        that holds it (GetCheckpoint COSIGNED_AFTER): what to keep when readers require a
        witness policy. NOT_FOUND until a witness has cosigned a checkpoint holding it. The
        checkpoint and the inclusion proof are verified with log_vkey when one was given."""
        if index is None:
            index = self.get(event_id=event_id).index
        note = self.checkpoint("cosigned_after", size=index, verify=False)
        size = Checkpoint.parse(parse_note(note)[0]).size
        p = self.prove_inclusion(index=index, tree_size=size)
        proof = TlogProof(bytes(p.leaf), index, list(p.hashes), note).format()
        if self.log_vkey is not None:
            verify_receipt(proof, self.log_vkey)
        return proof

    def update_checkpoint(self, trusted: str) -> str:
        """The latest checkpoint, verified with log_vkey and proven consistent with
        `trusted` (a checkpoint note verified before): what a pipeline keeping the last
        checkpoint it saw does to detect a fork or a rollback. INVALID_ARGUMENT when the log
        is not an extension of `trusted`."""
        if self.log_vkey is None:
            raise LedgerError("FAILED_PRECONDITION", "update_checkpoint needs log_vkey")
        from . import merkle
        old = open_checkpoint(trusted, self.log_vkey).checkpoint
        note = self.checkpoint()
        new = open_checkpoint(note, self.log_vkey).checkpoint
        if new.size < old.size:
            raise LedgerError("INVALID_ARGUMENT", f"checkpoint: the log shrank from {old.size}"
                                                  f" to {new.size} entries")
        if old.size == new.size:
            if old.root != new.root:
                raise LedgerError("INVALID_ARGUMENT", f"checkpoint: two roots for size "
                                                      f"{new.size}: a fork")
            return note
        if old.size == 0:  # the empty tree is a prefix of every tree
            return note
        c = self.prove_consistency(old.size, new.size)
        merkle.verify_consistency(old.size, new.size, list(c.hashes), old.root, new.root)
        return note

    def prove_consistency(self, first, second=0):
        """GetConsistencyProofResponse (verify with merkle.verify_consistency)."""
        return self._call("GetConsistencyProof",
                          ledger_pb2.GetConsistencyProofRequest(first=first, second=second))
