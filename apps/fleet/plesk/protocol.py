"""Which protocol version to speak: the highest the server lists that we have
packets for, compared as numbers (1.6.10.0 is newer than 1.6.9.1)."""

from apps.ca import errors

# Versions whose packets this client builds; certificate/update needs 1.6.8.0.
KNOWN = ("1.6.7.0", "1.6.8.0", "1.6.9.0", "1.6.9.1")


def as_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.strip().split("."))
    except ValueError:
        return ()


def at_least(version: str, oldest: str) -> bool:
    return as_tuple(version) >= as_tuple(oldest)


def choose_protocol(offered: list[str]) -> str:
    usable = [v for v in offered if v.strip() in KNOWN]
    if not usable:
        newest = max(offered, key=as_tuple, default="none")
        raise errors.CertfleetError(
            errors.PLESK_UNSUPPORTED,
            f"server speaks up to {newest}; Certfleet needs 1.6.7.0 (Plesk 12.5) or "
            "newer",
        )
    return max(usable, key=as_tuple).strip()
