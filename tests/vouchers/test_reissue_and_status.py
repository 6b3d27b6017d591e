"""Reissue limits, status upkeep and balance."""

import datetime as dt

import pytest

from apps.ca import errors
from apps.certificates.models import Order
from apps.core import clock
from apps.vouchers import services
from apps.vouchers.models import Voucher, VoucherUse
from tests.vouchers.helpers import assert_refused

REISSUE = Order.Kind.REISSUE


def refused(code, *args, **kwargs):
    with pytest.raises(errors.CertfleetError) as caught:
        services.check_reissue(*args, **kwargs)
    return assert_refused(caught, code)


def test_reissue_until_the_originals_expiry(make_voucher, make_site, make_certificate):
    voucher = make_voucher(uses_allowed=1, uses_spent=1, status="exhausted")
    site = make_site()
    original = make_certificate(site, voucher, days_left=10)
    assert services.check_reissue(voucher, site) == original
    nine_days = clock.now() + dt.timedelta(days=9)
    assert services.check_reissue(voucher, site, now=nine_days) == original
    eleven_days = clock.now() + dt.timedelta(days=11)
    refused(errors.REISSUE_ORIGINAL_EXPIRED, voucher, site, now=eleven_days)


def test_reissue_needs_an_unrevoked_original(make_voucher, make_site, make_certificate):
    voucher = make_voucher()
    site = make_site()
    refused(errors.REISSUE_ORIGINAL_GONE, voucher, site)
    make_certificate(site, voucher, status="revoked")
    refused(errors.REISSUE_ORIGINAL_GONE, voucher, site)


def test_reissues_take_no_use_but_have_a_daily_limit(
    make_voucher, make_site, make_order, make_certificate
):
    voucher = make_voucher(uses_allowed=1, uses_spent=1, reissues_per_day=2)
    site = make_site()
    make_certificate(site, voucher)
    for _ in range(2):  # two earlier reissues today, done
        done = make_order(site, voucher, kind=REISSUE, state="done")
        use = services.reserve(voucher, done)
        assert use.kind == VoucherUse.Kind.REISSUE
    assert services.balance(voucher).left == 0
    with pytest.raises(errors.CertfleetError) as caught:
        services.reserve(voucher, make_order(site, voucher, kind=REISSUE))
    assert (
        "2 reissues in the last 24 hours"
        in assert_refused(caught, errors.REISSUE_DAILY_LIMIT).detail
    )
    refused(errors.REISSUE_DAILY_LIMIT, voucher, site)
    with pytest.raises(errors.CertfleetError) as caught:
        services.check_usable(voucher, site, [site.name])
    assert_refused(caught, errors.REISSUE_DAILY_LIMIT)
    # A day later the limit has room again.
    tomorrow = clock.now() + dt.timedelta(hours=24, minutes=1)
    services.check_reissue(voucher, site, now=tomorrow)


def test_new_order_on_a_site_with_a_live_certificate_is_a_reissue(
    make_voucher, make_site, make_order, make_certificate
):
    # The CA treats it as a reissue, so the portal does not spend a use on it.
    voucher = make_voucher(uses_allowed=1, uses_spent=1, status="exhausted")
    site = make_site()
    make_certificate(site, voucher)
    services.check_usable(voucher, site, [site.name])
    order = make_order(site, voucher)
    assert services.reserve(voucher, order).kind == VoucherUse.Kind.REISSUE
    services.spend(order)
    assert services.balance(voucher).spent == 1


def test_released_reissues_do_not_count_towards_the_limit(
    make_voucher, make_site, make_order, make_certificate
):
    voucher = make_voucher(reissues_per_day=1)
    site = make_site()
    make_certificate(site, voucher)
    failed = make_order(site, voucher, kind=REISSUE)
    services.reserve(voucher, failed)
    services.release(failed)
    services.check_reissue(voucher, site)


def test_statuses_follow_uses_and_dates(make_voucher):
    now = clock.now()
    active = make_voucher(expires_at=now + dt.timedelta(days=1))
    used_up = make_voucher(uses_allowed=2, uses_spent=2)
    past = make_voucher(expires_at=now - dt.timedelta(days=1))
    cancelled = make_voucher(status="cancelled", cancelled_at=now)
    assert services.refresh_statuses() == 2
    statuses = {
        v.pk: v.status
        for v in Voucher.objects.filter(
            pk__in=[active.pk, used_up.pk, past.pk, cancelled.pk]
        )
    }
    assert statuses == {
        active.pk: "active",
        used_up.pk: "exhausted",
        past.pk: "expired",
        cancelled.pk: "cancelled",
    }
    assert services.refresh_statuses() == 0
    for voucher in (active, used_up, past, cancelled):
        voucher.refresh_from_db()
        assert services.derived_status(voucher) == voucher.status
    # Two days on, the active one has expired too.
    later = now + dt.timedelta(days=2)
    assert services.refresh_statuses(later) == 1
    active.refresh_from_db()
    assert active.status == "expired" == services.derived_status(active, later)


def test_more_uses_bring_an_exhausted_voucher_back(make_voucher):
    voucher = make_voucher(uses_allowed=1, uses_spent=1, status="exhausted")
    Voucher.objects.filter(pk=voucher.pk).update(uses_allowed=5)
    services.refresh_statuses()
    assert services.balance(voucher).status == "active"
    assert services.balance(voucher).left == 4


def test_balance_counts_spent_reserved_held_and_left(
    make_voucher, make_site, make_order
):
    voucher = make_voucher(uses_allowed=5)
    orders = [make_order(make_site(), voucher) for _ in range(3)]
    for order in orders:
        services.reserve(voucher, order)
    services.spend(orders[0])
    services.hold(orders[1])
    assert services.balance(voucher) == services.Balance(
        allowed=5, spent=1, reserved=2, held=1, left=2, status="active"
    )
