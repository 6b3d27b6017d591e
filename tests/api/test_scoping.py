"""Every read endpoint as every persona: each sees exactly its own part of the tree,
and another tenant's object answers 404 with the JSON error shape."""

import pytest

from apps.ca import errors as catalogue

# Collection, and how to get the objects of one tenant from the fleet fixture.
RESOURCES = {
    "sites": lambda t: t.site,
    "vouchers": lambda t: t.voucher,
    "orders": lambda t: t.order,
    "certificates": lambda t: t.certificate,
    "health": lambda t: t.health,
    "audit": lambda t: t.audit,
}


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.mark.parametrize("collection", sorted(RESOURCES))
def test_each_persona_lists_only_its_own(api, fleet, collection):
    pick = RESOURCES[collection]
    a, b = pick(fleet.a).pk, pick(fleet.b).pk

    assert {a, b} <= ids(api("staff").get(f"/api/v1/{collection}/"))
    for persona in ("reseller_a", "customer_a1"):
        assert ids(api(persona).get(f"/api/v1/{collection}/")) == {a}
    for persona in ("reseller_b", "customer_b1"):
        assert ids(api(persona).get(f"/api/v1/{collection}/")) == {b}


@pytest.mark.parametrize("collection", sorted(RESOURCES))
def test_another_tenants_object_is_404(api, fleet, collection):
    pick = RESOURCES[collection]
    theirs = f"/api/v1/{collection}/{pick(fleet.b).pk}/"
    ours = f"/api/v1/{collection}/{pick(fleet.a).pk}/"

    for persona in ("reseller_a", "customer_a1"):
        refused = api(persona).get(theirs)
        assert refused.status_code == 404
        assert refused.json()["code"] == catalogue.API_NOT_FOUND
        assert api(persona).get(ours).status_code == 200
    assert api("staff").get(theirs).status_code == 200


def test_accounts_are_the_users_subtree(api, fleet, personas):
    everyone = ids(api("staff").get("/api/v1/accounts/"))
    assert {personas.reseller_a.pk, personas.customer_b1.pk} <= everyone
    assert ids(api("reseller_a").get("/api/v1/accounts/")) == {
        personas.reseller_a.pk,
        personas.customer_a1.pk,
    }
    assert ids(api("customer_b1").get("/api/v1/accounts/")) == {personas.customer_b1.pk}
    assert (
        api("customer_a1")
        .get(f"/api/v1/accounts/{personas.reseller_a.pk}/")
        .status_code
        == 404
    )


@pytest.mark.parametrize("collection", ["servers", "pushes"])
def test_provider_only_collections_are_empty_to_tenants(api, fleet, collection):
    obj = fleet.server if collection == "servers" else fleet.push
    assert ids(api("staff").get(f"/api/v1/{collection}/")) == {obj.pk}
    for persona in ("reseller_a", "customer_a1", "reseller_b", "customer_b1"):
        client = api(persona)
        assert ids(client.get(f"/api/v1/{collection}/")) == set()
        assert client.get(f"/api/v1/{collection}/{obj.pk}/").status_code == 404


def test_push_progress_of_a_provider_push_is_404_to_a_reseller(api, fleet):
    response = api("reseller_a").get(f"/api/v1/pushes/{fleet.push.pk}/progress/")
    assert response.status_code == 404


def test_certificate_pem_is_scoped(api, fleet):
    url = f"/api/v1/certificates/{fleet.b.certificate.pk}/pem/"
    assert api("customer_a1").get(url).status_code == 404
    response = api("customer_b1").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/x-pem-file"
    assert response.content.decode() == fleet.b.certificate.cert_pem


def test_serial_filter_accepts_any_spelling_within_scope(api, fleet):
    serial = fleet.a.certificate.serial_hex  # e.g. "010b"
    spelled = "0x" + ":".join(serial.upper()[i : i + 2] for i in range(0, 4, 2))
    own = api("customer_a1").get("/api/v1/certificates/", {"serial": spelled})
    assert ids(own) == {fleet.a.certificate.pk}
    other = api("customer_b1").get("/api/v1/certificates/", {"serial": spelled})
    assert ids(other) == set()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/me/",
        "/api/v1/accounts/",
        "/api/v1/servers/",
        "/api/v1/sites/",
        "/api/v1/vouchers/",
        "/api/v1/orders/",
        "/api/v1/certificates/",
        "/api/v1/health/",
        "/api/v1/pushes/",
        "/api/v1/audit/",
    ],
)
def test_anonymous_gets_401_json(api, fleet, path):
    response = api(None).get(path)
    assert response.status_code == 401
    body = response.json()
    assert body["code"] == catalogue.API_NOT_AUTHENTICATED
    assert "Token" in body["advice"]
