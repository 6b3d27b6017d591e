"""One order at a time per site, however many callers race for it: the database
decides (one_active_order_per_site), the losers hear 7006 (409 over the API) and
hold no voucher use. Retrying a failed order while another runs is refused alike.
"""

import pytest
from django.db import IntegrityError, transaction
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from apps.bulk import services as bulk
from apps.ca import errors as catalogue
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.certificates.services import retry_order
from apps.vouchers.models import VoucherUse
from tests.vouchers.conftest import postgres  # noqa: F401
from tests.vouchers.processes import run_at_once

PARALLEL = 4


def _redeem(token: str, site_id: int, code: str) -> tuple[int, dict]:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    body = {
        "site": site_id,
        "voucher_code": code,
        "contact_email": "owner@example.test",
        "accept_terms": True,
    }
    response = client.post("/api/v1/orders/", body, format="json")
    return response.status_code, response.json()


def test_parallel_redeems_on_one_site_make_one_order(postgres, fleet, personas):  # noqa: F811
    site, voucher = fleet.a.site, fleet.a.voucher
    token, _ = Token.objects.get_or_create(user=personas.customer_a1_user)
    outcomes = run_at_once(_redeem, [(token.key, site.pk, voucher.code)] * PARALLEL)

    answers = [detail for _, _, detail in outcomes]
    won = [body for status, body in answers if status == 201]
    lost = [body for status, body in answers if status != 201]
    assert len(won) == 1, answers
    assert [status for status, _ in answers].count(409) == PARALLEL - 1, answers
    assert {body["code"] for body in lost} == {catalogue.ORDER_IN_PROGRESS}
    active = Order.objects.filter(site=site, state__in=["pending", "running"])
    assert list(active.values_list("pk", flat=True)) == [won[0]["id"]]
    # Only the winner holds a use of the voucher.
    uses = VoucherUse.objects.filter(voucher=voucher, state="reserved")
    assert list(uses.values_list("order", flat=True)) == [won[0]["id"]]
    voucher.refresh_from_db()
    assert voucher.uses_reserved == 1


def test_the_database_refuses_a_second_active_order(fleet):
    Order.objects.create(site=fleet.a.site, voucher=fleet.a.voucher)
    with pytest.raises(IntegrityError), transaction.atomic():
        Order.objects.create(
            site=fleet.a.site, voucher=fleet.a.voucher, state=Order.State.RUNNING
        )
    # Finished orders do not count: a site has many of those.
    Order.objects.create(site=fleet.a.site, state=Order.State.FAILED)


def _failed_in_push(fleet) -> Order:
    return Order.objects.create(
        site=fleet.a.site,
        voucher=fleet.a.voucher,
        push=fleet.push,
        state=Order.State.FAILED,
        step="dns",
        error_code=catalogue.DNS_UNRESOLVED,
    )


def test_retrying_a_failed_order_while_another_runs_is_7006(api, fleet):
    failed = _failed_in_push(fleet)
    running = Order.objects.create(site=fleet.a.site, state=Order.State.RUNNING)

    with pytest.raises(CertfleetError) as caught:
        retry_order(failed)
    assert caught.value.code == catalogue.ORDER_IN_PROGRESS
    assert f"order {running.pk}" in caught.value.detail
    failed.refresh_from_db()
    assert failed.state == Order.State.FAILED
    assert not VoucherUse.objects.filter(order=failed).exists()

    response = api("customer_a1").post(f"/api/v1/orders/{failed.pk}/retry/")
    assert response.status_code == 409
    assert response.json()["code"] == catalogue.ORDER_IN_PROGRESS


def test_a_push_retry_skips_a_site_busy_with_another_order(fleet):
    failed = _failed_in_push(fleet)
    Order.objects.create(site=fleet.a.site, state=Order.State.PENDING)

    assert bulk.retry_failed(fleet.push) == 0
    failed.refresh_from_db()
    assert failed.state == Order.State.FAILED

    Order.objects.filter(site=fleet.a.site, state="pending").update(state="done")
    assert bulk.retry_failed(fleet.push) == 1
    failed.refresh_from_db()
    assert failed.state == Order.State.PENDING
