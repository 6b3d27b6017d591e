"""Step 2, DNS: the name resolves (A and AAAA) to an address the site is served on.

Asks the resolver in settings.CERTFLEET_DNS_SERVER ("host:port"), else the system's.
An IPv6-only name counts. The `www.` form joins the certificate only when it resolves
to the same server, and its absence never sinks the order.
"""

import ipaddress
import logging

import dns.exception
import dns.resolver
from django.conf import settings

from apps.ca import errors
from apps.ca.errors import CertfleetError

logger = logging.getLogger(__name__)
LIFETIME = 5.0


def resolver() -> dns.resolver.Resolver:
    server = settings.CERTFLEET_DNS_SERVER
    if not server:
        return dns.resolver.Resolver()
    host, _, port = server.rpartition(":")
    if not host:
        host, port = port, "53"
    made = dns.resolver.Resolver(configure=False)
    made.nameservers = [host.strip("[]")]
    made.port = int(port)
    made.lifetime = LIFETIME
    return made


def addresses(name: str, lookup: dns.resolver.Resolver | None = None) -> set[str]:
    """A and AAAA answers for `name` (compressed text form); empty if none."""
    lookup = lookup or resolver()
    found: set[str] = set()
    for rdtype in ("A", "AAAA"):
        try:
            answer = lookup.resolve(name, rdtype)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            continue
        except (dns.resolver.LifetimeTimeout, dns.resolver.NoNameservers) as exc:
            raise CertfleetError(errors.DNS_TIMEOUT, f"{name} {rdtype}: {exc}") from exc
        except dns.exception.DNSException as exc:
            raise CertfleetError(errors.DNS_UNRESOLVED, f"{name}: {exc}") from exc
        found.update(str(ipaddress.ip_address(r.address)) for r in answer)
    return found


def served_by(found: set[str], site_ips: list[str]) -> set[str]:
    ours = {str(ipaddress.ip_address(ip)) for ip in site_ips}
    return found & ours


def check_names(name: str, site_ips: list[str]) -> tuple[list[str], str]:
    """The names the certificate will carry, and a line for the order log."""
    lookup = resolver()
    found = addresses(name, lookup)
    if not found:
        raise CertfleetError(errors.DNS_UNRESOLVED, name)
    if not served_by(found, site_ips):
        shown = ", ".join(sorted(found))
        raise CertfleetError(errors.DNS_ELSEWHERE, f"{name} -> {shown}")
    names = [name]
    www = f"www.{name}"
    try:
        www_found = addresses(www, lookup)
    except CertfleetError:
        www_found = set()
    if served_by(www_found, site_ips):
        names.append(www)
    return names, f"{name} -> {', '.join(sorted(found))}; names {', '.join(names)}"
