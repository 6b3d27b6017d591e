"""The rules a voucher sets, checked locally before the CA is asked.

Each check raises CertfleetError with the code the CA itself would answer, so a
failure reads the same whether the portal or the CA found it. The product's own
codes (7001 no uses left, 7002 not yours) cover what only the portal knows.
"""

import datetime as dt
import ipaddress

from django.utils.translation import gettext as _

from apps.accounts import scoping
from apps.accounts.models import Account, User
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import names as domain_names
from apps.vouchers import networks
from apps.vouchers.models import Voucher

Kind = Voucher.Kind

# Certificate lifetimes in days each kind may give. Trial (5-90 days) and super
# (3 months to 3 years) are the CA's; site and monthly are the product's own bounds.
LIFETIMES = {
    Kind.TRIAL: (5, 90),
    Kind.SITE: (30, 1096),
    Kind.SUPER: (90, 1096),
    Kind.MONTHLY: (28, 35),
}
# Kinds whose orders need a contact email at the CA.
EMAIL_REQUIRED = {Kind.TRIAL, Kind.SUPER}
# Platforms a voucher may have for the Plesk fleet this product serves.
FLEET_PLATFORMS = {Voucher.Platform.PLESK, Voucher.Platform.ANY}


def problems(voucher: Voucher) -> list[str]:
    """What is wrong with a voucher's terms (for import and forms); [] when fine."""
    found = []
    low, high = LIFETIMES.get(voucher.kind, (1, 1096))
    if not low <= (voucher.certificate_days or 0) <= high:
        found.append(
            _("A %(kind)s voucher gives certificates of %(low)s to %(high)s days.")
            % {"kind": voucher.kind, "low": low, "high": high}
        )
    if voucher.kind == Kind.SITE and not voucher.bound_name:
        found.append(_("A site voucher needs the name it was bought for."))
    if voucher.kind != Kind.SITE and (voucher.allow_san or voucher.allow_wildcard):
        found.append(_("Only site vouchers may allow extra names or wildcards."))
    if voucher.uses_allowed < 1:
        found.append(_("A voucher needs at least one use."))
    if isinstance(voucher.networks, list):
        try:
            networks.parse(voucher.networks)
        except networks.NetworkError as exc:
            found.append(str(exc))
    else:
        found.append(_("Networks are a list of entries."))
    return found


def check_state(voucher: Voucher, now: dt.datetime) -> None:
    """Cancelled (-9026) or expired (-9011)."""
    if voucher.status == Voucher.Status.CANCELLED or voucher.cancelled_at:
        raise CertfleetError(errors.VOUCHER_CANCELLED, voucher.code)
    if voucher.status == Voucher.Status.EXPIRED or voucher.expires_at <= now:
        raise CertfleetError(
            errors.VOUCHER_EXPIRED, f"expired {voucher.expires_at:%Y-%m-%d %H:%M} UTC"
        )


def check_uses_left(voucher: Voucher) -> None:
    if voucher.uses_left <= 0:
        raise CertfleetError(
            errors.VOUCHER_EXHAUSTED,
            f"{voucher.uses_spent} of {voucher.uses_allowed} used, "
            f"{voucher.uses_reserved} reserved by running orders",
        )


def check_platform(voucher: Voucher) -> None:
    if voucher.platform not in FLEET_PLATFORMS:
        raise CertfleetError(
            errors.WRONG_PLATFORM,
            f"this voucher is for {voucher.get_platform_display()}",
        )


def check_lifetime(voucher: Voucher) -> None:
    low, high = LIFETIMES[voucher.kind]
    if not low <= voucher.certificate_days <= high:
        raise CertfleetError(
            errors.PARAMETER_COMBINATION,
            f"a {voucher.kind} voucher gives {low}-{high} days, "
            f"not {voucher.certificate_days}",
        )


def check_networks(voucher: Voucher, addresses: list[str]) -> None:
    """Every address the site is served on must lie in the voucher's networks."""
    if not voucher.networks:
        return
    try:
        allowed = networks.parse(voucher.networks)
    except networks.NetworkError as exc:
        raise CertfleetError(errors.IP_OUT_OF_RANGE, str(exc)) from exc
    if not addresses:
        raise CertfleetError(errors.IP_OUT_OF_RANGE, "the site has no IP address")
    missing = networks.outside(allowed, addresses)
    if missing:
        ranges = ", ".join(network.text for network in allowed)
        raise CertfleetError(
            errors.IP_OUT_OF_RANGE, f"{', '.join(missing)} not in {ranges}"
        )


def check_contact(voucher: Voucher, email: str) -> None:
    """Trial and super vouchers need a contact email at the CA (-102)."""
    if voucher.kind in EMAIL_REQUIRED and not (email or "").strip():
        raise CertfleetError(
            errors.MISSING_PARAMETER, f"a {voucher.kind} voucher needs a contact email"
        )


def check_owner(
    voucher: Voucher, site_owner: Account, user: User | None = None
) -> None:
    """The user must see the voucher, and the site must lie in the voucher owner's
    subtree: one tenant's voucher never pays for another tenant's site."""
    if user is not None:
        visible = scoping.scope(Voucher.objects.filter(pk=voucher.pk), user)
        if not visible.exists():
            raise CertfleetError(errors.VOUCHER_NOT_YOURS, voucher.code)
    if not site_owner.path.startswith(voucher.owner.path):
        raise CertfleetError(
            errors.VOUCHER_NOT_YOURS,
            f"the site belongs to {site_owner}, outside {voucher.owner}",
        )


def ascii_name(name: str) -> str:
    """A requested name in A-label form; an IP address is -9004."""
    try:
        ipaddress.ip_address(name.strip().strip("[]"))
    except ValueError:
        pass
    else:
        raise CertfleetError(errors.IP_AS_NAME, name)
    try:
        return domain_names.to_ascii(name)
    except domain_names.InvalidName as exc:
        raise CertfleetError(errors.NAME_INVALID, str(exc)) from exc
