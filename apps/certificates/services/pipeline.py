"""One certificate, step by step (DESIGN.md steps 1-8).

Each step's outcome is saved on the order (`Order.step` names the last one done)
before the next starts, so a retried or resumed task continues where it stopped. A
certificate the CA issued is kept on the order and never ordered again.
"""

import logging
from dataclasses import dataclass, field

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.certificates.services import orders, plesk_steps, steplog
from apps.certificates.services import steps as s

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BUSY_DELAY = 3.0

# (name recorded when done, function). The order resumes after its `step`.
STEPS = [
    ("checks", s.local),
    ("dns", s.dns),
    ("key", s.key),
    ("snapshot", s.snapshot),
    ("ca_check", s.ca_check),
    ("temp_installed", s.temp_install),
    ("real_order", s.real_order),
    ("validated", s.validate),
    ("installed", s.install),
    ("verified", s.verify),
    ("recorded", s.record),
]
NAMES = [name for name, _ in STEPS]


class RetryLater(Exception):
    """The task should run again after `countdown` seconds."""

    def __init__(self, countdown: float, reason: str = "") -> None:
        super().__init__(reason or f"retry in {countdown}s")
        self.countdown = countdown


@dataclass
class Run:
    order: Order
    holder: str
    cache: dict = field(default_factory=dict)

    def close(self) -> None:
        plesk = self.cache.pop("plesk", None)
        if plesk is not None:
            plesk.close()


def remaining(order: Order) -> list:
    done = NAMES.index(order.step) + 1 if order.step in NAMES else 0
    return STEPS[done:]


def run_order(order_id: int) -> Order:
    """Claim the order and carry it as far as it goes. Raises RetryLater when the
    server has no free slot or a transient failure wants another try."""
    from apps.bulk import limits

    order = Order.objects.select_related("site__server", "voucher", "authority").get(
        pk=order_id
    )
    if order.state not in orders.ACTIVE:
        return order
    holder = orders.holder_name()
    slot = limits.acquire(order.site.server, holder)
    if slot is None:
        raise RetryLater(BUSY_DELAY, f"server {order.site.server} busy")
    try:
        if not orders.claim(order.pk, holder):
            return Order.objects.get(pk=order.pk)
        order.refresh_from_db()
        run = Run(order, holder)
        try:
            _carry(run, slot)
        finally:
            run.close()
    finally:
        limits.release(slot)
    return order


def _carry(run: Run, slot) -> None:
    from apps.bulk import limits

    order = run.order
    for name, function in remaining(order):
        orders.renew(order, run.holder)
        limits.renew(slot)
        try:
            with steplog.step(order, name) as log:
                function(run, log)
        except CertfleetError as exc:
            _failed(run, name, exc)
            return
        except orders.LeaseLost:
            raise
        except Exception as exc:
            logger.exception("order %s site %s: step %s", order.pk, order.site, name)
            _failed(run, name, CertfleetError(errors.INTERNAL, repr(exc)))
            return
        if order.state == Order.State.HELD:
            return
        order.step = name
        order.save()
    orders.finish(order, Order.State.DONE)
    logger.info("order %s site %s: done", order.pk, order.site)


def resume_point(order: Order) -> str:
    """After a rollback: keep what is still true. An issued certificate is kept
    (installed again); a real order of unknown outcome keeps its key, CSR and CA
    order (asked again, never anew); otherwise a new key, snapshot and CA check
    are made."""
    if order.issued_cert_pem:
        return "validated"
    if order.real_order_asked_at:
        return "ca_check"
    return "dns" if NAMES.index(order.step or "checks") >= NAMES.index("dns") else ""


def _failed(run: Run, name: str, exc: CertfleetError) -> None:
    order = run.order
    logger.warning(
        "order %s site %s server %s: %s failed: %s",
        order.pk,
        order.site,
        order.site.server,
        name,
        exc,
    )
    try:
        plesk_steps.rollback(order, run.cache.get("plesk"))
    except CertfleetError as rollback_error:
        exc = rollback_error
    if NAMES.index(name) > NAMES.index("snapshot") and order.step in NAMES:
        order.step = resume_point(order)
    if exc.transient and order.attempts < MAX_ATTEMPTS:
        delay = min(60, 2**order.attempts)
        orders.park(order, delay)
        raise RetryLater(delay + 0.5, str(exc))
    if order.real_order_asked_at and not order.issued_cert_pem:
        logger.warning(
            "order %s site %s: the CA may have issued under CA order %s; a retry "
            "asks again for it with the same CSR",
            order.pk,
            order.site,
            order.ca_order_id,
        )
    _release_unless_issued(order)
    orders.finish(order, Order.State.FAILED, exc)


def _release_unless_issued(order: Order) -> None:
    """The use goes back unless the CA issued (then a retry installs that one)."""
    from apps.vouchers import services as vouchers

    if order.voucher_id and not order.issued_cert_pem:
        vouchers.release(order)
