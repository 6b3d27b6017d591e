"""Every failure answers JSON {code, message, advice}, with the right HTTP status."""

import pytest
from rest_framework.test import APIClient

from apps.ca import errors as catalogue


def assert_error(response, status: int, code: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["code"] == code
    assert body["message"] == str(catalogue.lookup(code).message)
    assert body["advice"] == str(catalogue.lookup(code).advice)
    return body


def test_wrong_token_is_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert_error(client.get("/api/v1/sites/"), 401, catalogue.API_NOT_AUTHENTICATED)


@pytest.mark.parametrize("path", ["/api/v1/nothing-here/", "/api/nothing", "/api/v1"])
def test_unknown_address_is_json_404(api, fleet, path):
    assert_error(api("staff").get(path), 404, catalogue.API_NOT_FOUND)


def test_unknown_id_is_404(api, fleet):
    assert_error(
        api("staff").get("/api/v1/sites/999999/"), 404, catalogue.API_NOT_FOUND
    )


def test_method_not_allowed_is_405(api, fleet):
    response = api("staff").delete(f"/api/v1/sites/{fleet.a.site.pk}/")
    assert_error(response, 405, catalogue.API_METHOD_NOT_ALLOWED)


def test_malformed_json_is_400(api, fleet):
    response = api("staff").post(
        "/api/v1/revocations/", data="{not json", content_type="application/json"
    )
    assert_error(response, 400, catalogue.API_MALFORMED)


def test_unsupported_content_type_is_415(api, fleet):
    response = api("staff").post(
        "/api/v1/revocations/", data="serial=1", content_type="text/csv"
    )
    assert_error(response, 415, catalogue.API_UNSUPPORTED_MEDIA)


def test_invalid_fields_are_listed(api, fleet):
    response = api("customer_a1").post("/api/v1/revocations/", {}, format="json")
    body = assert_error(response, 400, catalogue.API_INVALID)
    assert set(body["fields"]) == {"serial", "confirm"}


def revoke(client, serial: str, confirm: bool = True):
    body = {"serial": serial, "confirm": confirm}
    return client.post("/api/v1/revocations/", body, format="json")


def test_a_serial_that_is_not_one_is_refused_with_its_code(api, fleet):
    response = revoke(api("customer_a1"), "zz-not-hex")
    assert_error(response, 422, catalogue.SERIAL_INVALID)


def test_revocation_without_confirmation_is_refused(api, fleet):
    response = revoke(api("customer_a1"), fleet.a.certificate.serial_hex, False)
    assert_error(response, 422, catalogue.CONFIRMATION_REQUIRED)
    fleet.a.certificate.refresh_from_db()
    assert fleet.a.certificate.status == "active"


def test_serial_of_another_tenant_is_not_found(api, fleet):
    response = revoke(api("customer_a1"), fleet.b.certificate.serial_hex)
    body = assert_error(response, 404, catalogue.API_NOT_FOUND)
    assert fleet.b.certificate.serial_hex in body["detail"]


def test_invalid_filter_value_is_400(api, fleet):
    response = api("staff").get("/api/v1/sites/", {"status": "purple"})
    body = assert_error(response, 400, catalogue.API_INVALID)
    assert "status" in body["fields"]


def test_page_out_of_range_is_404(api, fleet):
    response = api("staff").get("/api/v1/sites/", {"page": 99})
    assert_error(response, 404, catalogue.API_NOT_FOUND)


def test_role_refusal_is_403(api, fleet):
    response = api("customer_a1").post(
        "/api/v1/servers/", {"name": "x", "host": "127.0.0.1"}, format="json"
    )
    assert_error(response, 403, catalogue.API_FORBIDDEN)
