"""The main job through a real Celery worker: a super voucher pushed onto the fleet.

Runs against the session sandbox over sockets: every eligible site ends serving a
certificate that chains to the sandbox CA's root (TLS handshake with SNI), sites
outside the voucher's ranges end -9019 and risky names -5001 while serving what
they served before, no use is spent on them, and a second push orders nothing new.
A worker killed halfway through a push does not stop it.
"""

import time
from datetime import timedelta

import pytest

from apps.bulk import demo, services
from apps.ca import errors
from apps.certificates.models import Order, OrderStep
from apps.vouchers.models import Voucher
from tests.pipeline.helpers import fresh_voucher, pick_sites, served

pytestmark = pytest.mark.slow
CONTACT = "noc@provider.example"
LOCAL_REFUSALS = {errors.IP_OUT_OF_RANGE, errors.SITE_NO_HOSTING}


def follow(push, timeout=300.0, resume_every=None):
    """Wait for the push to finish, re-sending stalled work when asked to."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = services.progress(push)
        if state.complete and state.running == 0:
            return state
        if resume_every:
            services.resume_stalled(push, grace=timedelta(seconds=resume_every))
        time.sleep(1.0)
    raise AssertionError(f"push {push.pk} unfinished: {services.progress(push)}")


def test_a_killed_worker_mid_push_still_finishes(
    transactional_db, celery_worker, registered_sandbox, settings
):
    settings.CERTFLEET_LEASE_SECONDS = 30
    sites = pick_sites(6)
    voucher = fresh_voucher(registered_sandbox)
    push = services.create_push(
        user=registered_sandbox.staff,
        voucher=voucher,
        sites=sites,
        contact_email=CONTACT,
    )
    deadline = time.monotonic() + 120
    while services.progress(push).done < 1 and time.monotonic() < deadline:
        time.sleep(0.2)

    celery_worker.kill()
    killed_at = services.progress(push)
    celery_worker.start()
    state = follow(push, resume_every=5)

    assert killed_at.done < len(sites), "the kill came too late to prove anything"
    assert (state.done, state.failed, state.held) == (len(sites), 0, 0)
    for site in sites:
        site.refresh_from_db()
        fingerprint = site.current_certificate.fingerprint_sha256
        assert set(served(site).values()) == {fingerprint}
    # Never ordered twice: one certificate per site, one use per certificate.
    assert OrderStep.objects.filter(
        order__push=push, name="real_order", outcome="ok"
    ).count() == len(sites)
    assert Voucher.objects.get(pk=voucher.pk).uses_spent == len(sites)


def test_the_super_voucher_onto_every_site(
    transactional_db, celery_worker, registered_sandbox
):
    setup = registered_sandbox
    sites = list(services.select_sites(setup.staff, {}))
    before = demo.served_now(sites)
    push = services.create_push(
        user=setup.staff, voucher=setup.voucher, sites=sites, contact_email=CONTACT
    )
    state = follow(push)

    orders = Order.objects.filter(push=push)
    failed = orders.filter(state=Order.State.FAILED)
    assert set(failed.values_list("error_code", flat=True)) <= LOCAL_REFUSALS
    assert failed.filter(error_code=errors.IP_OUT_OF_RANGE).exists()
    held = orders.filter(state=Order.State.HELD)
    assert held.exists()
    assert set(held.values_list("error_code", flat=True)) == {errors.HIGH_RISK_NAME}

    eligible = demo_flow_eligible(push)
    good, bad = demo.chaining_to_root(eligible, setup.authority.trusted_roots)
    assert bad == [] and len(good) == state.done > 0

    refused = orders.filter(state__in=["failed", "held"]).values_list("site_id")
    unchanged = demo.served_now(s for s in sites if (s.pk,) in set(refused))
    assert all(unchanged[pk] == before[pk] for pk in unchanged)
    voucher = Voucher.objects.get(pk=setup.voucher.pk)
    assert (voucher.uses_spent, voucher.uses_reserved) == (state.done, 0)
    assert not OrderStep.objects.filter(
        order__state__in=["failed", "held"], order__push=push, name="ca_check"
    ).exists()

    again = services.create_push(
        user=setup.staff, voucher=setup.voucher, sites=sites, contact_email=CONTACT
    )
    second = follow(again)
    assert second.already_done == state.done
    assert not OrderStep.objects.filter(order__push=again, name="ca_check").exists()
    assert Voucher.objects.get(pk=setup.voucher.pk).uses_spent == state.done


def demo_flow_eligible(push):
    from apps.bulk.demo_flow import eligible_sites

    return list(eligible_sites(push))
