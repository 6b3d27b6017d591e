"""The IP networks a voucher may be used on.

A voucher lists networks as text, each one of:

- a CIDR block: ``192.0.2.0/24``, ``2001:db8::/32``
- a range of addresses, first and last included: ``192.0.2.10-192.0.2.20``
- one address: ``192.0.2.7`` or ``2001:db8::7``

IPv4 and IPv6 may be mixed. A site passes only when EVERY address it is served on
lies inside one of the networks. One address outside is enough to refuse: the CA
checks whichever address the name resolves to, and a site answering on an address
outside the provider's ranges is exactly what a range-bound voucher must not pay for.
"""

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

_EXAMPLES = "192.0.2.0/24, 192.0.2.10-192.0.2.20, 2001:db8::/32 or 192.0.2.7"
# Entries are separated by commas, semicolons or white space; a dash with spaces
# around it still joins the two ends of a range.
_SPACED_DASH = re.compile(r"\s*-\s*")
_SEPARATORS = re.compile(r"[\s,;]+")


class NetworkError(ValueError):
    """A network entry that cannot be read; the message says what to type."""


@dataclass(frozen=True)
class Network:
    first: Address
    last: Address
    text: str

    def __contains__(self, address: Address) -> bool:
        return (
            address.version == self.first.version and self.first <= address <= self.last
        )


def parse(entries: str | Iterable[str]) -> list[Network]:
    """Every network of `entries` (one string, or a list as stored on a voucher)."""
    if isinstance(entries, str):
        entries = [entries]
    networks = []
    for entry in entries:
        text = _SPACED_DASH.sub("-", entry.strip())
        networks.extend(parse_one(part) for part in _SEPARATORS.split(text) if part)
    return networks


def parse_one(text: str) -> Network:
    if "/" in text:
        return _parse_cidr(text)
    if "-" in text:
        return _parse_range(text)
    address = _address(text, text)
    return Network(address, address, str(address))


def _parse_cidr(text: str) -> Network:
    try:
        block = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise NetworkError(
            f"{text!r} is not a network; type a block like 192.0.2.0/24 or "
            f"2001:db8::/32, or a range like 192.0.2.10-192.0.2.20."
        ) from None
    try:
        ipaddress.ip_network(text, strict=True)
    except ValueError:
        raise NetworkError(
            f"{text!r} has bits set after the prefix; did you mean {block}? "
            f"For a range of addresses type first-last, e.g. 192.0.2.10-192.0.2.20."
        ) from None
    return Network(block.network_address, block.broadcast_address, str(block))


def _parse_range(text: str) -> Network:
    first_text, _, last_text = text.partition("-")
    if not first_text or not last_text or "-" in last_text:
        raise NetworkError(
            f"{text!r} is not a range; type the first and last address joined by "
            f"a dash, e.g. 192.0.2.10-192.0.2.20."
        )
    first, last = _address(first_text, text), _address(last_text, text)
    if first.version != last.version:
        raise NetworkError(
            f"{text!r} mixes IPv4 and IPv6; a range has two addresses of one kind."
        )
    if first > last:
        raise NetworkError(
            f"{text!r} ends before it starts; type the lower address first, "
            f"e.g. {last}-{first}."
        )
    return Network(first, last, f"{first}-{last}")


def _address(text: str, entry: str) -> Address:
    try:
        return _unmapped(ipaddress.ip_address(text))
    except ValueError:
        raise NetworkError(
            f"{text!r} in {entry!r} is not an IP address; type entries like "
            f"{_EXAMPLES}."
        ) from None


def _unmapped(address: Address) -> Address:
    # An IPv4 address written in IPv6 form (::ffff:192.0.2.1) is that IPv4 address.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def outside(networks: list[Network], addresses: Iterable[str]) -> list[str]:
    """The addresses not inside any of `networks` (unreadable ones included)."""
    missing = []
    for text in addresses:
        try:
            address = _unmapped(ipaddress.ip_address(text.strip()))
        except ValueError:
            missing.append(text)
            continue
        if not any(address in network for network in networks):
            missing.append(text)
    return missing


def contains(networks: list[Network], addresses: Iterable[str]) -> bool:
    """True when there is at least one address and EVERY one lies in `networks`."""
    addresses = list(addresses)
    return bool(addresses) and not outside(networks, addresses)
