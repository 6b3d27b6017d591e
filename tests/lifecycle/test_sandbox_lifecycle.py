"""The lifecycle against the sandbox: Plesk servers and the voucher CA on loopback,
reached over sockets; orders run in this process as the task would run them.

Renewals go through the real pipeline with the clock moved forward; a certificate
replaced by hand in Plesk shows up as drift in the next health cycle; revocation
proves control of the site at the CA and puts the site's binding back.
"""

import datetime as dt
import uuid

import pytest

from apps.accounts.models import Account
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import coverage, health, renewal
from apps.certificates.lifecycle.models import Notice, Renewal
from apps.certificates.lifecycle.revocation import revoke
from apps.certificates.models import Certificate, Order
from apps.certificates.services import run_order, start_order
from apps.core import clock
from apps.fleet.plesk import PleskClient
from apps.vouchers.models import Voucher
from tests.lifecycle import pki
from tests.pipeline.helpers import NETWORKS, fresh_voucher, pick_sites, served


@pytest.fixture
def setup(registered_sandbox):
    yield registered_sandbox
    clock.reset()


def _issue(site, voucher) -> Certificate:
    order = start_order(site=site, voucher=voucher, contact_email="ops@example.org")
    run_order(order.pk)
    order.refresh_from_db()
    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    return order.certificate


def _customer(setup, name: str, auto_renew: bool) -> Account:
    return Account.objects.create(
        kind=Account.Kind.CUSTOMER,
        name=name,
        parent=setup.provider,
        auto_renew=auto_renew,
        email=f"{name.lower().replace(' ', '-')}@example.org",
    )


def _monthly_voucher(setup) -> Voucher:
    """A monthly voucher (31-day certificates), at the CA and in the portal."""
    code = "M" + uuid.uuid4().hex[:15].upper()
    for look_alike, plain in (("O", "A"), ("I", "B"), ("L", "C"), ("1", "7")):
        code = code.replace(look_alike, plain)
    code = code.replace("0", "8")
    setup.sandbox.ca.add_voucher(
        code, "monthly", NETWORKS, uses=12, certificate_days=31, platform="plesk"
    )
    return Voucher.objects.create(
        code=code,
        kind=Voucher.Kind.MONTHLY,
        certificate_days=31,
        expires_at=clock.now() + dt.timedelta(days=365),
        networks=NETWORKS,
        platform="plesk",
        uses_allowed=12,
        owner=setup.provider,
    )


def _lengthen(setup, voucher) -> None:
    """The CA dates certificates by the real time, not by the moved clock: make the
    next ones last long enough to be clear of the renewal horizon at the moved time."""
    with setup.sandbox.ca.desk.lock:
        setup.sandbox.ca.desk.book.find(voucher.code).certificate_days = 365


def _run_renewals(rounds: int = 10) -> None:
    """What beat and the workers do: dispatch, run the orders, follow up."""
    for _ in range(rounds):
        renewal.dispatch_renewals()
        running = list(Renewal.objects.filter(state=Renewal.State.RUNNING))
        if not running:
            return
        for open_renewal in running:
            run_order(open_renewal.order_id)


