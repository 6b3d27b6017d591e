"""Further names on an order: start_order(names=...) carries them into the CSR and
the certificate when they belong to the site (its www form, aliases, subdomains);
a renewal asks for every name of the certificate it replaces.

Orders run in this process (run_order, as the task would) against the sandbox.
"""

import pytest
from cryptography import x509

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import renewal
from apps.certificates.lifecycle.models import Renewal
from apps.certificates.models import Certificate, Order
from apps.certificates.services import run_order, start_order
from apps.certificates.services.record import certificate_fields
from apps.core import clock
from apps.fleet.models import Site
from tests.pipeline.helpers import USED, fresh_voucher, served


def site_with_alias() -> tuple[Site, str]:
    """An unused site of the sandbox that has an alias (synced as its child)."""
    for alias in Site.objects.filter(
        kind=Site.Kind.ALIAS, state=Site.State.ACTIVE
    ).select_related("parent__server"):
        site = alias.parent
        if site is not None and site.name not in USED and site.ip_addresses:
            USED.add(site.name)
            return site, alias.name
    raise AssertionError("the sandbox has no unused site with an alias")


def san_voucher(registered, site: Site):
    """A site voucher bought for the site's name, allowing further names."""
    return fresh_voucher(
        registered, uses=5, kind="site", bound_name=site.name, allow_san=True
    )


def csr_names(order: Order) -> list[str]:
    csr = x509.load_pem_x509_csr(order.csr_pem.encode())
    sans = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    return sans.value.get_values_for_type(x509.DNSName)


def test_further_names_go_into_the_csr_and_the_certificate(registered_sandbox):
    site, alias = site_with_alias()
    voucher = san_voucher(registered_sandbox, site)

    order = start_order(
        site=site, voucher=voucher, contact_email="ops@example.org", names=[alias]
    )
    assert order.names == [site.name, alias]
    run_order(order.pk)
    order.refresh_from_db()

    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert alias in csr_names(order)
    assert {site.name, alias} <= set(order.certificate.sans)
    assert set(served(site).values()) == {order.certificate.fingerprint_sha256}


def test_a_name_of_another_site_is_refused_before_any_order(registered_sandbox):
    site, _ = site_with_alias()
    voucher = san_voucher(registered_sandbox, site)
    for name, code in [
        ("shop.elsewhere.example", errors.NAME_NOT_ON_SITE),
        (f"*.{site.name}", errors.NAME_NOT_ON_SITE),
        ("not a name", errors.NAME_INVALID),
    ]:
        with pytest.raises(CertfleetError) as refused:
            start_order(site=site, voucher=voucher, names=[name])
        assert refused.value.code == code, name
    assert not Order.objects.filter(site=site).exists()


def test_a_renewal_asks_for_every_name_of_the_certificate_it_replaces(
    registered_sandbox, django_capture_on_commit_callbacks
):
    site, alias = site_with_alias()
    voucher = san_voucher(registered_sandbox, site)
    first = start_order(site=site, voucher=voucher, names=[alias])
    run_order(first.pk)
    first.refresh_from_db()
    old = first.certificate
    assert alias in old.sans
    site.owner.auto_renew = True
    site.owner.save()
    planned = Renewal.objects.create(
        certificate=old,
        site=site,
        server=site.server,
        scheduled_at=clock.now(),
        created_at=clock.now(),
        state=Renewal.State.STARTING,
        attempts=1,
    )

    with django_capture_on_commit_callbacks(execute=True):
        renewal.start(planned)
        planned.refresh_from_db()
        assert planned.state == Renewal.State.RUNNING, planned.error_message
        run_order(planned.order_id)

    planned.refresh_from_db()
    order = planned.order
    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert planned.state == Renewal.State.DONE
    renewed = certificate_fields(order.issued_cert_pem)["sans"]
    assert set(old.sans) <= set(renewed)
    assert Certificate.objects.get(pk=old.pk).status == Certificate.Status.REPLACED
