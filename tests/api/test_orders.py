"""Redeeming a voucher on a site through the API, and retrying a failed order."""

from apps.ca import errors as catalogue
from apps.certificates.models import Order, OrderStep
from apps.core import clock
from apps.vouchers.models import VoucherUse
from tests.api.fixtures import make_voucher


def redeem(client, site, code: str, **extra):
    body = {
        "site": site.pk,
        "voucher_code": code,
        "contact_email": "owner@example.test",
        "accept_terms": True,
        **extra,
    }
    return client.post("/api/v1/orders/", body, format="json")


def test_a_customer_redeems_on_their_own_site(api, fleet):
    response = redeem(api("customer_a1"), fleet.a.site, fleet.a.voucher.code.lower())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "pending"
    assert body["site"] == fleet.a.site.pk
    assert body["names"] == [fleet.a.site.name]
    order = Order.objects.get(pk=body["id"])
    assert VoucherUse.objects.get(order=order).state == "reserved"
    # The customer follows it at its address.
    detail = api("customer_a1").get(f"/api/v1/orders/{order.pk}/")
    assert detail.status_code == 200
    assert "steps" in detail.json()


def test_a_reseller_redeems_on_a_customers_site(api, fleet):
    response = redeem(api("reseller_a"), fleet.a.site, fleet.a.voucher.code)
    assert response.status_code == 201, response.content


def test_another_tenants_site_is_refused_like_a_missing_one(api, fleet):
    response = redeem(api("customer_a1"), fleet.b.site, fleet.a.voucher.code)
    assert response.status_code == 400
    assert "site" in response.json()["fields"]
    assert not Order.objects.filter(site=fleet.b.site, state="pending").exists()


def test_another_tenants_voucher_reads_as_unknown(api, fleet):
    response = redeem(api("customer_a1"), fleet.a.site, fleet.b.voucher.code)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == catalogue.VOUCHER_UNKNOWN
    assert body["advice"]


def test_terms_must_be_accepted(api, fleet):
    response = redeem(
        api("customer_a1"), fleet.a.site, fleet.a.voucher.code, accept_terms=False
    )
    assert response.status_code == 400
    assert "accept_terms" in response.json()["fields"]


def test_a_site_outside_the_vouchers_range_fails_with_its_code(api, fleet):
    narrow = make_voucher(fleet.a.customer, "NARROWRANGE00001", networks=["10.0.0.0/8"])
    response = redeem(api("customer_a1"), fleet.a.site, narrow.code)
    assert response.status_code == 201
    body = response.json()
    assert body["state"] == "failed"
    assert body["error_code"] == catalogue.IP_OUT_OF_RANGE
    assert body["error_advice"]
    narrow.refresh_from_db()
    assert narrow.uses_reserved == 0 and narrow.uses_spent == 0


def test_a_second_order_while_one_runs_is_409(api, fleet):
    client = api("customer_a1")
    assert redeem(client, fleet.a.site, fleet.a.voucher.code).status_code == 201
    response = redeem(client, fleet.a.site, fleet.a.voucher.code)
    assert response.status_code == 409
    assert response.json()["code"] == catalogue.ORDER_IN_PROGRESS


def failed_order(tenant) -> Order:
    return Order.objects.create(
        site=tenant.site,
        voucher=tenant.voucher,
        state=Order.State.FAILED,
        step="dns",
        names=[tenant.site.name],
        error_code=catalogue.DNS_UNRESOLVED,
    )


def test_retry_a_failed_order_and_only_your_own(api, fleet):
    order = failed_order(fleet.a)
    url = f"/api/v1/orders/{order.pk}/retry/"
    assert api("customer_b1").post(url).status_code == 404
    response = api("customer_a1").post(url)
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.state != Order.State.FAILED
    assert order.error_code is None


def test_raw_answers_are_for_staff_only(api, fleet):
    OrderStep.objects.create(
        order=fleet.a.order,
        name="order",
        outcome="ok",
        started_at=clock.now(),
        raw="<soap>answer</soap>",
    )
    url = f"/api/v1/orders/{fleet.a.order.pk}/"
    staff_steps = api("staff").get(url).json()["steps"]
    customer_steps = api("customer_a1").get(url).json()["steps"]
    assert staff_steps[0]["raw"] == "<soap>answer</soap>"
    assert "raw" not in customer_steps[0]


def test_orders_filter_by_state_and_error_code(api, fleet):
    failed = failed_order(fleet.a)
    listed = api("reseller_a").get(
        "/api/v1/orders/", {"state": "failed", "error_code": catalogue.DNS_UNRESOLVED}
    )
    assert [o["id"] for o in listed.json()["results"]] == [failed.pk]