def test_due_monthly_certificates_are_renewed_on_opted_in_sites_only_once(setup):
    keen = _customer(setup, "Keen Customer", auto_renew=True)
    idle = _customer(setup, "Idle Customer", auto_renew=False)
    sites = pick_sites(4)
    for site in sites:
        site.owner = idle if site is sites[-1] else keen
        site.save(update_fields=["owner"])
    vouchers = {s.pk: _monthly_voucher(setup) for s in sites}
    old = {s.pk: _issue(s, vouchers[s.pk]) for s in sites}
    for voucher in vouchers.values():
        _lengthen(setup, voucher)

    # A monthly certificate is renewed ~10 days (a third of its life) before it ends.
    first = min(c.not_after for c in old.values())
    clock.advance(first - clock.now() - dt.timedelta(days=11))
    assert renewal.plan_renewals() == []
    clock.advance(dt.timedelta(days=2))
    planned = renewal.plan_renewals()
    assert sorted(r.site_id for r in planned) == sorted(s.pk for s in sites[:3])
    times = [r.scheduled_at for r in planned]
    assert len(set(times)) == 3
    assert all(clock.now() <= t < clock.now() + dt.timedelta(hours=24) for t in times)

    clock.advance(dt.timedelta(hours=24))
    _run_renewals()

    for site in sites[:3]:
        site.refresh_from_db()
        before = Certificate.objects.get(pk=old[site.pk].pk)
        assert before.status == Certificate.Status.REPLACED
        new = site.current_certificate
        assert new.pk != before.pk and new.not_after > before.not_after
        assert coverage.covers(coverage.names_of(new), coverage.names_of(before)) == []
        assert set(served(site).values()) == {new.fingerprint_sha256}
        assert Renewal.objects.get(certificate=before).state == Renewal.State.DONE
    idle_site = sites[-1]
    idle_site.refresh_from_db()
    assert idle_site.current_certificate_id == old[idle_site.pk].pk

    # Nothing is renewed twice, however often the periodic tasks run.
    assert renewal.plan_renewals() == []
    _run_renewals()
    assert Order.objects.filter(kind=Order.Kind.RENEWAL).count() == 3

    # The opted-out site is warned instead, once per threshold.
    from apps.certificates.lifecycle import digest

    warned = digest.warn_expiring()
    assert [n.site_id for n in warned] == [idle_site.pk]
    assert digest.warn_expiring() == []


def test_a_certificate_replaced_by_hand_shows_drift_in_one_health_cycle(setup):
    (site,) = pick_sites()
    installed = _issue(site, fresh_voucher(setup))
    assert all(c.ok for batch in health.batches() for c in health.check_sites(batch))

    # Someone installs and binds another certificate in Plesk, by hand.
    lab = pki.LabCA("By Hand")
    by_hand = lab.leaf(site.name)
    with PleskClient.for_server(site.server) as client:
        client.install_certificate(
            site, "by-hand", by_hand.key_pem, by_hand.pem, lab.intermediate.pem
        )
        client.bind_certificate(site, "by-hand")

    checks = [c for batch in health.batches() for c in health.check_sites(batch)]

    (check,) = [c for c in checks if c.site_id == site.pk]
    assert health.is_drift(check) and not check.ok
    assert check.served_fingerprint == by_hand.fingerprint
    assert not check.chain_complete  # not a root Certfleet trusts
    # Flagged, not overwritten: the site keeps serving what was put there by hand.
    site.refresh_from_db()
    assert site.current_certificate_id == installed.pk
    assert set(served(site).values()) == {by_hand.fingerprint}
    assert setup.sandbox.fleet.binding(site.name).certificate_name == "by-hand"


