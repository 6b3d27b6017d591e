"""The CA is sent the voucher code as its supplier printed it, not our stored form:
a CA need not fold separators the way we do."""

import uuid
from datetime import timedelta

from apps.certificates.models import Order
from apps.certificates.services import run_order, start_order
from apps.core import clock
from apps.vouchers import codes
from apps.vouchers.models import Voucher
from tests.pipeline.helpers import NETWORKS, pick_sites, served


def printed_voucher(registered, uses: int) -> Voucher:
    """A voucher printed with underscores, filed at the CA in that form only (we
    drop underscores when storing a code; the CA keeps them)."""
    body = uuid.uuid4().hex[:16].upper()
    printed = "_".join(body[i : i + 4] for i in range(0, 16, 4))
    registered.sandbox.ca.add_voucher(printed, "super", NETWORKS, uses=uses)
    return Voucher.objects.create(
        code=codes.normalize(printed),
        issued_code=printed,
        kind="super",
        certificate_days=365,
        expires_at=clock.now() + timedelta(days=365),
        networks=NETWORKS,
        platform="plesk",
        uses_allowed=uses,
        owner=registered.provider,
    )


def test_the_ca_is_sent_the_printed_code(registered_sandbox):
    (site,) = pick_sites()
    voucher = printed_voucher(registered_sandbox, uses=3)
    assert voucher.ca_code != voucher.code

    order = start_order(site=site, voucher=voucher, contact_email="ops@example.org")
    run_order(order.pk)
    order.refresh_from_db()

    assert order.state == Order.State.DONE, (order.error_code, order.error_message)
    assert registered_sandbox.sandbox.ca.uses_left(voucher.issued_code) == 2
    assert set(served(site).values()) == {order.certificate.fingerprint_sha256}
