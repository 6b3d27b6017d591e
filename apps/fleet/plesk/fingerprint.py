"""Read a panel's certificate fingerprint, for a person to confirm when adding a
server. Nothing is sent over this connection; API calls always check the pin."""

import socket
import ssl

from cryptography.hazmat.primitives import hashes
from cryptography.x509 import load_der_x509_certificate

from apps.ca import errors


def colon_hex(digest: bytes) -> str:
    text = digest.hex().upper()
    return ":".join(text[i : i + 2] for i in range(0, len(text), 2))


def fetch_fingerprint(host: str, port: int, timeout: float = 10) -> str:
    """SHA-256 of the certificate the panel at host:port presents, colon hex."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # read, not trusted: a person confirms it
    try:
        with (
            socket.create_connection((host, port), timeout=timeout) as raw,
            context.wrap_socket(raw, server_hostname=host) as tls,
        ):
            der = tls.getpeercert(binary_form=True)
    except TimeoutError:
        raise errors.CertfleetError(
            errors.PLESK_TIMEOUT, f"{host}:{port} did not answer"
        ) from None
    except (OSError, ssl.SSLError) as exc:
        raise errors.CertfleetError(
            errors.PLESK_UNREACHABLE, f"{host}:{port}: {exc}"
        ) from None
    if not der:
        raise errors.CertfleetError(errors.PLESK_TLS_MISMATCH, "no certificate")
    cert = load_der_x509_certificate(der)
    return colon_hex(cert.fingerprint(hashes.SHA256()))
