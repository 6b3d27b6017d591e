"""Certificate serial numbers, as people type them.

Accepts spaces, colons, dashes, upper case, a 0x prefix, or a decimal number marked
with a leading "dec:" or given as all digits longer than a hex serial would be. The
integer value is what identifies a serial; leading zeros never matter.
"""

import re

_HEX = re.compile(r"^[0-9a-f]+$")


class InvalidSerial(ValueError):
    pass


def parse(text: str) -> int:
    raw = text.strip().lower()
    if raw.startswith("dec:"):
        digits = raw[4:].strip()
        if not (digits.isascii() and digits.isdigit()):
            raise InvalidSerial(f"{text!r} is not a decimal serial number")
        return int(digits)
    if raw.startswith("0x"):
        raw = raw[2:].strip()
    if raw.startswith("-"):
        # Dashes separate digit groups; a leading one is a minus sign.
        raise InvalidSerial(f"{text!r}: serial numbers are positive")
    cleaned = re.sub(r"[\s:\-]", "", raw)
    if not cleaned or not _HEX.match(cleaned):
        raise InvalidSerial(
            f"{text!r} is not a serial number; type it in hex, e.g. 0100011617904c9e"
        )
    return int(cleaned, 16)


def key(value: int) -> str:
    """The lookup key: lower-case hex of the integer, no leading zeros."""
    return format(value, "x")


def display(value: int, length: int | None = None) -> str:
    """Canonical hex with an even number of digits (or the certificate's own length)."""
    text = format(value, "x")
    width = length or len(text) + len(text) % 2
    return text.zfill(width)


def candidates(text: str) -> list[int]:
    """Every value `text` can mean: its reading by `parse`, and for a plain run of
    decimal digits also its decimal reading (some tools print serials in decimal).
    The caller matches each against known certificates, hex reading first."""
    values = [parse(text)]
    raw = text.strip()
    if raw.isdigit() and int(raw) not in values:
        values.append(int(raw))
    return values
