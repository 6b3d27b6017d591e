"""The cross-tenant battery: every object URL of one tenant, requested as a user of
another tenant, answers 404; provider-only pages answer 404 to everyone else."""

import pytest
from django.urls import reverse

from apps.fleet.models import Site

pytestmark = pytest.mark.django_db


def tenant_b_urls(fleet, personas) -> list[tuple[str, str, dict]]:
    """(method, url, data) of everything that belongs to reseller B's subtree."""
    cert = {"certificate": fleet.cert_b.pk, "confirm": "on"}
    return [
        ("get", reverse("fleet:site", args=[fleet.site_b.pk]), {}),
        ("post", reverse("fleet:site_test", args=[fleet.site_b.pk]), {}),
        ("get", reverse("certificates:order", args=[fleet.order_b.pk]), {}),
        ("get", reverse("certificates:order_steps", args=[fleet.order_b.pk]), {}),
        ("get", reverse("vouchers:detail", args=[fleet.voucher_b.pk]), {}),
        ("post", reverse("vouchers:assign", args=[fleet.voucher_b.pk]), {}),
        ("post", reverse("vouchers:cancel", args=[fleet.voucher_b.pk]), {}),
        ("get", reverse("accounts:customer", args=[personas.customer_b1.pk]), {}),
        ("post", reverse("certificates:revoke_confirm"), cert),
        ("post", reverse("certificates:replace", args=[fleet.cert_b.pk]), {}),
        ("post", reverse("certificates:revoke"), {"serial": fleet.cert_b.serial_hex}),
    ]


def provider_urls(fleet) -> list[tuple[str, str, dict]]:
    server, push = fleet.server.pk, fleet.push.pk
    return [
        ("get", reverse("fleet:servers"), {}),
        ("get", reverse("fleet:server_add"), {}),
        ("post", reverse("fleet:server_confirm"), {}),
        ("get", reverse("fleet:server", args=[server]), {}),
        ("get", reverse("fleet:server_state", args=[server]), {}),
        ("post", reverse("fleet:server_sync", args=[server]), {}),
        ("get", reverse("bulk:list"), {}),
        ("get", reverse("bulk:new"), {}),
        ("get", reverse("bulk:detail", args=[push]), {}),
        ("get", reverse("bulk:progress", args=[push]), {}),
        ("post", reverse("bulk:retry", args=[push]), {}),
        ("get", reverse("vouchers:import"), {}),
    ]


def request(client, method, url, data):
    return getattr(client, method)(url, data)


@pytest.mark.parametrize("who", ["reseller_a_user", "customer_a1_user"])
def test_other_tenants_objects_answer_404(client, personas, fleet, who):
    client.force_login(getattr(personas, who))
    for method, url, data in tenant_b_urls(fleet, personas):
        response = request(client, method, url, data)
        assert response.status_code == 404, (who, method, url, response.status_code)


def test_the_owner_reaches_the_same_urls(client, personas, fleet):
    """The battery is not vacuous: the owning reseller gets the pages."""
    client.force_login(personas.reseller_b_user)
    for method, url, _data in tenant_b_urls(fleet, personas)[:5:2]:
        assert request(client, method, url, {}).status_code == 200, url


@pytest.mark.parametrize(
    "who",
    ["reseller_a_user", "customer_a1_user", "reseller_b_user", "customer_b1_user"],
)
def test_provider_pages_answer_404_to_others(client, personas, fleet, who):
    client.force_login(getattr(personas, who))
    for method, url, data in provider_urls(fleet):
        response = request(client, method, url, data)
        assert response.status_code == 404, (who, method, url, response.status_code)


def test_customer_cannot_see_its_resellers_voucher(client, personas, fleet):
    client.force_login(personas.customer_a1_user)
    url = reverse("vouchers:detail", args=[fleet.voucher_a.pk])
    assert client.get(url).status_code == 404


def test_redeem_offers_only_own_sites(client, personas, fleet):
    client.force_login(personas.customer_a1_user)
    page = client.get(reverse("certificates:redeem")).content.decode()
    assert "shop-a.example" in page and "shop-b.example" not in page
    response = client.post(
        reverse("certificates:redeem"),
        {
            "site": fleet.site_b.pk,
            "voucher_code": "CUSTXXXB23456789",
            "contact_email": "a1@example.com",
            "accepted_terms": "on",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not fleet.site_b.orders.exclude(pk=fleet.order_b.pk).exists()


def test_anonymous_gets_the_login_page_for_every_url(client, personas, fleet):
    for method, url, data in tenant_b_urls(fleet, personas) + provider_urls(fleet):
        response = request(client, method, url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login")), url


def test_redeem_does_not_offer_aliases(client, personas, fleet):
    Site.objects.create(
        server=fleet.site_a.server,
        owner=personas.customer_a1,
        name="alias-a.example",
        display_name="alias-a.example",
        kind=Site.Kind.ALIAS,
        parent=fleet.site_a,
    )
    client.force_login(personas.customer_a1_user)
    page = client.get(reverse("certificates:redeem")).content.decode()
    assert "shop-a.example" in page and "alias-a.example" not in page
