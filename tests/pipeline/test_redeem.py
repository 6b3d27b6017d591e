"""A customer redeems a voucher on their own site, and only there."""

from datetime import timedelta

import pytest

from apps.audit.models import AuditEvent
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.certificates.services import redeem
from apps.core import clock
from apps.fleet.models import PleskServer, Site
from apps.vouchers.models import Voucher


@pytest.fixture
def sites(personas):
    server = PleskServer.objects.create(name="r.example", host="127.0.1.9", secret="k")

    def make(name, owner):
        return Site.objects.create(
            server=server,
            owner=owner,
            name=name,
            display_name=name,
            ip_addresses=["127.0.1.9"],
        )

    return make("mine.example", personas.customer_a1), make(
        "theirs.example", personas.customer_b1
    )


@pytest.fixture
def voucher(personas):
    return Voucher.objects.create(
        code="REDEEMA1CUSTMR",
        kind="site",
        bound_name="mine.example",
        certificate_days=365,
        expires_at=clock.now() + timedelta(days=30),
        networks=["127.0.1.0/24"],
        owner=personas.customer_a1,
    )


def test_a_customer_redeems_on_their_own_site(personas, sites, voucher):
    mine, _ = sites
    order = redeem(
        user=personas.customer_a1_user,
        site=mine,
        voucher_code="redeem-a1-custmr",
        contact_email="a1@example.org",
        accepted_terms=True,
    )
    assert order.state == Order.State.PENDING and order.site == mine
    assert Voucher.objects.get(pk=voucher.pk).uses_reserved == 1
    assert AuditEvent.objects.filter(action="voucher.redeemed").exists()


def test_another_tenants_site_is_not_found(personas, sites, voucher):
    _, theirs = sites
    with pytest.raises(Site.DoesNotExist):
        redeem(
            user=personas.customer_a1_user,
            site=theirs,
            voucher_code=voucher.code,
            contact_email="a1@example.org",
            accepted_terms=True,
        )
    assert not Order.objects.exists()


def test_terms_must_be_accepted_and_codes_must_exist(personas, sites, voucher):
    mine, _ = sites
    user = personas.customer_a1_user
    with pytest.raises(CertfleetError) as caught:
        redeem(
            user=user,
            site=mine,
            voucher_code=voucher.code,
            contact_email="",
            accepted_terms=False,
        )
    assert caught.value.code == errors.MISSING_PARAMETER
    with pytest.raises(CertfleetError) as caught:
        redeem(
            user=user,
            site=mine,
            voucher_code="NOSUCHCODE",
            contact_email="",
            accepted_terms=True,
        )
    assert caught.value.code == errors.VOUCHER_UNKNOWN
