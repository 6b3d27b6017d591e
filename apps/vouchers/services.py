"""Voucher rules the rest of the product calls: find, check, reserve, spend, release.

The pipeline's order of calls for one certificate:

    voucher = find_voucher(code, user=user)
    check_usable(voucher, site, names, user=user)    # local checks, no network
    reserve(voucher, order)                          # when the order starts
    ...                                              # CA, install, verify
    with transaction.atomic():                       # records the certificate
        ...; spend(order)
    release(order)                                   # on failure instead

A -5001 warning from the CA (held for review): `hold(order)` keeps the use reserved;
`release()` then leaves it alone until `release(order, after_review=True)`, and no
new order for the site gets past `check_usable()` or `reserve()` meanwhile.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, F, QuerySet, Value, When

from apps.accounts import scoping
from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import clock
from apps.fleet.models import Site
from apps.vouchers import codes, coverage, rules
from apps.vouchers.inventory import ImportReport, assign, cancel, import_csv
from apps.vouchers.models import Voucher, VoucherUse
from apps.vouchers.redemption import (
    check_reissue,
    check_uses,
    held_order,
    hold,
    live_original,
    refuse_if_held,
    release,
    reserve,
    spend,
)

__all__ = [
    "Balance",
    "ImportReport",
    "allowed_names",
    "assign",
    "balance",
    "cancel",
    "check_contact",
    "check_reissue",
    "check_usable",
    "derived_status",
    "find_voucher",
    "held_order",
    "history",
    "hold",
    "import_csv",
    "live_original",
    "refresh_statuses",
    "release",
    "reserve",
    "spend",
]

check_contact = rules.check_contact
allowed_names = coverage.allowed_names


def find_voucher(code_text: str, *, user: User | None = None) -> Voucher:
    """The voucher a person typed; -9001 with a hint when there is none.

    With `user`, only vouchers the user may see are found: another tenant's code
    reads as unknown, never as someone else's.
    """
    code = codes.normalize(code_text)
    vouchers = Voucher.objects.select_related("owner")
    if user is not None:
        vouchers = scoping.scope(vouchers, user)
    voucher = vouchers.filter(code=code).first() if code else None
    if voucher is None:
        raise CertfleetError(errors.VOUCHER_UNKNOWN, _unknown_hint(code))
    return voucher


def _unknown_hint(code: str) -> str:
    if codes.looks_generated(code) and not codes.check_ok(code):
        return (
            f"{codes.display(code)}: a character is mistyped (the last one is a "
            f"check); O and 0, I, L and 1 count as the same"
        )
    return f"{code or 'empty code'}: O and 0, I, L and 1 count as the same"


def check_usable(
    voucher: Voucher,
    site: Site,
    names: list[str],
    *,
    user: User | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Raise the CA's own code for anything the portal can know before asking it.

    `names`: the certificate's main name first, then the further names. Checks, in
    order: who may use it (7002), cancelled (-9026), expired (-9011), platform
    (-9018), lifetime of its kind (-105), names (-9004, -9003, -9016, -105), the
    site's addresses (-9019), an order held for review (-5001), and uses left
    (7001) or, for a reissue, the reissue limits (-9012).
    """
    now = now or clock.now()
    rules.check_owner(voucher, site.owner, user)
    rules.check_state(voucher, now)
    rules.check_platform(voucher)
    rules.check_lifetime(voucher)
    coverage.check_names(voucher, names)
    rules.check_networks(voucher, list(site.ip_addresses or []))
    refuse_if_held(site)
    check_uses(voucher, site, now)


def derived_status(voucher: Voucher, now: dt.datetime | None = None) -> str:
    """The status a voucher's numbers and dates give: cancelled stays cancelled;
    all uses spent is exhausted; past its expiry is expired; else active."""
    now = now or clock.now()
    if voucher.cancelled_at or voucher.status == Voucher.Status.CANCELLED:
        return Voucher.Status.CANCELLED
    if voucher.uses_spent >= voucher.uses_allowed:
        return Voucher.Status.EXHAUSTED
    if voucher.expires_at <= now:
        return Voucher.Status.EXPIRED
    return Voucher.Status.ACTIVE


def refresh_statuses(now: dt.datetime | None = None) -> int:
    """Bring every stored status in line with derived_status(); the count changed."""
    now = now or clock.now()
    derived = Case(
        When(uses_spent__gte=F("uses_allowed"), then=Value(Voucher.Status.EXHAUSTED)),
        When(expires_at__lte=now, then=Value(Voucher.Status.EXPIRED)),
        default=Value(Voucher.Status.ACTIVE),
    )
    stale = (
        Voucher.objects.exclude(status=Voucher.Status.CANCELLED)
        .filter(cancelled_at__isnull=True)
        .alias(derived=derived)
        .exclude(status=F("derived"))
    )
    return stale.update(status=derived)


@dataclass(frozen=True)
class Balance:
    allowed: int
    spent: int
    reserved: int
    held: int
    left: int
    status: str


def balance(voucher: Voucher) -> Balance:
    """Uses of a voucher as stored now (reloaded, not the caller's copy)."""
    fresh = Voucher.objects.get(pk=voucher.pk)
    held = fresh.uses.filter(
        state=VoucherUse.State.RESERVED, held_at__isnull=False
    ).count()
    return Balance(
        allowed=fresh.uses_allowed,
        spent=fresh.uses_spent,
        reserved=fresh.uses_reserved,
        held=held,
        left=fresh.uses_left,
        status=fresh.status,
    )


def history(voucher: Voucher) -> QuerySet[AuditEvent]:
    """The voucher's audit events, newest first: imported, assigned, reserved..."""
    return AuditEvent.objects.filter(
        object_type=Voucher._meta.label_lower, object_id=str(voucher.pk)
    )
