"""Adversarial input through the API: every refusal is a clear 4xx with a catalogue
code and advice, never a 500 and never a wider push than asked for."""

import pytest

from apps.bulk.models import Push
from apps.ca import errors as catalogue
from apps.certificates.models import Order
from apps.vouchers.models import Voucher
from tests.api.fixtures import make_voucher
from tests.api.test_orders import redeem
from tests.api.test_pushes import push_body

PUSH_URLS = ["/api/v1/pushes/", "/api/v1/pushes/dry-run/"]


@pytest.mark.parametrize("url", PUSH_URLS)
@pytest.mark.parametrize(
    "bad", [{"ip-range": "127.0.1.0/30"}, {"server_id": 3}, {"Server": 1}]
)
def test_an_unknown_filter_key_is_refused_not_ignored(api, fleet, url, bad):
    before = Push.objects.count()
    response = api("staff").post(url, push_body(fleet, filter=bad), format="json")
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["code"] == catalogue.API_INVALID and body["advice"]
    (key,) = bad
    assert key in body["fields"]["filter"]
    assert Push.objects.count() == before


@pytest.mark.parametrize("url", PUSH_URLS)
def test_an_account_of_the_wrong_kind_reads_like_an_unknown_id(
    api, fleet, personas, url
):
    client = api("staff")

    def refusal(field: str, pk: int) -> dict:
        body = push_body(fleet, filter={field: pk})
        response = client.post(url, body, format="json")
        assert response.status_code == 400, response.content
        message = response.json()["fields"]["filter"][field][0]
        return message.replace(str(pk), "<id>")

    assert refusal("reseller", personas.customer_a1.pk) == refusal("reseller", 99999)
    assert refusal("customer", personas.reseller_a.pk) == refusal("customer", 99999)


@pytest.mark.parametrize("days", [9_999_999_999, 3651, -1])
def test_expiring_days_out_of_bounds_is_a_field_error(api, fleet, days):
    body = push_body(fleet, filter={"expiring_days": days})
    response = api("staff").post("/api/v1/pushes/dry-run/", body, format="json")
    assert response.status_code == 400
    assert "expiring_days" in response.json()["fields"]["filter"]


def test_a_filter_matching_no_site_is_refused_with_7009(api, fleet):
    body = push_body(fleet, filter={"ip_range": "10.9.0.0/16"})
    before = Push.objects.count()
    response = api("staff").post("/api/v1/pushes/", body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["code"] == catalogue.NO_SITE_MATCHED
    assert response.json()["advice"]
    assert Push.objects.count() == before


def test_names_none_of_which_exist_are_refused(api, fleet):
    body = push_body(fleet, names=["nope-1.example", "nope-2.example"])
    before = Push.objects.count()
    response = api("staff").post("/api/v1/pushes/", body, format="json")
    assert response.status_code == 400
    assert "nope-1.example" in response.json()["fields"]["names"][0]
    assert Push.objects.count() == before


def test_a_customer_sees_only_the_tail_of_a_providers_voucher_code(
    api, fleet, personas
):
    order = Order.objects.create(
        site=fleet.a.site,
        voucher=fleet.provider_voucher,
        state=Order.State.DONE,
        names=[fleet.a.site.name],
    )
    code = fleet.provider_voucher.code
    for persona in ("customer_a1", "reseller_a"):
        client = api(persona)
        shown = client.get(f"/api/v1/orders/{order.pk}/").json()["voucher_code"]
        assert shown == "****" + code[-4:]
        listed = client.get("/api/v1/orders/").content.decode()
        assert code not in listed
    staff = api("staff").get(f"/api/v1/orders/{order.pk}/").json()
    assert staff["voucher_code"] == code
    own = api("customer_a1").get(f"/api/v1/orders/{fleet.a.order.pk}/").json()
    assert own["voucher_code"] == fleet.a.voucher.code


def test_a_local_refusal_is_201_with_a_failed_order_saying_why(api, fleet):
    """docs/api.md: the order is created and records the refusal."""
    used_up = make_voucher(fleet.a.customer, "USEDUPVOUCHER001", uses_allowed=1)
    Voucher.objects.filter(pk=used_up.pk).update(uses_spent=1)
    response = redeem(api("customer_a1"), fleet.a.site, used_up.code)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["state"] == "failed"
    assert body["error_code"] == catalogue.VOUCHER_EXHAUSTED
    assert body["error_message"] and body["error_advice"]
    assert Order.objects.get(pk=body["id"]).state == Order.State.FAILED


CSV_HEAD = "code,kind,expires,uses,days\n"


@pytest.mark.parametrize(
    ("line", "column"),
    [
        ("BADUSES00000001,super,2030-01-01,99999999999999999999999,", "uses"),
        ("BADUSES00000002,super,2030-01-01,\u00b2,", "uses"),
        ("BADDAYS00000001,super,2030-01-01,1,99999999999999999999999", "days"),
        ("BADDATE00000001,super,9999-12-31,1,", "expires"),
        ("BADDATE00000002,super,2027-02-30,1,", "expires"),
        ("BADDATE00000003,super,9999-12-31T23:00:00-05:00,1,", "expires"),
        ("BIGFIELD0000001,super,2030-01-01,1," + "9" * 140_000, "CSV"),
    ],
)
def test_an_absurd_csv_value_is_a_line_error_not_a_500(api, fleet, line, column):
    text = CSV_HEAD + "GOODVOUCHER00001,super,2030-01-01,1,\n" + line + "\n"
    response = api("staff").post("/api/v1/vouchers/import/", {"csv": text})
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert body["code"] == catalogue.API_INVALID and body["advice"]
    lines = {item["line"]: item for item in body["lines"]}
    assert lines[2]["ok"] is True
    assert lines[3]["ok"] is False and column in lines[3]["error"]
    assert not Voucher.objects.filter(code="GOODVOUCHER00001").exists()
