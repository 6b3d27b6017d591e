"""The pipeline tells people how an order ended, through the lifecycle notices:
an order placed by hand is mailed at once, a push's orders wait for the digest, and
the order's contact hears of each outcome exactly once.

Orders run in this process (run_order, as the task would) against the sandbox;
mail goes to Django's locmem outbox.
"""

import pytest

from apps.bulk.models import Push
from apps.ca import errors
from apps.certificates.lifecycle import digest
from apps.certificates.lifecycle.models import Notice
from apps.certificates.models import Order
from apps.certificates.services import run_order, start_order
from tests.pipeline.helpers import fresh_voucher, pick_sites

CONTACT = "buyer@contact.example"


@pytest.fixture
def setup(registered_sandbox):
    yield registered_sandbox
    registered_sandbox.sandbox.ca.set_account()


def _run(site, voucher, capture, push=None) -> Order:
    order = start_order(site=site, voucher=voucher, contact_email=CONTACT, push=push)
    with capture(execute=True):
        run_order(order.pk)
    order.refresh_from_db()
    return order


def _to_contact(mailbox) -> list:
    return [m for m in mailbox if CONTACT in m.to]


def test_an_issued_order_tells_its_contact_once(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    (site,) = pick_sites()
    order = _run(site, fresh_voucher(setup), django_capture_on_commit_callbacks)

    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    (mail,) = _to_contact(mailoutbox)
    assert mail.subject == f"Certificate issued for {site.display_name}"
    assert order.certificate.serial_hex in mail.body
    assert mail.alternatives, "the notice has an HTML part too"
    notice = Notice.objects.get(order=order)
    assert (notice.event, notice.digest) == (Notice.Event.ISSUED, False)
    assert notice.sent_at is not None


def test_a_failed_order_tells_its_contact_the_code_and_advice(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    (site,) = pick_sites()
    setup.sandbox.ca.set_account(credit=False)
    order = _run(site, fresh_voucher(setup), django_capture_on_commit_callbacks)

    assert (order.state, order.error_code) == (Order.State.FAILED, errors.NO_CREDIT)
    (mail,) = _to_contact(mailoutbox)
    assert str(errors.NO_CREDIT) in mail.subject
    assert order.error_advice in mail.body
    assert Notice.objects.get(order=order).event == Notice.Event.FAILED


def test_a_pushed_order_waits_for_the_digest(
    setup, mailoutbox, django_capture_on_commit_callbacks
):
    (site,) = pick_sites()
    voucher = fresh_voucher(setup)
    push = Push.objects.create(
        voucher=voucher, state=Push.State.RUNNING, contact_email=CONTACT
    )
    order = _run(site, voucher, django_capture_on_commit_callbacks, push=push)

    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert _to_contact(mailoutbox) == []
    notice = Notice.objects.get(order=order)
    assert (notice.event, notice.digest) == (Notice.Event.ISSUED, True)

    digest.send_digests()
    (mail,) = _to_contact(mailoutbox)
    assert site.display_name in mail.body
