"""Failures at each step leave the site serving what it served before, with a clear
code, and spend no voucher use; an issued certificate is never ordered again.

The orders run in this process (run_order, as the task would call it) against the
sandbox over sockets, so faults can be set between runs.
"""

import pytest

from apps.ca import errors
from apps.certificates.models import Order, OrderStep
from apps.certificates.services import retry_order, run_order, start_order
from apps.vouchers.models import Voucher
from tests.pipeline.helpers import fresh_voucher, pick_sites, served


@pytest.fixture
def setup(registered_sandbox):
    yield registered_sandbox
    for server in registered_sandbox.sandbox.fleet.servers:
        server.faults.clear()
    registered_sandbox.sandbox.ca.set_account()
    registered_sandbox.sandbox.ca.clear_faults()


def _order(setup, site, voucher) -> Order:
    order = start_order(site=site, voucher=voucher, contact_email="ops@example.org")
    assert order.state == Order.State.PENDING, (order.error_code, order.error_message)
    return order


def _run(order: Order) -> Order:
    run_order(order.pk)
    order.refresh_from_db()
    return order


def _faults(setup, site):
    return setup.sandbox.fleet.server(site.server.name).faults


def _uses(voucher) -> tuple[int, int]:
    fresh = Voucher.objects.get(pk=voucher.pk)
    return fresh.uses_reserved, fresh.uses_spent


def _added(setup, site) -> list[str]:
    pool = setup.sandbox.fleet.pool(site.name)
    return [name for name in pool if "ertfleet" in name]


def test_plesk_refusing_the_install_leaves_the_site_as_it_was(setup):
    (site,) = pick_sites()
    voucher = fresh_voucher(setup)
    before = served(site)
    _faults(setup, site).error_packet("certificate", "install", code=1023)
    order = _run(_order(setup, site, voucher))
    assert order.state == Order.State.FAILED
    assert 7100 < order.error_code < 7200, order.error_message
    assert order.error_advice
    assert served(site) == before
    assert _uses(voucher) == (0, 0)
    assert _added(setup, site) == []


def test_the_ca_refusing_leaves_the_site_as_it_was(setup):
    (site,) = pick_sites()
    voucher = fresh_voucher(setup)
    before = served(site)
    setup.sandbox.ca.set_account(credit=False)
    order = _run(_order(setup, site, voucher))
    assert (order.state, order.error_code) == (Order.State.FAILED, errors.NO_CREDIT)
    assert served(site) == before
    assert _uses(voucher) == (0, 0)


def test_an_issued_certificate_survives_install_bind_and_verify_failures(setup):
    (site,) = pick_sites()
    voucher = fresh_voucher(setup)
    before = served(site)
    faults = _faults(setup, site)

    # The temporary certificate cannot be removed (once): everything is rolled
    # back, but the certificate the CA issued stays on the order.
    faults.error_packet("certificate", "remove", code=1023, times=1)
    order = _run(_order(setup, site, voucher))
    assert order.state == Order.State.FAILED and order.issued_cert_pem
    assert served(site) == before and _added(setup, site) == []
    issued = order.issued_cert_pem
    faults.clear()

    # Installing it fails: retried from the install, not ordered again.
    faults.error_packet("certificate", "install", code=1023)
    order = _run(retry_order(order))
    assert order.error_code == errors.PLESK_FAILED, order.error_message
    assert order.state == Order.State.FAILED and served(site) == before
    faults.clear()

    # Plesk says it bound the certificate but did not: the handshake finds out.
    faults.swallow("site", "set")
    faults.swallow("webspace", "set")
    order = _run(retry_order(order))
    assert order.error_code == errors.VERIFY_WRONG_CERT, order.error_message
    assert served(site) == before
    faults.clear()

    order = _run(retry_order(order))
    assert order.state == Order.State.DONE, order.error_message
    assert order.certificate.cert_pem == issued
    assert set(served(site).values()) == {order.certificate.fingerprint_sha256}
    assert order.steps.filter(name="real_order").count() == 1
    assert _uses(voucher) == (0, 1)


def test_sites_outside_the_range_and_risky_names_are_refused_before_the_ca(setup):
    (outside,) = pick_sites(in_range=False)
    (risky,) = pick_sites(risky=True)
    voucher = fresh_voucher(setup)
    before = {site.pk: served(site) for site in (outside, risky)}

    refused = start_order(site=outside, voucher=voucher, contact_email="a@b.example")
    held = start_order(site=risky, voucher=voucher, contact_email="a@b.example")

    assert (refused.state, refused.error_code) == ("failed", errors.IP_OUT_OF_RANGE)
    assert (held.state, held.error_code) == ("held", errors.HIGH_RISK_NAME)
    assert not OrderStep.objects.filter(name="ca_check").exists()
    assert {site.pk: served(site) for site in (outside, risky)} == before
    assert _uses(voucher) == (0, 0)


def test_a_rollback_plesk_refuses_is_reported_with_what_is_left(setup):
    (site,) = pick_sites()
    voucher = fresh_voucher(setup)
    before = served(site)
    _faults(setup, site).error_packet("certificate", "remove", code=1023)
    order = _run(_order(setup, site, voucher))
    assert order.error_code == errors.ROLLBACK_FAILED
    assert "left on Plesk" in order.error_message
    # The binding came back even though the pool could not be cleaned.
    assert served(site) == before
    assert set(_added(setup, site)) == {
        order.installed_name,
        order.temp_certificate_name,
    }


@pytest.fixture
def quick_probe(setup):
    """The CA gives up looking for the temporary certificate after 2 s (180 s real)."""
    desk = setup.sandbox.ca.desk
    saved = desk.probe_deadline, desk.probe_interval
    desk.probe_deadline, desk.probe_interval = 2.0, 0.1
    yield
    desk.probe_deadline, desk.probe_interval = saved


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("binding the temporary certificate", errors.PLESK_FAILED),
        ("the CA's probe before the real order", errors.TEMP_CERT_NOT_SEEN),
    ],
)
def test_failures_around_the_temporary_certificate_roll_back(
    setup, quick_probe, where, code
):
    (site,) = pick_sites()
    voucher = fresh_voucher(setup)
    before = served(site)
    faults = _faults(setup, site)
    for operator in ("site", "webspace"):
        if code == errors.PLESK_FAILED:
            faults.error_packet(operator, "set", code=1023, times=1)
        else:  # Plesk answers ok but the site keeps serving what it did
            faults.swallow(operator, "set", times=1)

    order = _run(_order(setup, site, voucher))

    assert (order.state, order.error_code) == (Order.State.FAILED, code), where
    assert order.error_message and order.error_advice
    assert served(site) == before
    assert _added(setup, site) == []
    assert _uses(voucher) == (0, 0)
