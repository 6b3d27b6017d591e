import pytest

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle.models import Revocation
from apps.certificates.lifecycle.revocation import find_certificate, revoke
from apps.certificates.models import Certificate
from apps.fleet.models import Site
from tests.lifecycle import pki

SERIAL = 0x0100011617904C9E


@pytest.fixture
def secured(fleet, lab_ca, personas):
    site = fleet.site("shop.example", personas.customer_a1)
    return pki.record(site, lab_ca.leaf("shop.example", serial=SERIAL))


@pytest.mark.parametrize(
    "typed",
    [
        "0100011617904c9e",
        "01 00 01 16 17 90 4C 9E",
        "01:00:01:16:17:90:4c:9e",
        "0x100011617904C9E",
        "  100011617904c9e ",
        str(SERIAL),  # decimal, as some tools print it
        f"dec:{SERIAL}",
    ],
)
def test_any_common_spelling_finds_the_certificate(secured, personas, typed):
    found = find_certificate(
        user=personas.customer_a1_user, site=secured.site, serial_text=typed
    )
    assert found == secured and found.serial_hex == "0100011617904c9e"


def test_nothing_happens_without_confirmation(secured, personas):
    with pytest.raises(CertfleetError) as caught:
        revoke(
            user=personas.customer_a1_user,
            site=secured.site,
            serial_text="01:00:01:16:17:90:4c:9e",
            confirm=False,
        )
    assert caught.value.code == errors.CONFIRMATION_REQUIRED
    assert "0100011617904c9e" in str(caught.value)
    secured.refresh_from_db()
    assert secured.status == Certificate.Status.ACTIVE
    assert not Revocation.objects.exists()


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("xyz", errors.SERIAL_INVALID),
        ("0100011617904c9f", errors.SERIAL_NOT_ON_SITE),
    ],
)
def test_a_wrong_serial_says_what_to_do(secured, personas, typed, code):
    with pytest.raises(CertfleetError) as caught:
        revoke(
            user=personas.customer_a1_user,
            site=secured.site,
            serial_text=typed,
            confirm=True,
        )
    assert caught.value.code == code and caught.value.info.advice


def test_another_tenants_site_does_not_exist(secured, personas):
    with pytest.raises(Site.DoesNotExist):
        revoke(
            user=personas.customer_b1_user,
            site=secured.site,
            serial_text="0100011617904c9e",
            confirm=True,
        )
    secured.refresh_from_db()
    assert secured.status == Certificate.Status.ACTIVE


def test_a_revoked_certificate_is_not_sent_to_the_ca_again(secured, personas):
    Certificate.objects.filter(pk=secured.pk).update(status="revoked")
    with pytest.raises(CertfleetError) as caught:
        revoke(
            user=personas.staff,
            site=secured.site,
            serial_text="0100011617904c9e",
            confirm=True,
        )
    assert caught.value.code == errors.ALREADY_REVOKED
    assert not Revocation.objects.exists()
