"""A worker killed between getting the test certificate and logging the step: the
order resumes with the same test certificate instead of asking the CA for a second
one under the test order's id (which the CA refuses with -101)."""

from datetime import timedelta

import pytest

from apps.certificates.models import Order
from apps.certificates.services import pipeline, run_order, start_order, steps
from apps.core import clock
from tests.pipeline.helpers import fresh_voucher, pick_sites, served


def test_a_worker_killed_after_the_test_certificate_resumes(
    registered_sandbox, monkeypatch
):
    (site,) = pick_sites()
    voucher = fresh_voucher(registered_sandbox)
    order = start_order(site=site, voucher=voucher, contact_email="ops@example.org")

    def killed_after(run, log):
        steps.temp_install(run, log)
        raise KeyboardInterrupt("worker killed")  # not an Exception: nothing logged

    patched = [
        (name, killed_after if name == "temp_installed" else function)
        for name, function in pipeline.STEPS
    ]
    monkeypatch.setattr(pipeline, "STEPS", patched)
    with pytest.raises(KeyboardInterrupt):
        run_order(order.pk)
    monkeypatch.undo()
    assert Order.objects.get(pk=order.pk).step == "ca_check"

    # The lease runs out, another worker takes the order over.
    expired = clock.now() - timedelta(seconds=1)
    Order.objects.filter(pk=order.pk).update(lease_until=expired)
    run_order(order.pk)

    order.refresh_from_db()
    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert set(served(site).values()) == {order.certificate.fingerprint_sha256}
