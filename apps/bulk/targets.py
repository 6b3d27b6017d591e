"""Which sites a push aims at, and what a dry run says about each."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import QuerySet

from apps.accounts import scoping
from apps.accounts.models import Account
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import clock
from apps.fleet import filters as fleet_filters
from apps.fleet.models import Site
from apps.vouchers import networks
from apps.vouchers.models import Voucher

# Aliases ride on their site's certificate; they are not targets of their own.
TARGET_KINDS = [Site.Kind.SUBSCRIPTION, Site.Kind.SITE, Site.Kind.SUBDOMAIN]
# The keys a filter may have; any other (a typo) is refused, never ignored, so a
# misspelled filter cannot widen a push to every site.
FILTER_KEYS = (
    "server",
    "reseller",
    "customer",
    "ip_range",
    "not_secured",
    "expiring_days",
    "names",
)
MAX_EXPIRING_DAYS = 3650
_ACCOUNT_KINDS = {"reseller": Account.Kind.RESELLER, "customer": Account.Kind.CUSTOMER}


def select_sites(user, filters: dict) -> QuerySet[Site]:
    """Active sites the user may see, narrowed by the filter's fields:
    server (id), reseller / customer (account id), ip_range ("127.0.1.0/24" or
    "first-last"), not_secured (bool), expiring_days (int, 0 to 3650); "names"
    is the page's list, narrowed by the caller. Any other key is refused with
    API_INVALID."""
    check_filter(filters)
    sites = scoping.scope(Site.objects.all(), user).filter(
        state=Site.State.ACTIVE, kind__in=TARGET_KINDS
    )
    if filters.get("server"):
        sites = sites.filter(server_id=filters["server"])
    for field_name in ("reseller", "customer"):
        if filters.get(field_name):
            account = _account(user, field_name, filters[field_name])
            sites = sites.filter(owner__path__startswith=account.path)
    if filters.get("not_secured"):
        # Revoked, replaced or expired certificates do not secure a site.
        sites = fleet_filters.unsecured(sites)
    if filters.get("expiring_days") not in (None, ""):
        days = expiring_days(filters["expiring_days"])
        until = clock.now() + timedelta(days=days)
        sites = sites.filter(current_certificate__not_after__lte=until)
    if filters.get("ip_range"):
        sites = _in_range(sites, filters["ip_range"])
    return sites.select_related("server", "owner").order_by("server_id", "name")


def check_filter(filters: dict) -> None:
    """Refuse keys a filter does not have (e.g. "ip-range", "server_id")."""
    unknown = sorted(str(key) for key in filters if key not in FILTER_KEYS)
    if unknown:
        raise CertfleetError(
            errors.API_INVALID,
            f"unknown filter key(s): {', '.join(unknown)}; "
            f"known: {', '.join(FILTER_KEYS[:-1])}",
        )


def expiring_days(value) -> int:
    """A whole number of days, 0 to MAX_EXPIRING_DAYS."""
    try:
        days = int(value)
    except (TypeError, ValueError, OverflowError):
        days = -1
    if not 0 <= days <= MAX_EXPIRING_DAYS:
        raise CertfleetError(
            errors.API_INVALID,
            f"expiring_days {value}: a whole number from 0 to {MAX_EXPIRING_DAYS}",
        )
    return days


def _account(user, field_name: str, value) -> Account:
    """The account a filter names, among those the user may see. An unknown id and
    another tenant's read the same, so nobody learns what exists outside their
    scope."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        pk = None
    # A customer named as reseller (or the reverse) reads like an unknown id.
    kind = _ACCOUNT_KINDS[field_name]
    visible = scoping.scope(Account.objects.filter(kind=kind), user)
    account = visible.filter(pk=pk).first() if pk is not None else None
    if account is None:
        raise CertfleetError(errors.ACCOUNT_UNKNOWN, f"{field_name} {value}")
    return account


def _in_range(sites: QuerySet[Site], text: str) -> QuerySet[Site]:
    """Sites with at least one address inside the range (addresses are JSON, so
    this one is decided in Python)."""
    allowed = networks.parse(text)
    keep = [
        pk
        for pk, addresses in sites.values_list("pk", "ip_addresses")
        if len(networks.outside(allowed, addresses or [])) < len(addresses or [])
    ]
    return sites.filter(pk__in=keep)


@dataclass
class DryRunRow:
    site: Site
    problems: list[CertfleetError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def codes(self) -> list[int]:
        return [p.code for p in self.problems]


def dry_run(*, voucher: Voucher, sites) -> list[DryRunRow]:
    """Per site, whether the local checks pass and why not; orders nothing."""
    from apps.certificates.services import local_checks

    return [DryRunRow(site, local_checks(site, voucher)) for site in sites]
