"""Idempotency-Key on creating calls: a repeat replays, a different body is refused."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.api.models import IdempotencyKey
from apps.ca import errors as catalogue
from apps.certificates.models import Order
from apps.core import clock
from apps.vouchers import codes
from apps.vouchers.models import Voucher
from tests.api.test_vouchers import csv_of

IMPORT = "/api/v1/vouchers/import/"


def post(client, url, body, key, **kwargs):
    kwargs.setdefault("format", "json")
    return client.post(url, body, HTTP_IDEMPOTENCY_KEY=key, **kwargs)


def test_the_same_request_twice_does_the_work_once(api, fleet):
    client = api("staff")
    code = codes.generate()
    first = post(client, IMPORT, {"csv": csv_of(code)}, "import-1")
    again = post(client, IMPORT, {"csv": csv_of(code)}, "import-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Voucher.objects.filter(code=code).count() == 1


def test_a_re_uploaded_file_with_a_new_boundary_replays(api, fleet):
    client = api("staff")
    text = csv_of(codes.generate()).encode()
    answers = [
        post(
            client,
            IMPORT,
            {"file": SimpleUploadedFile("v.csv", text, "text/csv")},
            "upload-1",
            format="multipart",
        )
        for _ in range(2)
    ]
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[1]["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_422(api, fleet):
    client = api("staff")
    assert (
        post(client, IMPORT, {"csv": csv_of(codes.generate())}, "k").status_code == 201
    )
    other = codes.generate()
    response = post(client, IMPORT, {"csv": csv_of(other)}, "k")
    assert response.status_code == 422
    assert response.json()["code"] == catalogue.IDEMPOTENCY_KEY_REUSED
    assert not Voucher.objects.filter(code=other).exists()


def test_keys_belong_to_one_user(api, fleet):
    body = {
        "site": fleet.a.site.pk,
        "voucher_code": fleet.a.voucher.code,
        "contact_email": "a@example.test",
        "accept_terms": True,
    }
    first = post(api("customer_a1"), "/api/v1/orders/", body, "shared-key")
    assert first.status_code == 201
    # The same key from another user is that user's own: no replay of A1's order.
    response = post(api("customer_b1"), "/api/v1/orders/", body, "shared-key")
    assert response.status_code == 400
    assert "site" in response.json()["fields"]


def test_a_redeem_repeated_after_a_lost_answer_makes_one_order(api, fleet):
    body = {
        "site": fleet.a.site.pk,
        "voucher_code": fleet.a.voucher.code,
        "contact_email": "a@example.test",
        "accept_terms": True,
    }
    client = api("customer_a1")
    answers = [post(client, "/api/v1/orders/", body, "redeem-7") for _ in range(3)]
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert Order.objects.filter(site=fleet.a.site, state="pending").count() == 1


def test_a_refused_request_keeps_no_answer_so_it_can_be_corrected(api, fleet):
    client = api("staff")
    refused = post(client, "/api/v1/pushes/", {"voucher_code": "x"}, "fix-me")
    assert refused.status_code == 400
    assert not IdempotencyKey.objects.filter(key="fix-me").exists()


def test_a_repeat_while_the_first_still_runs_is_409(api, fleet, personas):
    body = {"csv": csv_of(codes.generate())}
    client = api("staff")
    post(client, IMPORT, body, "slow")
    IdempotencyKey.objects.filter(key="slow").update(status_code=None, response=None)
    response = post(client, IMPORT, body, "slow")
    assert response.status_code == 409
    assert response.json()["code"] == catalogue.IDEMPOTENCY_IN_PROGRESS


def test_keys_expire_after_a_day(api, fleet):
    client = api("staff")
    post(client, IMPORT, {"csv": csv_of(codes.generate())}, "old")
    day_ago = clock.now() - dt.timedelta(hours=25)
    IdempotencyKey.objects.filter(key="old").update(created_at=day_ago)
    code = codes.generate()
    response = post(client, IMPORT, {"csv": csv_of(code)}, "old")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Voucher.objects.filter(code=code).exists()


def test_a_malformed_key_is_refused(api, fleet):
    response = post(api("staff"), IMPORT, {"csv": "x"}, "has space")
    assert response.status_code == 400
    assert response.json()["code"] == catalogue.API_INVALID


def test_a_rejected_import_can_be_corrected_under_the_same_key(api, fleet):
    client = api("staff")
    bad = post(client, IMPORT, {"csv": csv_of("not a code!")}, "fix-import")
    assert bad.status_code == 400
    code = codes.generate()
    good = post(client, IMPORT, {"csv": csv_of(code)}, "fix-import")
    assert good.status_code == 201
    assert Voucher.objects.filter(code=code).exists()
