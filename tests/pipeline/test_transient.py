"""A transient failure is retried by the worker with backoff and the order finishes;
the retry repeats only what the failure undid."""

from apps.certificates.models import Order, OrderStep
from apps.certificates.services import start_order
from tests.pipeline.helpers import fresh_voucher, pick_sites, served, wait_finished


def test_the_ca_answering_503_once_is_retried_to_done(
    transactional_db, celery_worker, registered_sandbox
):
    (site,) = pick_sites()
    voucher = fresh_voucher(registered_sandbox)
    ca = registered_sandbox.sandbox.ca
    ca.inject(http_status=503, times=1)
    try:
        order = start_order(site=site, voucher=voucher, contact_email="a@b.example")
        order = wait_finished(order, timeout=120)
    finally:
        ca.clear_faults()

    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert order.attempts == 2
    checks = OrderStep.objects.filter(order=order, name="ca_check")
    assert list(checks.values_list("outcome", flat=True)) == ["failed", "ok"]
    assert OrderStep.objects.filter(order=order, name="real_order").count() == 1
    assert set(served(site).values()) == {order.certificate.fingerprint_sha256}
