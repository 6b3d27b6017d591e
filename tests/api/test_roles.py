"""Every changing endpoint as every persona: a role that may not act gets 403 with
code 7504 before anything is read; a role that may gets past the check (here to the
validation of an empty body, 400)."""

import pytest

from apps.ca import errors as catalogue

STAFF = {"staff"}
STAFF_AND_RESELLERS = {"staff", "reseller_a"}
EVERYONE = {"staff", "reseller_a", "customer_a1"}

# (method, address, who may act); {server}, {voucher}, {order}, {push} are filled in.
# The bodies are empty, except where that would be valid: then invalid.
BODIES = {"patch": {"port": 0}}
ENDPOINTS = [
    ("post", "/api/v1/servers/", STAFF),
    ("patch", "/api/v1/servers/{server}/", STAFF),
    ("post", "/api/v1/servers/fingerprint/", STAFF),
    ("post", "/api/v1/vouchers/import/", STAFF),
    ("post", "/api/v1/vouchers/{voucher}/assign/", STAFF_AND_RESELLERS),
    ("post", "/api/v1/orders/", EVERYONE),
    ("post", "/api/v1/revocations/", EVERYONE),
    ("post", "/api/v1/health/", EVERYONE),
    ("post", "/api/v1/pushes/", STAFF),
    ("post", "/api/v1/pushes/dry-run/", STAFF),
]


def address(template: str, fleet) -> str:
    return template.format(
        server=fleet.server.pk,
        voucher=fleet.a.voucher.pk,
        order=fleet.a.order.pk,
        push=fleet.push.pk,
    )


@pytest.mark.parametrize("method,template,allowed", ENDPOINTS)
@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_each_role_may_or_may_not(api, fleet, persona, method, template, allowed):
    url = address(template, fleet)
    body = BODIES.get(method, {})
    response = getattr(api(persona), method)(url, body, format="json")
    if persona in allowed:
        assert response.status_code == 400, response.content
        assert response.json()["code"] == catalogue.API_INVALID
    else:
        assert response.status_code == 403, response.content
        assert response.json()["code"] == catalogue.API_FORBIDDEN


@pytest.mark.parametrize("method,template,allowed", ENDPOINTS)
def test_anonymous_may_not(api, fleet, method, template, allowed):
    response = getattr(api(None), method)(address(template, fleet), {}, format="json")
    assert response.status_code == 401
    assert response.json()["code"] == catalogue.API_NOT_AUTHENTICATED


@pytest.mark.parametrize(
    "template",
    [
        "/api/v1/vouchers/{voucher}/cancel/",
        "/api/v1/servers/{server}/sync/",
        "/api/v1/pushes/{push}/retry-failed/",
    ],
)
@pytest.mark.parametrize("persona", ["reseller_a", "customer_a1"])
def test_staff_only_actions_without_a_body(api, fleet, persona, template):
    response = api(persona).post(address(template, fleet))
    assert response.status_code == 403
    assert response.json()["code"] == catalogue.API_FORBIDDEN
