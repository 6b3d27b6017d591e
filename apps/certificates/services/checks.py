"""Step 1, local checks: everything that can be refused without the network."""

import logging

from cryptography import x509
from cryptography.x509.oid import NameOID

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import names
from apps.fleet.models import Site
from apps.vouchers.models import Voucher

logger = logging.getLogger(__name__)

# Words the CA holds for manual review (-5001); caught here before anything is
# ordered or reserved. The CA keeps its own list and answers -5001 for more.
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
DN_LIMIT = 1024
NO_HOSTING = {"", "none"}


def site_name(site: Site) -> str:
    """The site's A-label, or the catalogue's reason why it cannot be one."""
    try:
        return names.to_ascii(site.name)
    except names.InvalidName as exc:
        code = errors.IP_AS_NAME if "IP address" in str(exc) else errors.NAME_INVALID
        raise CertfleetError(code, str(exc)) from exc


def high_risk_word(name: str) -> str:
    """The first high-risk word in the name (in A-label or Unicode form), or ''."""
    forms = {name.lower(), names.to_unicode(name).lower()}
    for word in HIGH_RISK_WORDS:
        if any(word in form for form in forms):
            return word
    return ""


def dn_length(name: str) -> int:
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    return len(subject.public_bytes())


def site_checks(site: Site) -> str:
    """Checks on the site alone; returns its A-label."""
    if site.state != Site.State.ACTIVE:
        raise CertfleetError(errors.SITE_ORPHANED, site.name)
    if (site.hosting_type or "").lower() in NO_HOSTING:
        raise CertfleetError(errors.SITE_NO_HOSTING, site.name)
    name = site_name(site)
    if dn_length(name) > DN_LIMIT:
        raise CertfleetError(errors.DN_TOO_LONG, name)
    word = high_risk_word(name)
    if word:
        raise CertfleetError(errors.HIGH_RISK_NAME, f"{name} contains {word!r}")
    return name


def voucher_checks(
    voucher: Voucher, site: Site, names: list[str], *, user=None, holding=False
):
    """The voucher's rules (status, expiry, platform, networks, the names: the main
    name first, then further names, which need a voucher allowing them).

    `holding`: the order already holds one of the voucher's uses, so a voucher with
    no use left beyond it is still fine for this order.
    """
    from apps.vouchers import services as vouchers

    try:
        vouchers.check_usable(voucher, site, names, user=user)
    except CertfleetError as exc:
        if not (holding and exc.code == errors.VOUCHER_EXHAUSTED):
            raise


def local_checks(site: Site, voucher: Voucher, *, user=None) -> list[CertfleetError]:
    """Every reason, found without the network, why this voucher cannot secure this
    site (empty when it can). For dry runs; the pipeline stops at the first."""
    found: list[CertfleetError] = []
    try:
        name = site_checks(site)
    except CertfleetError as exc:
        found.append(exc)
        name = site.name
    try:
        voucher_checks(voucher, site, [name], user=user)
    except CertfleetError as exc:
        found.append(exc)
    return found
