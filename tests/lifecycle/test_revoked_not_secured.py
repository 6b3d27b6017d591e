"""A revoked certificate secures nothing: the site it is served on is not healthy,
and the site counts as not secured (site lists, push filters)."""

import pytest

from apps.bulk.targets import select_sites
from apps.certificates.lifecycle import health
from apps.certificates.models import Certificate
from apps.fleet import filters
from apps.fleet.models import Site
from tests.lifecycle import pki


@pytest.fixture
def revoked_site(fleet, site_server, lab_ca, personas, authority) -> Site:
    """A site serving the certificate Certfleet installed, since revoked."""
    site = fleet.site("shop.example", personas.customer_a1)
    leaf = lab_ca.leaf("shop.example", days=60)
    pki.record(site, leaf)
    site_server.serve("shop.example", leaf.pem, leaf.key_pem, [lab_ca.intermediate.pem])
    assert health.check_site(site).ok  # healthy while the certificate is good
    Certificate.objects.filter(site=site).update(status=Certificate.Status.REVOKED)
    return Site.objects.get(pk=site.pk)


def test_a_site_serving_its_revoked_certificate_is_not_healthy(revoked_site):
    check = health.check_site(revoked_site)
    assert not check.ok
    assert check.matches_installed  # no drift: it is the one installed
    assert "revoked" in check.error


def test_a_site_with_a_revoked_certificate_is_not_secured(revoked_site, personas):
    other = Site.objects.create(
        server=revoked_site.server,
        owner=personas.customer_a1,
        name="bare.example",
        display_name="bare.example",
    )
    sites = Site.objects.filter(pk__in=[revoked_site.pk, other.pk])
    assert set(filters.unsecured(sites)) == {revoked_site, other}
    assert not sites.filter(filters.secured()).exists()
    states = filters.with_certificate_status(sites).values_list("cert_state", flat=True)
    assert filters.CertState.SECURED not in set(states)
    # A push may aim at it.
    assert revoked_site in set(select_sites(personas.staff, {}))


def test_a_not_secured_push_targets_a_site_with_a_revoked_certificate(
    revoked_site, personas
):
    chosen = select_sites(personas.staff, {"not_secured": True})
    assert revoked_site in set(chosen)
