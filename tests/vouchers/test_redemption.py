"""Reserve, spend, release: a use is counted once, only when the CA issues."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from apps.audit.models import AuditEvent
from apps.ca import errors
from apps.certificates.models import Order
from apps.core import clock
from apps.vouchers import services
from apps.vouchers.models import Voucher, VoucherUse
from tests.vouchers.helpers import assert_refused

State = VoucherUse.State


def numbers(voucher):
    fresh = services.balance(voucher)
    return fresh.spent, fresh.reserved, fresh.left


def test_reserve_takes_one_use_once_per_order(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=3)
    order = make_order(make_site(), voucher)
    use = services.reserve(voucher, order)
    assert use.state == State.RESERVED and use.kind == VoucherUse.Kind.NEW
    assert services.reserve(voucher, order) == use
    assert numbers(voucher) == (0, 1, 2)


def test_the_last_use_goes_to_one_order_only(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=1)
    first = make_order(make_site(), voucher)
    second = make_order(make_site(), voucher)
    services.reserve(voucher, first)
    with pytest.raises(errors.CertfleetError) as caught:
        services.reserve(voucher, second)
    assert_refused(caught, errors.VOUCHER_EXHAUSTED)
    assert not VoucherUse.objects.filter(order=second).exists()
    assert numbers(voucher) == (0, 1, 0)


def test_spend_counts_once_and_marks_exhausted(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=1)
    order = make_order(make_site(), voucher)
    services.reserve(voucher, order)
    with transaction.atomic():
        assert services.spend(order).state == State.SPENT
    assert services.spend(order).state == State.SPENT  # a retry
    assert numbers(voucher) == (1, 0, 0)
    assert services.balance(voucher).status == Voucher.Status.EXHAUSTED


def test_spend_rolls_back_with_the_certificate(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=2)
    order = make_order(make_site(), voucher)
    services.reserve(voucher, order)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.spend(order)
        raise RuntimeError("recording the certificate failed")
    assert VoucherUse.objects.get(order=order).state == State.RESERVED
    assert numbers(voucher) == (0, 1, 1)


def test_release_gives_the_use_back_once(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=2)
    order = make_order(make_site(), voucher)
    services.reserve(voucher, order)
    assert services.release(order).state == State.RELEASED
    assert services.release(order).state == State.RELEASED
    assert numbers(voucher) == (0, 0, 2)


def test_release_never_touches_a_spent_use(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=2)
    order = make_order(make_site(), voucher)
    services.reserve(voucher, order)
    services.spend(order)
    assert services.release(order).state == State.SPENT
    assert numbers(voucher) == (1, 0, 1)


def test_a_retried_order_reserves_again_and_spends_once(
    make_voucher, make_site, make_order
):
    voucher = make_voucher(uses_allowed=2)
    order = make_order(make_site(), voucher)
    first = services.reserve(voucher, order)
    services.release(order)
    again = services.reserve(voucher, order)
    assert again.pk == first.pk and again.state == State.RESERVED
    services.spend(order)
    services.spend(order)
    assert numbers(voucher) == (1, 0, 1)


def test_issued_certificate_keeps_its_use_through_a_failure(
    make_voucher, make_site, make_order
):
    voucher = make_voucher(uses_allowed=2)
    order = make_order(make_site(), voucher)
    services.reserve(voucher, order)
    order.issued_cert_pem = "-----BEGIN CERTIFICATE-----"
    order.save(update_fields=["issued_cert_pem"])
    # Install failed: the CA counted the use, so it is not given back ...
    assert services.release(order).state == State.RESERVED
    # ... and the retry that installs the certificate spends it, once.
    services.spend(order)
    assert numbers(voucher) == (1, 0, 1)


def test_held_for_review_keeps_the_use_and_blocks_new_orders(
    make_voucher, make_site, make_order
):
    voucher = make_voucher(uses_allowed=5)
    site = make_site("bank-login.example")
    order = make_order(site, voucher)
    services.reserve(voucher, order)
    assert services.hold(order).held_at is not None
    assert services.release(order).state == State.RESERVED
    assert services.held_order(site) == order
    assert services.balance(voucher).held == 1
    Order.objects.filter(pk=order.pk).update(state=Order.State.HELD)  # as the pipeline

    again = make_order(site, voucher)
    with pytest.raises(errors.CertfleetError) as caught:
        services.check_usable(voucher, site, [site.name])
    assert "held for review" in assert_refused(caught, errors.HIGH_RISK_NAME).detail
    with pytest.raises(errors.CertfleetError) as caught:
        services.reserve(voucher, again)
    assert_refused(caught, errors.HIGH_RISK_NAME)
    assert services.reserve(voucher, order).state == State.RESERVED  # same order
    assert numbers(voucher) == (0, 1, 4)


def test_review_ends_by_spending_or_by_release(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=5)
    cleared, refused = make_site(), make_site()
    for site in (cleared, refused):
        order = make_order(site, voucher)
        services.reserve(voucher, order)
        services.hold(order)
    services.spend(cleared.orders.get())
    assert services.release(refused.orders.get(), after_review=True).state == (
        State.RELEASED
    )
    assert services.held_order(cleared) is None
    assert services.held_order(refused) is None
    assert numbers(voucher) == (1, 0, 4)


def test_cancelled_or_expired_voucher_reserves_nothing(
    make_voucher, make_site, make_order
):
    cancelled = make_voucher(status="cancelled", cancelled_at=clock.now())
    expired = make_voucher(expires_at=clock.now() - dt.timedelta(minutes=1))
    for voucher, code in (
        (cancelled, errors.VOUCHER_CANCELLED),
        (expired, errors.VOUCHER_EXPIRED),
    ):
        with pytest.raises(errors.CertfleetError) as caught:
            services.reserve(voucher, make_order(make_site(), voucher))
        assert_refused(caught, code)
        assert numbers(voucher) == (0, 0, 10)


def test_spend_without_reservation_is_an_internal_error(
    make_voucher, make_site, make_order
):
    voucher = make_voucher()
    with pytest.raises(errors.CertfleetError) as caught:
        services.spend(make_order(make_site(), voucher))
    assert_refused(caught, errors.INTERNAL)
    plain = Order.objects.create(site=make_site(), names=["x.example"])
    assert services.spend(plain) is None
    assert services.release(plain) is None


def test_database_refuses_more_uses_than_allowed(make_voucher):
    voucher = make_voucher(uses_allowed=1, uses_spent=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Voucher.objects.filter(pk=voucher.pk).update(uses_reserved=1)


def test_every_step_is_in_the_vouchers_history(make_voucher, make_site, make_order):
    voucher = make_voucher(uses_allowed=3)
    spent, failed = make_order(make_site(), voucher), make_order(make_site(), voucher)
    for order in (spent, failed):
        services.reserve(voucher, order)
    services.spend(spent)
    services.release(failed)
    actions = list(services.history(voucher).values_list("action", "data__order"))
    assert sorted(actions) == sorted(
        [
            ("voucher.reserved", spent.pk),
            ("voucher.reserved", failed.pk),
            ("voucher.spent", spent.pk),
            ("voucher.released", failed.pk),
        ]
    )
    assert AuditEvent.objects.filter(account=voucher.owner).count() == 4
