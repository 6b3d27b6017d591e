"""A panel's address and TLS identity as people type them, checked before anything
connects: a malformed value is the person's to correct (7112), not a network
failure to retry."""

import ipaddress
import re

from cryptography import x509

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import names

_SEPARATORS = re.compile(r"[\s:]")
_FINGERPRINT = re.compile(r"[0-9A-F]{64}")


def panel_host(text: str) -> str:
    """An IP address (without an IPv6 zone) or a domain name in A-label form."""
    text = text.strip()
    try:
        address = ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        pass
    else:
        if getattr(address, "scope_id", None):
            raise _invalid("host", f"{text}: a panel address has no IPv6 zone")
        return str(address)
    try:
        return names.to_ascii(text)
    except names.InvalidName as exc:
        raise _invalid("host", str(exc)) from exc


def fingerprint(text: str) -> str:
    """A SHA-256 fingerprint as colon hex (colons and spaces allowed on input);
    empty for none."""
    digits = _SEPARATORS.sub("", text).upper()
    if not digits:
        return ""
    if not _FINGERPRINT.fullmatch(digits):
        raise _invalid("fingerprint", "a SHA-256 fingerprint is 64 hex digits")
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def ca_bundle(text: str) -> str:
    """One or more PEM certificates; empty for none."""
    if not text.strip():
        return ""
    try:
        x509.load_pem_x509_certificates(text.encode())
    except ValueError as exc:
        raise _invalid("CA bundle", "not PEM certificates") from exc
    return text


def _invalid(field: str, detail: str) -> CertfleetError:
    return CertfleetError(errors.PLESK_SETTINGS_INVALID, f"{field}: {detail}")
