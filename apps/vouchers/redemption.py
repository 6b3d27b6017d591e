"""Reserving, spending and releasing voucher uses: exact under concurrency.

A use is taken with one conditional UPDATE (`uses_spent + uses_reserved <
uses_allowed`) that must change exactly one row; the database serialises
concurrent UPDATEs of that row and re-checks the condition for each, so of many
redemptions racing for the last use exactly one wins. Each order holds at most one
VoucherUse (one-to-one), which makes every step idempotent per order.

A reissue (a live certificate of this voucher is already on the site; the CA treats
such an order as a reissue too) takes no use, but counts against the voucher's daily
reissue limit, checked with the voucher row locked.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import F

from apps.audit.services import record
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Certificate, Order
from apps.core import clock
from apps.fleet.models import Site
from apps.vouchers import rules
from apps.vouchers.models import Voucher, VoucherUse

logger = logging.getLogger(__name__)

State = VoucherUse.State
Kind = VoucherUse.Kind
DAY = dt.timedelta(days=1)


def live_original(voucher: Voucher, site: Site, now: dt.datetime) -> Certificate | None:
    """The newest unexpired, unrevoked certificate this voucher gave the site."""
    return (
        Certificate.objects.filter(voucher=voucher, site=site, not_after__gt=now)
        .exclude(status=Certificate.Status.REVOKED)
        .order_by("-not_after")
        .first()
    )


def check_uses(voucher: Voucher, site: Site, now: dt.datetime) -> None:
    """A use left (7001), or for a reissue the reissue limits."""
    if live_original(voucher, site, now):
        _check_reissue_limit(voucher, now)
    else:
        rules.check_uses_left(voucher)


def check_reissue(
    voucher: Voucher, site: Site, now: dt.datetime | None = None
) -> Certificate:
    """Raise unless the voucher may reissue the site's certificate now; returns the
    original certificate. Allowed until the original's expiry (-9005), while it is
    not revoked (-9029), up to the voucher's daily limit (-9012)."""
    now = now or clock.now()
    rules.check_state(voucher, now)
    originals = Certificate.objects.filter(voucher=voucher, site=site)
    newest = originals.exclude(status=Certificate.Status.REVOKED).order_by("-not_after")
    original = newest.first()
    if original is None:
        raise CertfleetError(
            errors.REISSUE_ORIGINAL_GONE,
            f"no unrevoked certificate of this voucher on {site}",
        )
    if original.not_after <= now:
        raise CertfleetError(
            errors.REISSUE_ORIGINAL_EXPIRED,
            f"{original.serial_hex} expired {original.not_after:%Y-%m-%d}",
        )
    _check_reissue_limit(voucher, now)
    return original


def _check_reissue_limit(voucher: Voucher, now: dt.datetime) -> None:
    today = (
        VoucherUse.objects.filter(
            voucher=voucher, kind=Kind.REISSUE, reserved_at__gt=now - DAY
        )
        .exclude(state=State.RELEASED)
        .count()
    )
    if today >= voucher.reissues_per_day:
        raise CertfleetError(
            errors.REISSUE_DAILY_LIMIT,
            f"{today} reissues in the last 24 hours, {voucher.reissues_per_day} "
            f"allowed",
        )


def held_order(site: Site) -> Order | None:
    """The order for `site` the CA holds for review, if any."""
    return Order.objects.filter(
        site=site,
        voucher_use__state=State.RESERVED,
        voucher_use__held_at__isnull=False,
    ).first()


def refuse_if_held(site: Site, order: Order | None = None) -> None:
    """An order held for review (-5001) is not ordered again meanwhile."""
    held = held_order(site)
    if held is not None and held != order:
        raise CertfleetError(
            errors.HIGH_RISK_NAME,
            f"order {held.pk} for {site} is held for review at the CA",
        )


def reserve(
    voucher: Voucher, order: Order, *, now: dt.datetime | None = None
) -> VoucherUse:
    """Reserve one use of `voucher` for `order`; idempotent per order.

    Raises 7001 when no use is left (the loser of a race for the last use), or
    the code of whatever else stops the voucher (-9026, -9011, -9012, -5001).
    """
    now = now or clock.now()
    existing = VoucherUse.objects.filter(order=order).first()
    if existing is not None and existing.state != State.RELEASED:
        return existing
    refuse_if_held(order.site, order)
    reissue = order.kind == Order.Kind.REISSUE or live_original(
        voucher, order.site, now
    )
    kind = Kind.REISSUE if reissue else Kind.NEW
    try:
        with transaction.atomic():
            if kind == Kind.NEW:
                _take_use(voucher, now)
            else:
                _take_reissue(voucher, now)
            use = _record_use(existing, voucher, order, kind, now)
    except IntegrityError:
        # The same order reserved in another process at this moment: that
        # reservation stands, ours (counter included) was rolled back.
        return VoucherUse.objects.get(order=order)
    voucher.refresh_from_db(fields=["uses_reserved", "uses_spent", "status"])
    record("voucher.reserved", voucher, order=order.pk, site=order.site_id, kind=kind)
    logger.info(
        "order %s: reserved a %s use of voucher %s for site %s (%s left)",
        order.pk,
        kind,
        voucher.pk,
        order.site_id,
        voucher.uses_left,
    )
    return use


