"""Every page renders for the personas that may see it, with what they need."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def get(client, user, name, *args, **query):
    client.force_login(user)
    response = client.get(reverse(name, args=args), query)
    assert response.status_code == 200, (name, response.status_code)
    return response.content.decode()


def test_anonymous_is_sent_to_login(client, fleet):
    for name, args in [
        ("home", []),
        ("fleet:sites", []),
        ("fleet:site", [fleet.site_a.pk]),
        ("vouchers:list", []),
        ("certificates:redeem", []),
        ("audit:list", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_provider_dashboard_counts_sites_by_state(client, personas, fleet):
    page = get(client, personas.staff, "home")
    assert "Dashboard" in page
    # shop-a secured, shop-b expiring in 10 days, blog-a's order failed.
    assert 'href="/fleet/sites/?status=secured"><span class="value">1<' in page
    assert 'href="/fleet/sites/?status=expiring"><span class="value">1<' in page
    assert 'href="/fleet/sites/?status=failing"><span class="value">1<' in page
    assert "<svg" in page and "2 certificates expire in the next 15 months" in page


def test_sites_list_shows_certificate_status_for_staff(client, personas, fleet):
    page = get(client, personas.staff, "fleet:sites")
    for name in ("shop-a.example", "blog-a.example", "shop-b.example"):
        assert name in page
    assert "Sandbox Intermediate CA" in page
    assert "-9019" in page


def test_sites_filter_by_status(client, personas, fleet):
    page = get(client, personas.staff, "fleet:sites", status="failing")
    assert "blog-a.example" in page
    assert "shop-a.example" not in page


def test_sites_filter_by_owner(client, personas, fleet):
    page = get(client, personas.staff, "fleet:sites", owner_name="b1")
    assert "shop-b.example" in page and "shop-a.example" not in page
    page = get(client, personas.staff, "fleet:sites", owner=personas.reseller_a.pk)
    assert "shop-a.example" in page and "shop-b.example" not in page
    page = get(
        client, personas.reseller_a_user, "fleet:sites", owner=personas.customer_b1.pk
    )
    assert "shop-b.example" not in page  # another tenant's account is no choice


def test_sites_search_and_sort(client, personas, fleet):
    page = get(client, personas.staff, "fleet:sites", q="SHOP", sort="-name")
    assert page.index("shop-b.example") < page.index("shop-a.example")
    assert "blog-a.example" not in page


def test_reseller_sees_own_customers_sites_only(client, personas, fleet):
    page = get(client, personas.reseller_a_user, "fleet:sites")
    assert 'name="server"' not in page  # servers are the provider's
    assert "shop-a.example" in page
    assert "shop-b.example" not in page
    home = get(client, personas.reseller_a_user, "home")
    assert "Customer A1" in home and "Customer B1" not in home
    assert "RESAXXXX23456789" in home


def test_customer_home_lists_own_sites_with_certificate(client, personas, fleet):
    page = get(client, personas.customer_a1_user, "home")
    assert "My sites" in page
    assert "shop-a.example" in page and "blog-a.example" in page
    assert "shop-b.example" not in page
    assert "Sandbox Intermediate CA" in page


def test_server_pages(client, personas, fleet):
    page = get(client, personas.staff, "fleet:servers")
    assert "plesk-1" in page and "127.0.1.1:8443" in page
    page = get(client, personas.staff, "fleet:server", fleet.server.pk)
    assert "shop-b.example" in page


def test_site_detail(client, personas, fleet):
    page = get(client, personas.customer_a1_user, "fleet:site", fleet.site_a.pk)
    assert "0100011617904c9e" in page
    assert "Test my site" in page


def test_voucher_pages(client, personas, fleet):
    page = get(client, personas.staff, "vouchers:list")
    assert "SUPERCXDE2345678" in page and "CUSTXXXB23456789" in page
    page = get(client, personas.reseller_b_user, "vouchers:detail", fleet.voucher_b.pk)
    assert "shop-b.example" in page  # its history
    page = get(client, personas.staff, "vouchers:list", q="supercx de-23")
    assert "SUPERCXDE2345678" in page and "CUSTXXXB23456789" not in page


def test_order_page_masks_secrets_and_hides_raw_from_customers(client, personas, fleet):
    page = get(client, personas.staff, "certificates:order", fleet.order_a.pk)
    assert "Raw answer" in page
    assert "hunter2" not in page
    assert "&lt;secret_key&gt;***&lt;/secret_key&gt;" in page
    page = get(
        client, personas.customer_a1_user, "certificates:order", fleet.order_a.pk
    )
    assert "Raw answer" not in page


def test_push_page_groups_failures_by_code(client, personas, fleet):
    page = get(client, personas.staff, "bulk:detail", fleet.push.pk)
    assert 'data-code="-9019"' in page
    assert "blog-a.example" in page


def test_orders_list_filters_by_error_code(client, personas, fleet):
    page = get(client, personas.staff, "certificates:orders", error_code=-9019)
    assert "blog-a.example" in page and "shop-a.example" not in page
    page = get(client, personas.customer_b1_user, "certificates:orders")
    assert "shop-b.example" in page and "blog-a.example" not in page


def test_audit_log_is_scoped(client, personas, fleet):
    page = get(client, personas.customer_a1_user, "audit:list")
    assert f"fleet.site {fleet.site_a.pk}" in page
    assert f"fleet.site {fleet.site_b.pk}" not in page


def test_settings_pages(client, personas, fleet):
    assert "purchase_url" in get(client, personas.reseller_a_user, "accounts:settings")
    assert "auto_renew" in get(client, personas.customer_a1_user, "accounts:settings")
    page = get(client, personas.staff, "bulk:list")
    assert f"#{fleet.push.pk}" in page


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("certificates:orders", {"push": "-4.9e-224", "error_code": "1e300"}),
        ("certificates:orders", {"push": str(2**70)}),
        ("fleet:sites", {"expiring_within": "99999999999"}),
        ("fleet:sites", {"owner": "x", "server": "-1"}),
    ],
)
def test_nonsense_filters_give_an_empty_list_not_an_error(
    client, personas, fleet, name, query
):
    page = get(client, personas.staff, name, **query)
    assert "No orders match." in page or "No sites match." in page
