"""Vouchers through the API: import from CSV, assign down the tree, cancel, find."""

from django.core.files.uploadedfile import SimpleUploadedFile

from apps.ca import errors as catalogue
from apps.vouchers import codes
from apps.vouchers.models import Voucher

HEADER = "code,kind,expires,uses,networks\n"


def csv_of(*new_codes: str) -> str:
    return HEADER + "".join(
        f"{code},super,2030-12-31,5,127.0.1.0/24\n" for code in new_codes
    )


def test_staff_imports_a_csv_file(api, fleet, personas):
    new = [codes.generate(), codes.generate()]
    upload = SimpleUploadedFile("v.csv", csv_of(*new).encode(), "text/csv")
    response = api("staff").post("/api/v1/vouchers/import/", {"file": upload})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["imported"] == 2
    assert [line["ok"] for line in body["lines"]] == [True, True]
    stored = Voucher.objects.filter(code__in=new)
    assert {v.owner_id for v in stored} == {personas.provider.pk}


def test_import_as_json_text_for_a_reseller_account(api, fleet, personas):
    code = codes.generate()
    response = api("staff").post(
        "/api/v1/vouchers/import/",
        {"csv": csv_of(code), "owner": personas.reseller_a.pk},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Voucher.objects.get(code=code).owner == personas.reseller_a
    seen = api("reseller_a").get("/api/v1/vouchers/", {"q": code}).json()
    assert [v["code"] for v in seen["results"]] == [code]


def test_a_bad_line_imports_nothing_and_says_which(api, fleet):
    good = codes.generate()
    text = csv_of(good) + "BADC0DE9,platinum,2030-12-31,1,\n"
    response = api("staff").post(
        "/api/v1/vouchers/import/", {"csv": text}, format="json"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == catalogue.API_INVALID
    assert "1 of 2 lines" in body["detail"]
    assert [line["ok"] for line in body["lines"]] == [True, False]
    assert "kind" in body["lines"][1]["error"]
    assert not Voucher.objects.filter(code=good).exists()


def test_only_staff_import(api, fleet):
    for persona in ("reseller_a", "customer_a1"):
        response = api(persona).post(
            "/api/v1/vouchers/import/", {"csv": csv_of(codes.generate())}
        )
        assert response.status_code == 403
        assert response.json()["code"] == catalogue.API_FORBIDDEN


def test_vouchers_pass_down_the_tree(api, fleet, personas):
    voucher = fleet.provider_voucher
    url = f"/api/v1/vouchers/{voucher.pk}/assign/"
    response = api("staff").post(url, {"owner": personas.reseller_a.pk})
    assert response.status_code == 200, response.content
    assert response.json()["owner"] == personas.reseller_a.pk

    response = api("reseller_a").post(url, {"owner": personas.customer_a1.pk})
    assert response.status_code == 200, response.content
    voucher.refresh_from_db()
    assert voucher.owner == personas.customer_a1


def test_a_reseller_cannot_assign_to_another_tenant(api, fleet, personas):
    voucher = fleet.provider_voucher
    voucher.owner = personas.reseller_a
    voucher.save()
    url = f"/api/v1/vouchers/{voucher.pk}/assign/"
    response = api("reseller_a").post(url, {"owner": personas.customer_b1.pk})
    assert response.status_code == 400
    assert "owner" in response.json()["fields"]
    # Another tenant's voucher does not exist for reseller A.
    theirs = f"/api/v1/vouchers/{fleet.b.voucher.pk}/assign/"
    response = api("reseller_a").post(theirs, {"owner": personas.customer_a1.pk})
    assert response.status_code == 404
    # Customers assign nothing.
    own = f"/api/v1/vouchers/{fleet.a.voucher.pk}/assign/"
    response = api("customer_a1").post(own, {"owner": personas.customer_a1.pk})
    assert response.status_code == 403


def test_staff_cancel_and_others_may_not(api, fleet):
    url = f"/api/v1/vouchers/{fleet.a.voucher.pk}/cancel/"
    assert api("reseller_a").post(url).status_code == 403
    assert api("customer_a1").post(url).status_code == 403
    response = api("staff").post(url)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancelled_at"]


def test_find_reads_a_code_as_typed(api, fleet):
    code = fleet.a.voucher.code
    typed = "-".join(code[i : i + 4] for i in range(0, len(code), 4)).lower()
    response = api("customer_a1").get("/api/v1/vouchers/find/", {"code": typed})
    assert response.status_code == 200
    assert response.json()["id"] == fleet.a.voucher.pk
    # Another tenant's code reads as unknown.
    response = api("customer_b1").get("/api/v1/vouchers/find/", {"code": typed})
    assert response.status_code == 422
    assert response.json()["code"] == catalogue.VOUCHER_UNKNOWN