def _take_use(voucher: Voucher, now: dt.datetime) -> None:
    taken = Voucher.objects.filter(
        pk=voucher.pk,
        status=Voucher.Status.ACTIVE,
        expires_at__gt=now,
        uses_allowed__gt=F("uses_spent") + F("uses_reserved"),
    ).update(uses_reserved=F("uses_reserved") + 1)
    if taken == 1:
        return
    voucher.refresh_from_db()
    rules.check_state(voucher, now)
    rules.check_uses_left(voucher)
    raise CertfleetError(errors.VOUCHER_EXHAUSTED, f"voucher {voucher.pk}")


def _take_reissue(voucher: Voucher, now: dt.datetime) -> None:
    # Lock the voucher row so two reissues cannot both pass the daily count.
    locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
    rules.check_state(locked, now)
    _check_reissue_limit(locked, now)


def _record_use(
    existing: VoucherUse | None,
    voucher: Voucher,
    order: Order,
    kind: str,
    now: dt.datetime,
) -> VoucherUse:
    if existing is None:
        return VoucherUse.objects.create(
            voucher=voucher, order=order, kind=kind, reserved_at=now
        )
    # A retried order whose earlier attempt released its use: take it up again.
    retaken = VoucherUse.objects.filter(pk=existing.pk, state=State.RELEASED).update(
        voucher=voucher,
        kind=kind,
        state=State.RESERVED,
        reserved_at=now,
        settled_at=None,
        held_at=None,
    )
    if retaken != 1:
        raise IntegrityError(f"use of order {order.pk} changed meanwhile")
    existing.refresh_from_db()
    return existing


def hold(order: Order, *, now: dt.datetime | None = None) -> VoucherUse | None:
    """The CA holds the order for review (-5001): keep its use reserved."""
    now = now or clock.now()
    changed = VoucherUse.objects.filter(
        order=order, state=State.RESERVED, held_at__isnull=True
    ).update(held_at=now)
    use = VoucherUse.objects.filter(order=order).select_related("voucher").first()
    if changed:
        record("voucher.held", use.voucher, order=order.pk, site=order.site_id)
        logger.info("order %s: held for review at the CA, use kept", order.pk)
    return use


def spend(order: Order, *, now: dt.datetime | None = None) -> VoucherUse | None:
    """Reserved -> spent; call inside the transaction that records the issued
    certificate. A retry finds the use spent and spends nothing again."""
    now = now or clock.now()
    use = VoucherUse.objects.filter(order=order).first()
    if use is None:
        if order.voucher_id is None:
            return None
        raise CertfleetError(
            errors.INTERNAL, f"order {order.pk} has no reserved use of its voucher"
        )
    if use.state == State.SPENT:
        return use
    if use.state == State.RELEASED:
        use = reserve(use.voucher, order, now=now)
    with transaction.atomic():
        changed = VoucherUse.objects.filter(pk=use.pk, state=State.RESERVED).update(
            state=State.SPENT, settled_at=now, held_at=None
        )
        if changed and use.kind == Kind.NEW:
            _move_reserved_to_spent(use.voucher_id)
    use.refresh_from_db()
    if changed:
        record("voucher.spent", use.voucher, order=order.pk, site=order.site_id)
        logger.info("order %s: spent its use of voucher %s", order.pk, use.voucher_id)
    return use


def _move_reserved_to_spent(voucher_id: int) -> None:
    Voucher.objects.filter(pk=voucher_id).update(
        uses_reserved=F("uses_reserved") - 1, uses_spent=F("uses_spent") + 1
    )
    Voucher.objects.filter(
        pk=voucher_id,
        status=Voucher.Status.ACTIVE,
        uses_spent__gte=F("uses_allowed"),
    ).update(status=Voucher.Status.EXHAUSTED)


def release(
    order: Order, *, after_review: bool = False, now: dt.datetime | None = None
) -> VoucherUse | None:
    """Reserved -> released when the order fails; never touches a spent use.

    Kept reserved instead: a use held for review (unless `after_review`), and one
    whose certificate the CA already issued (the CA counted it; the retry that
    installs the certificate spends it).
    """
    now = now or clock.now()
    use = VoucherUse.objects.filter(order=order).first()
    if use is None or use.state != State.RESERVED:
        return use
    if use.held_at and not after_review:
        logger.info("order %s: use kept reserved while held for review", order.pk)
        return use
    if order.issued_cert_pem:
        logger.info("order %s: the CA issued, use kept for the retry", order.pk)
        return use
    with transaction.atomic():
        changed = VoucherUse.objects.filter(pk=use.pk, state=State.RESERVED).update(
            state=State.RELEASED, settled_at=now, held_at=None
        )
        if changed and use.kind == Kind.NEW:
            Voucher.objects.filter(pk=use.voucher_id).update(
                uses_reserved=F("uses_reserved") - 1
            )
    use.refresh_from_db()
    if changed:
        record("voucher.released", use.voucher, order=order.pk, site=order.site_id)
        logger.info("order %s: released its use of voucher %s", order.pk, use.pk)
    return use