def test_revocation_proves_control_tells_the_ca_and_restores_the_site(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    (site,) = pick_sites()
    certificate = _issue(site, fresh_voucher(setup))
    before = served(site)
    spelled = ":".join(
        certificate.serial_hex[i : i + 2] for i in range(0, 16, 2)
    ).upper()

    with django_capture_on_commit_callbacks(execute=True):
        revoked = revoke(user=setup.staff, site=site, serial_text=spelled, confirm=True)

    assert revoked.status == Certificate.Status.REVOKED and revoked.revoked_at
    assert setup.sandbox.ca.is_revoked(int(certificate.serial_hex, 16))
    assert served(site) == before  # the binding is back, the temporary one gone
    assert not [n for n in setup.sandbox.fleet.pool(site.name) if "revoke" in n]
    assert Notice.objects.filter(event="revoked", certificate=certificate).exists()
    assert any("revoked" in m.subject for m in mailoutbox)

    # The CA's own answer when it already knows: -6029, and the record follows it.
    Certificate.objects.filter(pk=certificate.pk).update(status="active")
    with pytest.raises(CertfleetError) as caught:
        revoke(
            user=setup.staff,
            site=site,
            serial_text=certificate.serial_hex,
            confirm=True,
        )
    assert caught.value.code == errors.ALREADY_REVOKED
    assert "check the serial" in str(caught.value.info.advice).lower()
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED


def test_the_ca_refuses_unknown_and_expired_serials_with_advice(setup):
    site, other = pick_sites(2)
    unknown = pki.record(site, pki.LabCA().leaf(site.name))
    with pytest.raises(CertfleetError) as caught:
        revoke(
            user=setup.staff,
            site=site,
            serial_text=unknown.serial_hex,
            confirm=True,
        )
    assert caught.value.code == errors.SERIAL_UNKNOWN
    assert "0100011617904c9e" in str(caught.value.info.advice)
    unknown.refresh_from_db()
    assert unknown.status == Certificate.Status.ACTIVE

    expired = _issue(other, fresh_voucher(setup))
    clock.advance(expired.not_after - clock.now() + dt.timedelta(days=1))
    with pytest.raises(CertfleetError) as caught:
        revoke(
            user=setup.staff,
            site=other,
            serial_text=expired.serial_hex,
            confirm=True,
        )
    assert caught.value.code == errors.CANNOT_REVOKE
    assert caught.value.info.advice == errors.lookup(errors.CANNOT_REVOKE).advice


def test_a_failing_renewal_retries_with_growing_pauses_and_alerts_once(setup):
    keen = _customer(setup, "Patient Customer", auto_renew=True)
    (site,) = pick_sites()
    site.owner = keen
    site.save(update_fields=["owner"])
    voucher = _monthly_voucher(setup)
    old = _issue(site, voucher)
    _lengthen(setup, voucher)
    clock.advance(old.not_after - clock.now() - dt.timedelta(days=9))
    (planned,) = renewal.plan_renewals()
    clock.advance(planned.scheduled_at - clock.now())

    setup.sandbox.ca.set_account(credit=False)  # the CA account runs dry
    pauses = []
    for _ in range(2):
        _run_renewals()
        planned.refresh_from_db()
        assert planned.state == Renewal.State.WAITING
        assert planned.error_code == errors.NO_CREDIT
        pauses.append(planned.scheduled_at - clock.now())
        assert renewal.dispatch_renewals() == []  # nothing before its time
        clock.advance(pauses[-1])
    assert [round(p.total_seconds() / 60) for p in pauses] == [15, 60]

    (alert,) = Notice.objects.filter(event="failed")
    assert alert.data["code"] == errors.NO_CREDIT and alert.data["retry_at"]
    assert alert.certificate_id == old.pk and alert.digest

    setup.sandbox.ca.set_account()  # topped up: the next try goes through
    _run_renewals()
    planned.refresh_from_db()
    site.refresh_from_db()
    assert planned.state == Renewal.State.DONE and planned.attempts == 3
    assert site.current_certificate_id != old.pk
    assert Notice.objects.filter(event="failed").count() == 1
    assert Order.objects.filter(site=site, kind=Order.Kind.RENEWAL).count() == 3


def test_a_revocation_that_died_halfway_is_undone_later(setup):
    from apps.ca.backends.voucher import VoucherBackend
    from apps.certificates.lifecycle import control
    from apps.certificates.lifecycle.models import Revocation
    from apps.certificates.lifecycle.revocation import restore_abandoned

    (site,) = pick_sites()
    certificate = _issue(site, fresh_voucher(setup))
    before = served(site)
    attempt = Revocation.objects.create(
        certificate=certificate, requested_by=setup.staff, started_at=clock.now()
    )
    # The steps up to the temporary certificate run, then the worker dies.
    backend = VoucherBackend(setup.authority)
    control.show_temporary(attempt, backend, control.open_proof(attempt, backend))
    assert served(site) != before

    assert restore_abandoned() == 0  # still young: it may be running
    clock.advance(dt.timedelta(minutes=16))
    assert restore_abandoned() == 1

    attempt.refresh_from_db()
    assert attempt.state == Revocation.State.FAILED and attempt.step == "restored"
    assert served(site) == before
    assert not [n for n in setup.sandbox.fleet.pool(site.name) if "revoke" in n]
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.ACTIVE
    assert not setup.sandbox.ca.is_revoked(int(certificate.serial_hex, 16))
