"""Errors: every failure is a LedgerError carrying a gRPC status code name.

`code` is the name of the gRPC status code ("NOT_FOUND", "DATA_LOSS", ...), the same code
the C++ client returns (absl::StatusCode mirrors grpc one-to-one), and `message` is the
server's message or ours. Offline verification uses the codes of docs/FORMATS.md, "Error
codes": INVALID_ARGUMENT for a malformed or wrong proof, UNAUTHENTICATED for a signature that
does not verify, DATA_LOSS for a receipt not bound to the event sent.
"""

# google.rpc.Code numbers, so AppendOutcome.code (an int) maps to a name.
CODES = {
    0: "OK", 1: "CANCELLED", 2: "UNKNOWN", 3: "INVALID_ARGUMENT", 4: "DEADLINE_EXCEEDED",
    5: "NOT_FOUND", 6: "ALREADY_EXISTS", 7: "PERMISSION_DENIED", 8: "RESOURCE_EXHAUSTED",
    9: "FAILED_PRECONDITION", 10: "ABORTED", 11: "OUT_OF_RANGE", 12: "UNIMPLEMENTED",
    13: "INTERNAL", 14: "UNAVAILABLE", 15: "DATA_LOSS", 16: "UNAUTHENTICATED",
}


class LedgerError(Exception):
    """A failed call or check: `code` (gRPC code name) and `message`."""

    def __init__(self, code, message):
        if isinstance(code, int):
            code = CODES.get(code, "UNKNOWN")
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class VerificationError(LedgerError):
    """Offline verification failed (a proof, a note, a receipt)."""


def invalid(message):
    return VerificationError("INVALID_ARGUMENT", message)


def unauthenticated(message):
    return VerificationError("UNAUTHENTICATED", message)


def data_loss(message):
    return VerificationError("DATA_LOSS", message)
