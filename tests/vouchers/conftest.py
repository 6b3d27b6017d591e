"""Builders for voucher tests: a Plesk server, sites on loopback addresses, vouchers
and orders, all owned within the personas' tree (tests/conftest.py)."""

import datetime as dt
import itertools
import os

import pytest
from django.db import connection

from apps.certificates.models import Certificate, Order
from apps.core import clock
from apps.fleet.models import PleskServer, Site
from apps.vouchers import codes
from apps.vouchers.models import Voucher

_serials = itertools.count(0x1000)


@pytest.fixture
def server(db):
    return PleskServer.objects.create(name="plesk-1", host="127.0.1.1", secret="k")


@pytest.fixture
def make_site(server, personas):
    counter = itertools.count(1)

    def make(name=None, *, ips=("127.0.1.10",), owner=None) -> Site:
        number = next(counter)
        name = name or f"site{number}.example"
        return Site.objects.create(
            server=server,
            owner=owner or personas.customer_a1,
            name=name,
            display_name=name,
            ip_addresses=list(ips),
        )

    return make


@pytest.fixture
def make_voucher(personas):
    def make(**fields) -> Voucher:
        values = {
            "code": codes.generate(),
            "kind": Voucher.Kind.SUPER,
            "certificate_days": 365,
            "expires_at": clock.now() + dt.timedelta(days=365),
            "networks": ["127.0.1.0/24"],
            "platform": Voucher.Platform.PLESK,
            "uses_allowed": 10,
            "owner": personas.provider,
        }
        values.update(fields)
        return Voucher.objects.create(**values)

    return make


@pytest.fixture
def make_order():
    def make(site, voucher, *, kind=Order.Kind.NEW, state=Order.State.PENDING):
        # A site has one pending or running order at a time (a database rule).
        return Order.objects.create(
            site=site, voucher=voucher, kind=kind, names=[site.name], state=state
        )

    return make


@pytest.fixture
def make_certificate():
    def make(site, voucher, *, days_left=200, status="active") -> Certificate:
        now = clock.now()
        serial = next(_serials)
        return Certificate.objects.create(
            site=site,
            voucher=voucher,
            status=status,
            serial_key=f"{serial:x}",
            serial_hex=f"{serial:x}",
            subject_cn=site.name,
            sans=[site.name],
            issuer="Sandbox CA",
            not_before=now - dt.timedelta(days=1),
            not_after=now + dt.timedelta(days=days_left),
            fingerprint_sha256=f"{serial:064x}",
            cert_pem="-",
            key_pem="-",
        )

    return make


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # The personas' passwords are hashed per test; the default hasher is slow on
    # purpose and would dominate these tests' time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def postgres(transactional_db):
    """PostgreSQL, or a skip; in CI (CERTFLEET_REQUIRE_SERVICES=1) a failure."""
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CERTFLEET_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
