"""A real order whose outcome is unknown (the CA's answer came after the client gave
up) is asked again with the same CA order and CSR: the CA answers with the
certificate it issued, so exactly one certificate is issued and one use spent.

The sandbox CA's fault injection delays GSOneClickOrderReal beyond the client's
timeout; orders run in this process (run_order, as the task would, again after
the countdown of its RetryLater).
"""

import time

import pytest

from apps.ca.backends import voucher as voucher_backend
from apps.certificates.models import Order, OrderStep
from apps.certificates.services import RetryLater, run_order, start_order
from apps.vouchers.models import Voucher
from tests.pipeline.helpers import fresh_voucher, pick_sites, served

TIMEOUT = 3.0
REAL = "GSOneClickOrderReal"


@pytest.fixture
def setup(registered_sandbox, monkeypatch):
    # The real order normally waits minutes for the CA's probe; here the
    # authority's own (short) timeout applies to it too.
    monkeypatch.setattr(voucher_backend, "PROBE_ALLOWANCE", 0.0)
    registered_sandbox.authority.timeout = TIMEOUT
    registered_sandbox.authority.save()
    yield registered_sandbox
    registered_sandbox.sandbox.ca.clear_faults()


def _run_to_the_end(order: Order) -> tuple[Order, int]:
    """run_order until it stops asking to run again; (order, runs)."""
    for runs in range(1, 6):
        try:
            run_order(order.pk)
        except RetryLater as again:
            time.sleep(again.countdown)
            continue
        order.refresh_from_db()
        return order, runs
    raise AssertionError(f"order {order.pk} still asks to run again")


@pytest.mark.parametrize("late", [True, False], ids=["answer-late", "slow-start"])
def test_a_timed_out_real_order_is_asked_again_not_ordered_twice(setup, late):
    ca = setup.sandbox.ca
    (site,) = pick_sites()
    voucher = fresh_voucher(setup, uses=5)
    # answer-late: the CA issues at once but answers after the client gave up.
    # slow-start: the CA starts after the client gave up (and the site was rolled
    # back meanwhile), so it issues only once the temporary certificate is back.
    ca.inject(latency=TIMEOUT + 2, late=late, operation=REAL)

    order = start_order(site=site, voucher=voucher, contact_email="ops@example.org")
    order, runs = _run_to_the_end(order)

    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert runs == 2
    assert len(ca.issued_for(site.name)) == 1
    assert ca.uses_left(voucher.code) == 4
    assert Voucher.objects.get(pk=voucher.pk).uses_spent == 1
    steps = OrderStep.objects.filter(order=order)
    assert steps.filter(name="ca_check").count() == 1, "one CA order, asked twice"
    outcomes = steps.filter(name="real_order").values_list("outcome", flat=True)
    assert list(outcomes) == ["failed", "ok"]
    assert set(served(site).values()) == {order.certificate.fingerprint_sha256}
