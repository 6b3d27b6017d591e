"""The health cycle as beat starts it: the periodic task on a real Celery worker
fans out batches to the same worker, which shakes hands with every secured site."""

import time

import pytest

from apps.certificates.lifecycle import tasks
from apps.certificates.models import HealthCheck
from apps.certificates.services import run_order, start_order
from apps.fleet.plesk import PleskClient
from tests.lifecycle import pki
from tests.pipeline.helpers import fresh_voucher, pick_sites

pytestmark = pytest.mark.slow


def _checks_of(site, count: int, timeout: float = 60.0) -> list[HealthCheck]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = list(HealthCheck.objects.filter(site=site).order_by("checked_at"))
        if len(found) >= count:
            return found
        time.sleep(0.3)
    raise AssertionError(f"no {count} health checks of {site} after {timeout}s")


def test_drift_shows_within_one_cycle_of_the_periodic_task(
    transactional_db, celery_worker, registered_sandbox
):
    site, neighbour = pick_sites(2)
    for each in (site, neighbour):
        order = start_order(site=each, voucher=fresh_voucher(registered_sandbox))
        run_order(order.pk)

    tasks.check_all.delay()
    (first,) = _checks_of(site, 1)
    assert first.ok, first.error
    assert _checks_of(neighbour, 1)[0].ok

    lab = pki.LabCA("By Hand")
    by_hand = lab.leaf(site.name)
    with PleskClient.for_server(site.server) as client:
        client.install_certificate(
            site, "by-hand", by_hand.key_pem, by_hand.pem, lab.intermediate.pem
        )
        client.bind_certificate(site, "by-hand")

    tasks.check_all.delay()
    second = _checks_of(site, 2)[-1]
    assert not second.ok and not second.matches_installed
    assert second.served_fingerprint == by_hand.fingerprint
    assert _checks_of(neighbour, 2)[-1].ok
