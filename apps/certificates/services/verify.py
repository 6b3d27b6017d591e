"""Step 7, verify: a real TLS handshake to each of the site's addresses, on the
server's HTTPS port, with SNI = the name. The leaf served must be the new
certificate, and a client holding only the CA's roots must be able to trust it, which
it can only when the chain is served too."""

import hashlib
import socket
import ssl
import time

from apps.ca import errors
from apps.ca.errors import CertfleetError

TIMEOUT = 10.0
TRIES = 3
PAUSE = 0.5


def _connect(address: str, port: int, context: ssl.SSLContext, name: str) -> bytes:
    with (
        socket.create_connection((address, port), timeout=TIMEOUT) as raw,
        context.wrap_socket(raw, server_hostname=name) as tls,
    ):
        return tls.getpeercert(binary_form=True) or b""


def served_leaf(address: str, port: int, name: str) -> bytes:
    """The DER of the certificate served for `name`, trusting nothing."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return _connect(address, port, context, name)


def trusted_handshake(address: str, port: int, name: str, roots_pem: str) -> None:
    """A verifying handshake with only `roots_pem` trusted; raises ssl errors."""
    context = ssl.create_default_context(cadata=roots_pem)
    _connect(address, port, context, name)


def fingerprint(der: bytes) -> str:
    return hashlib.sha256(der).hexdigest()


def _check_one(address: str, port: int, name: str, want: str, roots_pem: str):
    where = f"{name} at {address}:{port}"
    try:
        got = fingerprint(served_leaf(address, port, name))
    except (OSError, ssl.SSLError) as exc:
        raise CertfleetError(errors.VERIFY_HANDSHAKE, f"{where}: {exc}") from exc
    if got != want:
        raise CertfleetError(errors.VERIFY_WRONG_CERT, f"{where} serves {got}")
    try:
        trusted_handshake(address, port, name, roots_pem)
    except ssl.SSLCertVerificationError as exc:
        detail = f"{where}: {exc.verify_message}"
        raise CertfleetError(errors.CHAIN_INCOMPLETE, detail) from exc
    except (OSError, ssl.SSLError) as exc:
        raise CertfleetError(errors.VERIFY_HANDSHAKE, f"{where}: {exc}") from exc


def verify_served(
    addresses: list[str], port: int, name: str, want: str, roots_pem: str
) -> list[str]:
    """Check every address (a few tries each); lines for the order log."""
    if not addresses:
        raise CertfleetError(errors.VERIFY_HANDSHAKE, f"{name} has no address")
    lines = []
    for address in addresses:
        for attempt in range(1, TRIES + 1):
            try:
                _check_one(address, port, name, want, roots_pem)
                break
            except CertfleetError:
                if attempt == TRIES:
                    raise
                time.sleep(PAUSE * attempt)
        lines.append(f"{address}:{port} serves {want[:16]}... for {name}")
    return lines
