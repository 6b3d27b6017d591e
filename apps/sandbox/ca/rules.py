"""What the sandbox CA refuses, and the words it refuses with.

Each refusal becomes an Error{ErrorCode, ErrorField, ErrorMessage} in the answer's
OrderResponseHeader. The wording is the sandbox's own.
"""

import ipaddress
import re

LANGUAGES = {"en", "nl", "de", "ja", "zh", "ko", "fr", "es"}
KEY_ALGORITHMS = {"RSA": 2048, "ECC": 256}
# Platforms that install only RSA keys.
RSA_ONLY = {"cpanel", "iis"}
HIGH_RISK_WORDS = (
    "bank",
    "paypal",
    "microsoft",
    "apple",
    "google",
    "amazon",
    "login",
    "verify",
    "secure-update",
    "wallet",
)
# Countries this CA does not issue for (the sandbox's own list).
UNSUPPORTED_COUNTRIES = {"KP", "IR", "SY", "CU"}

MESSAGES = {
    -101: "Invalid parameter value.",
    -102: "Mandatory parameter missing; super and trial vouchers need an email.",
    -103: "Parameter length check failed.",
    -104: "Parameter format check failed.",
    -105: "Invalid parameter combination.",
    -3008: "Could not connect to the web server to see the temporary certificate.",
    -3012: "The domain could not be found in DNS.",
    -3013: "No IP address for the domain could be obtained from DNS.",
    -3019: "The domain could not be resolved through DNS; try again later.",
    -4005: "The voucher has no uses left.",
    -5001: "The name matches the high-risk word list; the order waits for manual "
    "review.",
    -6001: "The certificate signing request could not be parsed.",
    -6007: "This public key has been used before; duplicates are not allowed.",
    -6019: "The distinguished name exceeds 1024 bytes.",
    -6029: "The certificate has already been revoked.",
    -9001: "The voucher does not exist.",
    -9002: "The temporary certificate was not seen on the domain in time.",
    -9003: "The domain does not match the name the voucher was issued for.",
    -9004: "An IP address cannot be used as the domain name.",
    -9005: "Reissue is not possible: the original certificate has expired.",
    -9007: "No certificate with this serial number exists.",
    -9008: "The certificate cannot be revoked: it has expired or was revoked.",
    -9011: "The voucher has expired.",
    -9012: "The daily limit of reissues for this voucher has been reached.",
    -9016: "A name in the CSR differs from the voucher's name.",
    -9018: "The voucher is for another platform.",
    -9019: "The domain's IP address is outside the voucher's allowed ranges.",
    -9026: "The voucher has been cancelled.",
    -9028: "Renewal voucher: the original certificate is cancelled, revoked, "
    "reissued or expired.",
    -9029: "Reissue voucher: the original certificate is cancelled, revoked, "
    "reissued or expired.",
    -9910: "The credit card of the account is invalid.",
    -9911: "Insufficient credit in the account.",
    -9912: "Insufficient deposit balance in the account.",
    -9935: "The country code in the certificate request is not supported.",
}

_NAME = re.compile(r"^(\*\.)?([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Refusal(Exception):
    def __init__(self, code: int, field: str = "", detail: str = ""):
        self.code = code
        self.field = field
        self.message = MESSAGES.get(code, "Request refused.")
        if detail:
            self.message += f" ({detail})"
        super().__init__(f"{code}: {self.message}")


def is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name.strip("[]"))
    except ValueError:
        return False
    return True


def check_request(req: dict) -> None:
    """The parameter checks of GSDomainVoucherCheckOC, before any voucher rule."""
    for field in ("Voucher", "DomainName", "PlatformID"):
        if not (req.get(field) or "").strip():
            raise Refusal(-102, field)
    name = req["DomainName"].strip()
    if len(name) > 253 or any(len(p) > 63 for p in name.split(".")):
        raise Refusal(-103, "DomainName")
    if len(req["Voucher"]) > 64:
        raise Refusal(-103, "Voucher")
    if len(req.get("VoucherOption") or "") > 254:
        raise Refusal(-103, "VoucherOption")
    if is_ip(name):
        raise Refusal(-9004, "DomainName")
    if not _NAME.match(name.lower()):
        raise Refusal(-104, "DomainName")
    email = req.get("VoucherOption") or ""
    if email and not _EMAIL.match(email):
        raise Refusal(-104, "VoucherOption")
    if req.get("Language", "en") not in LANGUAGES:
        raise Refusal(-101, "Language")
    if req.get("KeyAlgorithm", "RSA") not in KEY_ALGORITHMS:
        raise Refusal(-101, "KeyAlgorithm")
    if req.get("Revoke", 0) not in (0, 1):
        raise Refusal(-101, "Revoke")
    if not 1 <= req.get("PortNumber", 443) <= 65535:
        raise Refusal(-101, "PortNumber")


def high_risk(name: str) -> str:
    """The first high-risk word in `name`, or ''."""
    lowered = name.lower()
    return next((word for word in HIGH_RISK_WORDS if word in lowered), "")
