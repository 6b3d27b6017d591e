"""Revocations of one site do not run at once: each claims the site first (a row
lock), so a second attempt is refused before it touches the site, with 7006 while
the first runs and -6029 once the certificate is revoked. Against the sandbox CA
and Plesk on loopback; the race itself with real processes on PostgreSQL.
"""

import pytest

from apps.accounts.models import User
from apps.ca import errors
from apps.ca.backends.voucher import VoucherBackend
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import control
from apps.certificates.lifecycle.models import Revocation
from apps.certificates.lifecycle.revocation import revoke
from apps.certificates.models import Certificate, Order
from apps.certificates.services import run_order, start_order
from apps.core import clock
from apps.fleet.models import Site
from tests.pipeline.helpers import fresh_voucher, pick_sites, served, wait_finished
from tests.vouchers.conftest import postgres  # noqa: F401
from tests.vouchers.processes import run_at_once

PARALLEL = 3


@pytest.fixture
def setup(registered_sandbox):
    yield registered_sandbox
    clock.reset()


def _issue(setup) -> Certificate:
    (site,) = pick_sites()
    order = start_order(site=site, voucher=fresh_voucher(setup))
    run_order(order.pk)
    # With committed rows (PostgreSQL race test) a session worker may have taken
    # the order's task first; either way, wait until it is finished.
    order = wait_finished(order)
    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    return order.certificate


def _revoke(user_id: int, site_id: int, serial: str) -> str:
    user = User.objects.get(pk=user_id)
    site = Site.objects.get(pk=site_id)
    return revoke(user=user, site=site, serial_text=serial, confirm=True).status


def test_a_second_revocation_while_one_runs_is_refused_untouched(setup):
    certificate = _issue(setup)
    site = certificate.site
    first = Revocation.objects.create(
        certificate=certificate, requested_by=setup.staff, started_at=clock.now()
    )
    backend = VoucherBackend(setup.authority)
    control.show_temporary(first, backend, control.open_proof(first, backend))
    during = served(site)

    with pytest.raises(CertfleetError) as caught:
        _revoke(setup.staff.pk, site.pk, certificate.serial_hex)
    assert caught.value.code == errors.ORDER_IN_PROGRESS
    assert f"revocation {first.pk}" in caught.value.detail
    assert served(site) == during  # the first attempt's temporary certificate
    assert Revocation.objects.filter(certificate__site=site).count() == 1
    assert not setup.sandbox.ca.is_revoked(int(certificate.serial_hex, 16))


def test_parallel_revocations_of_one_certificate_run_once(
    postgres,  # noqa: F811
    setup,
):
    certificate = _issue(setup)
    site = certificate.site
    before = served(site)

    outcomes = run_at_once(
        _revoke, [(setup.staff.pk, site.pk, certificate.serial_hex)] * PARALLEL
    )

    won = [detail for _, kind, detail in outcomes if kind == "ok"]
    refused = [detail[0] for _, kind, detail in outcomes if kind == "refused"]
    assert won == [Certificate.Status.REVOKED], outcomes
    assert len(refused) == PARALLEL - 1
    assert set(refused) <= {errors.ORDER_IN_PROGRESS, errors.ALREADY_REVOKED}
    # One attempt reached the CA and the site; the binding is back as it was.
    attempts = Revocation.objects.filter(certificate=certificate)
    assert list(attempts.values_list("state", flat=True)) == ["done"]
    assert setup.sandbox.ca.is_revoked(int(certificate.serial_hex, 16))
    assert served(site) == before
    assert not [n for n in setup.sandbox.fleet.pool(site.name) if "revoke" in n]
