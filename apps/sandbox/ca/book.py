"""The sandbox CA's voucher book and the certificates it has issued."""

import datetime as dt
import ipaddress
import re
from dataclasses import dataclass, field

KINDS = ("trial", "site", "super", "monthly")
PURPOSES = ("new", "renewal", "reissue")
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1"})

Network = tuple[ipaddress.IPv4Address | ipaddress.IPv6Address, ...]


def voucher_key(code: str) -> str:
    """How the CA files a code: upper case, no spaces or dashes, O=0 and I=l=1."""
    return re.sub(r"[\s\-]", "", code).upper().translate(_LOOKALIKES)


def parse_network(text: str) -> tuple[int, int, int]:
    """(version, first, last) as integers, from a CIDR or a `first-last` range."""
    text = text.strip()
    if "-" in text:
        first_text, last_text = (part.strip() for part in text.split("-", 1))
        first = ipaddress.ip_address(first_text)
        last = ipaddress.ip_address(last_text)
        if first.version != last.version or int(first) > int(last):
            raise ValueError(f"{text!r} is not a valid first-last range")
        return first.version, int(first), int(last)
    network = ipaddress.ip_network(text, strict=False)
    return (
        network.version,
        int(network.network_address),
        int(network.broadcast_address),
    )


def in_networks(address: str, networks: list[tuple[int, int, int]]) -> bool:
    ip = ipaddress.ip_address(address)
    return any(
        version == ip.version and first <= int(ip) <= last
        for version, first, last in networks
    )


def covered_names(name: str) -> set[str]:
    """The www rule: www.name covers www.name and name; name covers only name."""
    name = name.lower().rstrip(".")
    if name.startswith("www."):
        return {name, name[4:]}
    return {name}


@dataclass
class Voucher:
    code: str
    kind: str
    networks: list[tuple[int, int, int]]
    uses: int
    platform: str
    certificate_days: int
    expires_at: dt.datetime | None
    bound_name: str
    email_required: bool
    purpose: str = "new"
    original_serial: int | None = None
    # Further names (SANs) beyond the name and its www form, as a site voucher
    # bought with them allows.
    allow_san: bool = False
    used: int = 0
    cancelled: bool = False

    @property
    def uses_left(self) -> int:
        return self.uses - self.used


@dataclass
class Issued:
    """A real certificate the CA issued, kept for reissue, renewal and revocation."""

    serial: int
    names: list[str]
    voucher_key: str
    not_after: dt.datetime
    issued_at: dt.datetime
    cert_pem: str
    revoked: bool = False
    superseded: bool = False
    reissue: bool = False

    def live(self, now: dt.datetime) -> bool:
        return not self.revoked and not self.superseded and self.not_after > now


@dataclass
class Book:
    vouchers: dict[str, Voucher] = field(default_factory=dict)
    issued: dict[int, Issued] = field(default_factory=dict)
    public_keys: dict[bytes, str] = field(default_factory=dict)  # key -> order id

    def add(self, voucher: Voucher) -> None:
        self.vouchers[voucher_key(voucher.code)] = voucher

    def find(self, code: str) -> Voucher | None:
        return self.vouchers.get(voucher_key(code))

    def previous_for(self, voucher: Voucher, name: str) -> Issued | None:
        """The newest certificate this voucher issued for `name`, if any."""
        key = voucher_key(voucher.code)
        mine = [
            cert
            for cert in self.issued.values()
            if cert.voucher_key == key and name in cert.names and not cert.superseded
        ]
        return max(mine, key=lambda c: c.issued_at, default=None)

    def reissues_since(self, voucher: Voucher, since: dt.datetime) -> int:
        key = voucher_key(voucher.code)
        return sum(
            1
            for cert in self.issued.values()
            if cert.voucher_key == key and cert.reissue and cert.issued_at >= since
        )
