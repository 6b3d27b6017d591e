"""Issue 4's proof end to end: 50 parallel redemptions of a voucher with 10 uses end
with exactly 10 certificates, 40 clear refusals and a balance of 0.

Everything is real: 50 forked processes redeem at once through the customer-facing
service (each on its own PostgreSQL connection), a Celery worker process runs the
pipeline, Plesk servers and the voucher CA answer over sockets, and every winner's
site is checked by a TLS handshake. The test brings its own sandbox (DNS, two Plesk
servers on 127.0.44.x with 100 sites, a CA) and its own worker and broker, because
it needs 50 fresh eligible sites and must not share the session fleet's.
"""

import time
from dataclasses import dataclass

import pytest

from apps.ca import errors
from apps.ca.errors import lookup
from apps.certificates.models import Certificate, Order
from apps.vouchers import codes, networks, services
from apps.vouchers.models import VoucherUse
from tests.vouchers.processes import run_at_once

pytestmark = pytest.mark.slow

PARALLEL = 50
USES = 10
PREFIX = "127.0.44"
NETWORKS = [f"{PREFIX}.0/24", "::1/128"]
CODE = "E2EPARALLEL0050"
FINISHED = (Order.State.DONE, Order.State.FAILED, Order.State.HELD)


@dataclass
class OwnSandbox:
    dns: object
    fleet: object
    ca: object


@pytest.fixture
def own_sandbox():
    from apps.sandbox.ca import start_ca
    from apps.sandbox.dns import SandboxDNS
    from apps.sandbox.plesk import start_fleet

    dns = SandboxDNS().start()
    try:
        fleet = start_fleet(servers=2, sites=100, dns=dns, seed=44, host_prefix=PREFIX)
        try:
            ca = start_ca("127.0.0.1", dns=(dns.host, dns.port))
            ca.add_voucher(CODE, "super", NETWORKS, uses=USES, platform="plesk")
            yield OwnSandbox(dns, fleet, ca)
            ca.stop()
        finally:
            fleet.stop()
    finally:
        dns.stop()


@pytest.fixture
def own_worker(own_sandbox, tmp_path, django_db_blocker):
    """A worker process on a broker of its own, resolving through our DNS."""
    import json
    import os
    import uuid

    from tests.fixtures import worker as fixtures

    broker = fixtures._broker_for_session(tmp_path, f"e2e-{uuid.uuid4().hex[:8]}")
    previous = fixtures.Broker(
        fixtures.celery_app.conf.broker_url,
        dict(fixtures.celery_app.conf.broker_transport_options),
    )
    fixtures._point_app_at(broker)
    with django_db_blocker.unblock():
        database = fixtures._database_environment()
    env = {
        **os.environ,
        **database,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "CELERY_BROKER_URL": broker.url,
        "CELERY_BROKER_TRANSPORT_OPTIONS": json.dumps(broker.options),
        "CERTFLEET_DNS_SERVER": f"{own_sandbox.dns.host}:{own_sandbox.dns.port}",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "PYTHONUNBUFFERED": "1",
    }
    process = fixtures.WorkerProcess(env, tmp_path / "worker.log", "e2e-vouchers")
    try:
        yield process.start()
    finally:
        process.stop()
        fixtures._point_app_at(previous)
        if broker.url.startswith("redis"):
            fixtures._forget_redis_keys(broker)


@pytest.fixture
def registered(postgres, own_sandbox, settings):
    from apps.bulk.demo import register_sandbox
    from apps.sandbox.runner import describe

    settings.CERTFLEET_DNS_SERVER = f"{own_sandbox.dns.host}:{own_sandbox.dns.port}"
    entry = {"code": CODE, "kind": "super", "networks": NETWORKS, "uses": USES}
    state = describe(own_sandbox.dns, own_sandbox.fleet, own_sandbox.ca, [entry])
    return register_sandbox(state)


def eligible_sites(count: int) -> list:
    from apps.bulk.targets import TARGET_KINDS
    from apps.certificates.services import checks
    from apps.fleet.models import Site

    allowed = networks.parse(NETWORKS)
    found = [
        site
        for site in Site.objects.filter(state="active", kind__in=TARGET_KINDS)
        .select_related("server", "owner")
        .order_by("pk")
        if networks.contains(allowed, site.ip_addresses or [])
        and (site.hosting_type or "").lower() not in checks.NO_HOSTING
        and not checks.high_risk_word(site.name)
    ]
    assert len(found) >= count, f"only {len(found)} eligible sites"
    return found[:count]


def _redeem(site_id: int, typed_code: str) -> int:
    """In a child: a staff member types the code and redeems it on one site."""
    from apps.accounts.models import User
    from apps.certificates.services.redeem import redeem
    from portal.celery import app

    app._after_fork()  # a broker connection of this process's own
    staff = User.objects.get(username="staff")
    order = redeem(
        user=staff,
        site=site_id,
        voucher_code=typed_code,
        contact_email="noc@provider.example",
        accepted_terms=True,
    )
    return order.pk


def wait_all_finished(order_ids: list[int], timeout: float = 420.0) -> list[Order]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        orders = list(Order.objects.filter(pk__in=order_ids))
        if len(orders) == len(order_ids) and all(o.state in FINISHED for o in orders):
            return orders
        time.sleep(1.0)
    late = [order.pk for order in orders if order.state not in FINISHED]
    raise AssertionError(f"orders unfinished after {timeout}s: {late}")


def test_fifty_parallel_redemptions_make_ten_certificates(
    registered, own_worker, own_sandbox
):
    from tests.pipeline.helpers import served

    voucher = registered.voucher
    typed = codes.display(voucher.code).lower()  # as a person types it
    sites = eligible_sites(PARALLEL)
    outcomes = run_at_once(_redeem, [(site.pk, typed) for site in sites])
    order_ids = [detail for _, kind, detail in outcomes if kind == "ok"]
    assert len(order_ids) == PARALLEL, outcomes

    orders = wait_all_finished(order_ids)
    done = [o for o in orders if o.state == Order.State.DONE]
    refused = [o for o in orders if o.state == Order.State.FAILED]
    assert len(done) == USES, [(o.pk, o.error_code, o.error_message) for o in orders]
    assert len(refused) == PARALLEL - USES
    exhausted = lookup(errors.VOUCHER_EXHAUSTED)
    for order in refused:
        assert order.error_code == errors.VOUCHER_EXHAUSTED
        assert order.error_message.startswith(str(exhausted.message))
        assert order.error_advice == str(exhausted.advice)
        assert not order.steps.filter(name="ca_check").exists()
    assert not VoucherUse.objects.filter(order__in=refused).exists()

    certificates = Certificate.objects.filter(voucher=voucher)
    assert certificates.count() == USES
    for order in done:
        site = order.site
        site.refresh_from_db()
        assert site.current_certificate_id == order.certificate_id
        fingerprints = set(served(site).values())
        assert fingerprints == {order.certificate.fingerprint_sha256}

    final = services.balance(voucher)
    assert (final.spent, final.reserved, final.left) == (USES, 0, 0)
    assert final.status == "exhausted"
    assert own_sandbox.ca.desk.book.find(CODE).used == USES
