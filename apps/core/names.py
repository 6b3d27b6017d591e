"""Domain names at the boundary: IDNA 2008 with UTS 46 mapping, once.

The A-label (ASCII) form is stored and used outward (CSR, CA, Plesk, DNS, SNI);
the Unicode form is only for display.
"""

import ipaddress
import re

import idna

_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


class InvalidName(ValueError):
    pass


def to_ascii(name: str) -> str:
    """Normalise a user- or Plesk-supplied name to its lower-case A-label form."""
    raw = name.strip().rstrip(".")
    if not raw:
        raise InvalidName("empty name")
    try:
        ipaddress.ip_address(raw)
    except ValueError:
        pass
    else:
        raise InvalidName(f"{raw} is an IP address, not a domain name")
    wildcard = raw.startswith("*.")
    body = raw[2:] if wildcard else raw
    try:
        ascii_name = idna.encode(body, uts46=True).decode("ascii").lower()
    except idna.IDNAError as exc:
        raise InvalidName(f"{raw} is not a valid domain name: {exc}") from exc
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253:
        raise InvalidName(f"{raw} is not a fully qualified domain name")
    if not all(_LABEL.match(label) for label in labels):
        raise InvalidName(f"{raw} is not a valid domain name")
    return ("*." if wildcard else "") + ascii_name


def to_unicode(ascii_name: str) -> str:
    """The form people read; falls back to the A-label if it cannot be decoded."""
    try:
        return idna.decode(ascii_name)
    except idna.IDNAError:
        return ascii_name
