"""Recording is idempotent: a worker that died after the record step committed
but before its log line was written resumes there without a second certificate
or a second voucher use."""

from apps.certificates.models import Certificate, Order
from apps.certificates.services import record, run_order, start_order
from tests.pipeline.helpers import fresh_voucher, pick_sites


def test_recording_again_changes_nothing(registered_sandbox):
    (site,) = pick_sites()
    voucher = fresh_voucher(registered_sandbox, uses=2)
    order = start_order(site=site, voucher=voucher, contact_email="ops@example.org")
    run_order(order.pk)
    order.refresh_from_db()
    assert order.state == Order.State.DONE, (order.error_code, order.error_message)

    again = record.record(Order.objects.get(pk=order.pk))

    assert again == order.certificate
    assert Certificate.objects.filter(site=site).count() == 1
    voucher.refresh_from_db()
    assert (voucher.uses_spent, voucher.uses_reserved) == (1, 0)
