"""How the sandbox CA looks at a site: DNS through the sandbox's name server, then a
TLS handshake with SNI to see which certificate the site serves."""

import socket
import ssl
import time
from dataclasses import dataclass

import dns.exception
import dns.resolver

from .rules import Refusal

DNS_NAME_NOT_FOUND = -3012
DNS_NO_ADDRESS = -3013
DNS_NOT_RESOLVING = -3019
CANNOT_CONNECT = -3008
TEMP_CERT_NOT_SEEN = -9002


@dataclass
class Resolver:
    """The CA's view of DNS; `server` None means the CA has no DNS to ask."""

    server: tuple[str, int] | None
    timeout: float = 2.0

    def addresses(self, name: str) -> list[str]:
        if self.server is None:
            raise Refusal(DNS_NOT_RESOLVING, "DomainName", "no DNS server configured")
        resolver = dns.resolver.Resolver(configure=False)
        resolver.nameservers = [self.server[0]]
        resolver.port = self.server[1]
        resolver.lifetime = self.timeout
        found: list[str] = []
        missing = 0
        for rdtype in ("A", "AAAA"):
            try:
                found += [r.address for r in resolver.resolve(name, rdtype)]
            except dns.resolver.NXDOMAIN as exc:
                raise Refusal(
                    DNS_NAME_NOT_FOUND, "DomainName", f"{name}: NXDOMAIN"
                ) from exc
            except dns.resolver.NoAnswer:
                missing += 1
            except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
                raise Refusal(
                    DNS_NOT_RESOLVING, "DomainName", f"{name}: {exc}"
                ) from exc
        if not found:
            raise Refusal(DNS_NO_ADDRESS, "DomainName", f"{name} has no A or AAAA")
        return found


class Unreachable(Exception):
    """No TCP connection to the address and port."""


def served_certificate(address: str, port: int, name: str, timeout: float) -> bytes:
    """The DER certificate the site at `address` serves for SNI `name`."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    context.check_hostname = False
    # The temporary certificate is trusted by no one; what matters is which it is.
    context.verify_mode = ssl.CERT_NONE
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as raw:
        raw.settimeout(timeout)
        try:
            raw.connect((address, port))
        except OSError as exc:
            raise Unreachable(str(exc)) from exc
        with context.wrap_socket(raw, server_hostname=name) as tls:
            return tls.getpeercert(binary_form=True) or b""


def _look_once(addresses: list[str], port: int, name: str, expected: bytes) -> str:
    """'ok', 'refused' or 'wrong': what one round over the addresses saw."""
    seen_wrong = False
    reached = False
    for address in addresses:
        try:
            served = served_certificate(address, port, name, timeout=5.0)
        except Unreachable:
            continue
        except OSError:  # reached, but no TLS handshake (ssl.SSLError is an OSError)
            reached = True
            seen_wrong = True
            continue
        reached = True
        if served != expected:
            seen_wrong = True
    if not reached:
        return "refused"
    return "wrong" if seen_wrong else "ok"


def require_served(
    resolver: Resolver,
    name: str,
    port: int,
    expected: bytes,
    deadline: float,
    interval: float = 0.5,
) -> None:
    """Wait until every reachable address of `name` serves exactly `expected`.

    Gives up at the deadline: -3008 if no address ever accepted a connection,
    -9002 if one did but served something else.
    """
    addresses = resolver.addresses(name)
    give_up = time.monotonic() + deadline
    while True:
        outcome = _look_once(addresses, port, name, expected)
        if outcome == "ok":
            return
        if time.monotonic() + interval > give_up:
            break
        time.sleep(interval)
    if outcome == "refused":
        raise Refusal(CANNOT_CONNECT, "PortNumber", f"{name} refused port {port}")
    raise Refusal(
        TEMP_CERT_NOT_SEEN,
        "",
        f"the temporary certificate was not served by {name}:{port}",
    )
