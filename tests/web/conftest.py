"""A small fleet for page tests: one server, sites for customers A1 and B1 with
certificates, health checks, orders and vouchers, made directly in the database."""

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from apps.audit.models import AuditEvent
from apps.bulk.models import Push
from apps.certificates.models import Certificate, HealthCheck, Order, OrderStep
from apps.core import clock
from apps.fleet.models import PleskServer, Site
from apps.vouchers.models import Voucher, VoucherUse


@pytest.fixture(autouse=True, scope="session")
def _static_root():
    # WhiteNoise warns (an error here) when STATIC_ROOT is missing, as on a fresh
    # clone before collectstatic.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas' passwords are hashed per test; the default hasher is slow on
    # purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@dataclass
class Fleet:
    server: PleskServer
    site_a: Site
    site_a_plain: Site
    site_b: Site
    cert_a: Certificate
    cert_b: Certificate
    order_a: Order
    order_b: Order
    voucher_provider: Voucher
    voucher_a: Voucher
    voucher_b: Voucher
    push: Push
    event_a: AuditEvent
    event_b: AuditEvent


def make_server(name: str = "plesk-1", host: str = "127.0.1.1") -> PleskServer:
    return PleskServer.objects.create(
        name=name, host=host, port=8443, secret="s3cret-key", sync_state="ok"
    )


def make_site(server, owner, name: str, ip: str = "127.0.1.1") -> Site:
    return Site.objects.create(
        server=server, owner=owner, name=name, display_name=name, ip_addresses=[ip]
    )


def make_certificate(site: Site, serial: int, days_left: int = 200) -> Certificate:
    now = clock.now()
    certificate = Certificate.objects.create(
        site=site,
        serial_key=format(serial, "x"),
        serial_hex=format(serial, "x").zfill(16),
        subject_cn=site.name,
        sans=[site.name, f"www.{site.name}"],
        issuer="CN=Sandbox Intermediate CA,O=Certfleet Sandbox",
        not_before=now - dt.timedelta(days=10),
        not_after=now + dt.timedelta(days=days_left),
        fingerprint_sha256="ab" * 32,
        cert_pem="-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n",
        key_pem="private",
    )
    site.current_certificate = certificate
    site.save(update_fields=["current_certificate"])
    return certificate


def make_voucher(owner, code: str, uses: int = 10, **extra) -> Voucher:
    return Voucher.objects.create(
        owner=owner,
        code=code,
        kind=extra.pop("kind", Voucher.Kind.SUPER),
        certificate_days=365,
        expires_at=clock.now() + dt.timedelta(days=90),
        networks=["127.0.1.0/24"],
        uses_allowed=uses,
        **extra,
    )


def make_order(site, voucher, state=Order.State.DONE, code=None, push=None) -> Order:
    now = clock.now()
    order = Order.objects.create(
        site=site,
        voucher=voucher,
        push=push,
        state=state,
        names=[site.name],
        error_code=code,
        step="verify" if state == Order.State.DONE else "checks",
    )
    OrderStep.objects.create(
        order=order,
        name="checks",
        outcome=OrderStep.Outcome.OK if code is None else OrderStep.Outcome.FAILED,
        started_at=now,
        finished_at=now + dt.timedelta(milliseconds=120),
        detail="local checks",
        raw="<packet><secret_key>hunter2</secret_key><ok/></packet>",
    )
    return order


@pytest.fixture
def fleet(personas) -> Fleet:
    p = personas
    server = make_server()
    site_a = make_site(server, p.customer_a1, "shop-a.example")
    site_a_plain = make_site(server, p.customer_a1, "blog-a.example")
    site_b = make_site(server, p.customer_b1, "shop-b.example", ip="127.0.1.2")
    cert_a = make_certificate(site_a, 0x0100011617904C9E)
    cert_b = make_certificate(site_b, 0x0200022222222222, days_left=10)
    now = clock.now()
    HealthCheck.objects.create(site=site_a, checked_at=now, ok=True, days_left=200)
    HealthCheck.objects.create(site=site_b, checked_at=now, ok=True, days_left=10)
    voucher_provider = make_voucher(p.provider, "SUPERCXDE2345678", uses=500)
    voucher_a = make_voucher(p.reseller_a, "RESAXXXX23456789", uses=5)
    voucher_b = make_voucher(p.customer_b1, "CUSTXXXB23456789", uses=1)
    push = Push.objects.create(voucher=voucher_provider, created_by=p.staff)
    order_a = make_order(site_a, voucher_provider, push=push)
    order_b = make_order(site_b, voucher_b)
    make_order(site_a_plain, voucher_provider, Order.State.FAILED, -9019, push=push)
    VoucherUse.objects.create(
        voucher=voucher_b, order=order_b, state="spent", reserved_at=now
    )
    event_a = AuditEvent.objects.create(
        at=now,
        action="voucher.redeemed",
        object_type="fleet.site",
        object_id=str(site_a.pk),
        account=p.customer_a1,
        actor=p.customer_a1_user,
    )
    event_b = AuditEvent.objects.create(
        at=now,
        action="voucher.redeemed",
        object_type="fleet.site",
        object_id=str(site_b.pk),
        account=p.customer_b1,
        actor=p.customer_b1_user,
    )
    return Fleet(
        server,
        site_a,
        site_a_plain,
        site_b,
        cert_a,
        cert_b,
        order_a,
        order_b,
        voucher_provider,
        voucher_a,
        voucher_b,
        push,
        event_a,
        event_b,
    )


def login(client, user):
    client.force_login(user)
    return client
