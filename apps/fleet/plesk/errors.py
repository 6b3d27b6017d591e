"""Plesk error codes and transport failures, mapped to the catalogue's own codes."""

import re

from apps.ca import errors

# Grouping from the protocol reference (§4.2); anything else is a generic failure.
_GROUPS = {
    errors.PLESK_AUTH: {1001, 1006, 1010, 1011, 1012, 1029, 11003},
    errors.PLESK_NOT_FOUND: {1013, 1015, 1018},
    errors.PLESK_UNSUPPORTED: {1005, 1017, 1026, 1031, 1050},
    errors.PLESK_REJECTED: {1014, 1019, 1025, 8002},
    errors.PLESK_CONFLICT: {1002, 1007, 8006},
    errors.PLESK_LIMIT: {1024, 1030},
}
CODE_FOR = {plesk: ours for ours, group in _GROUPS.items() for plesk in group}

_SECRET_ELEMENTS = re.compile(
    r"<(pvt|password|passwd|key|secret_key)>(.*?)</\1>", re.DOTALL | re.IGNORECASE
)
_SECRET_PROPERTIES = re.compile(
    r"(<name>(?:ftp_password|password)</name>\s*<value>)(.*?)(</value>)", re.DOTALL
)


def mask(text: str) -> str:
    """The packet with private keys, passwords and secret keys blanked out."""
    text = _SECRET_ELEMENTS.sub(lambda m: f"<{m[1]}>***</{m[1]}>", text)
    return _SECRET_PROPERTIES.sub(lambda m: f"{m[1]}***{m[3]}", text)


def plesk_error(plesk_code: int, text: str, raw: str = "") -> errors.CertfleetError:
    code = CODE_FOR.get(plesk_code, errors.PLESK_FAILED)
    return errors.CertfleetError(code, f"Plesk error {plesk_code}: {text}", raw=raw)
