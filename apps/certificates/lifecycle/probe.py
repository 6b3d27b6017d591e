"""A TLS handshake to a site, the way a browser reaches it (its IP, SNI = its name),
returning what the site serves: the leaf and the chain sent with it.

Nothing is verified during the handshake: a health check must see a wrong or broken
certificate to report it, so verification happens afterwards (`builds_to_root`,
`matches_name`) against the roots Certfleet trusts.
"""

import contextlib
import select
import socket
import time
from dataclasses import dataclass

from cryptography import x509
from OpenSSL import SSL

from apps.ca.errors import CertfleetError
from apps.certificates.services.chain import build_path, covers, dns_names


@dataclass(frozen=True)
class Served:
    leaf: x509.Certificate
    chain: list[x509.Certificate]


def fetch(address: str, port: int, server_name: str, timeout: float) -> Served:
    """Raises OSError (TimeoutError included) or SSL.Error when no handshake."""
    context = SSL.Context(SSL.TLS_CLIENT_METHOD)
    context.set_verify(SSL.VERIFY_NONE)
    with socket.create_connection((address, port), timeout=timeout) as sock:
        connection = SSL.Connection(context, sock)
        connection.set_tlsext_host_name(server_name.encode("ascii"))
        connection.set_connect_state()
        _handshake(connection, sock, time.monotonic() + timeout)
        chain = connection.get_peer_cert_chain(as_cryptography=True) or []
        leaf = connection.get_peer_certificate(as_cryptography=True)
        _close_quietly(connection)
    if leaf is None:
        raise SSL.Error("the site sent no certificate")
    rest = [c for c in chain if c != leaf]
    return Served(leaf=leaf, chain=rest)


def _handshake(connection: SSL.Connection, sock: socket.socket, deadline: float):
    # A socket with a timeout is non-blocking underneath; wait for it ourselves.
    while True:
        try:
            connection.do_handshake()
            return
        except SSL.WantReadError:
            readable, writable = [sock], []
        except SSL.WantWriteError:
            readable, writable = [], [sock]
        left = deadline - time.monotonic()
        if left <= 0 or not any(select.select(readable, writable, [], left)):
            raise TimeoutError("TLS handshake timed out")


def _close_quietly(connection: SSL.Connection) -> None:
    with contextlib.suppress(SSL.Error, OSError):
        connection.shutdown()


def builds_to_root(
    leaf: x509.Certificate,
    chain: list[x509.Certificate],
    roots: list[x509.Certificate],
) -> bool:
    """True when the served chain leads from the leaf to one of `roots` with every
    signature checked, fetching nothing (the pipeline's own path builder)."""
    try:
        build_path(leaf, chain, roots)
    except CertfleetError:
        return False
    return True


def matches_name(certificate: x509.Certificate, name: str) -> bool:
    """Whether the certificate is valid for `name` by its DNS names (a wildcard
    covers one label), as browsers judge it and as the pipeline checks it."""
    return covers(dns_names(certificate), name.lower())
