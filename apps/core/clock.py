"""The one clock of the product.

Code asks `clock.now()` instead of `timezone.now()`, so tests (and a worker in another
process, through CERTFLEET_CLOCK_OFFSET_FILE) can move time forward.
"""

import datetime as dt
import os

from django.utils import timezone

_offset = dt.timedelta(0)


def now() -> dt.datetime:
    return timezone.now() + _offset + _file_offset()


def _file_offset() -> dt.timedelta:
    path = os.environ.get("CERTFLEET_CLOCK_OFFSET_FILE")
    if not path or not os.path.exists(path):
        return dt.timedelta(0)
    with open(path) as fh:
        text = fh.read().strip()
    return dt.timedelta(seconds=float(text or 0))


def advance(delta: dt.timedelta) -> None:
    """Move this process's clock forward (tests only)."""
    global _offset
    _offset += delta


def reset() -> None:
    global _offset
    _offset = dt.timedelta(0)
