"""Voucher codes that people can read aloud, type and mistype safely.

Codes we generate use only characters that cannot be taken for one another, are
printed in groups of four, and end with a check character that catches any single
mistyped character and any two characters swapped.

Every code, generated or imported, is stored in its normalized form: upper case,
without spaces or dashes, with look-alike characters folded onto one of them, so
"abco-il" and "ABC0 11" are the same code.
"""

import re
import secrets
import unicodedata

# 23 symbols: a prime count, so the weighted check below catches every single
# substitution and every swap of two characters. Left out because they read or print
# like another: 0 O Q D, 1 I L, B (8), S (5), Z (2), G (6), U V.
ALPHABET = "23456789ACEFHJKMNPRTWXY"
_RANK = {symbol: rank for rank, symbol in enumerate(ALPHABET)}
_BASE = len(ALPHABET)

# Look-alikes people type for one another; both sides of each pair count as one.
# The same pairs as the CA's own matching, so a stored code is one the CA knows.
# (Our codes avoid S, Z and B outright instead of folding them onto 5, 2 and 8.)
_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})
# Spaces and every kind of dash are separators only.
_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015\u2212_]+")

BODY_LENGTH = 15
LENGTH = BODY_LENGTH + 1  # with the check character
GROUP = 4


def normalize(text: str) -> str:
    """The stored form of a typed or imported code."""
    text = unicodedata.normalize("NFKC", text)
    return _SEPARATORS.sub("", text).upper().translate(_FOLD)


def generate() -> str:
    """A new code in stored form; `display()` groups it for printing."""
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return body + _check_symbol(body)


def display(code: str) -> str:
    """Groups of four joined by dashes, as printed on a voucher."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def looks_generated(code: str) -> bool:
    """Whether a stored-form code has the shape of the codes we generate."""
    return len(code) == LENGTH and all(symbol in _RANK for symbol in code)


def check_ok(code: str) -> bool:
    """Whether a generated-shape code passes its check character."""
    return looks_generated(code) and _weighted_sum(code) % _BASE == 0


def _weighted_sum(code: str) -> int:
    # Distinct non-zero weights modulo a prime: a changed character or two
    # swapped characters always change the sum.
    return sum(weight * _RANK[symbol] for weight, symbol in enumerate(code, 1))


def _check_symbol(body: str) -> str:
    # Choose c so that the sum over all LENGTH positions is 0 modulo the base.
    partial = _weighted_sum(body) % _BASE
    inverse = pow(LENGTH, -1, _BASE)
    return ALPHABET[(-partial * inverse) % _BASE]
