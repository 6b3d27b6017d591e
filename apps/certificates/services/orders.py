"""Orders: made with their voucher use reserved, claimed by one worker at a time
(a lease that expires if the worker dies), and finished with a code and advice."""

import logging
import os
import socket
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.ca.models import CertificateAuthority
from apps.certificates.models import Order, OrderStep
from apps.certificates.services import checks, sitenames, steplog
from apps.core import clock

logger = logging.getLogger(__name__)
ACTIVE = (Order.State.PENDING, Order.State.RUNNING)


def lease_seconds() -> int:
    return int(getattr(settings, "CERTFLEET_LEASE_SECONDS", 300))


def holder_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def default_authority() -> CertificateAuthority | None:
    authorities = CertificateAuthority.objects.order_by("-is_default", "pk")
    return authorities.filter(backend="voucher").first() or authorities.first()


def send(order: Order, countdown: float = 0) -> None:
    from apps.certificates.tasks import run_order_task

    run_order_task.apply_async((order.pk,), countdown=countdown or None)


def create(*, site, voucher, requested_by, contact_email, kind, push) -> Order:
    """The order row, or 7006 when the site has one pending or running (the
    database's one_active_order_per_site decides between racing callers)."""
    authority = push.authority if push and push.authority_id else None
    try:
        with transaction.atomic():
            return Order.objects.create(
                site=site,
                voucher=voucher,
                authority=authority or default_authority(),
                push=push,
                kind=kind,
                names=[site.name],
                contact_email=contact_email,
                requested_by=requested_by,
            )
    except IntegrityError:
        refuse_if_active(site)
        raise


def refuse_if_active(site, order: Order | None = None) -> None:
    """7006 when another order for `site` is pending or running."""
    active = Order.objects.filter(site=site, state__in=ACTIVE)
    if order is not None:
        active = active.exclude(pk=order.pk)
    running = active.values_list("pk", flat=True).first()
    if running is not None:
        raise CertfleetError(
            errors.ORDER_IN_PROGRESS, f"order {running} for {site.name}"
        )


# How an order ended, as the lifecycle notices name it.
TOLD = {Order.State.DONE: "issued", Order.State.FAILED: "failed"}


def finish(order: Order, state: str, exc: CertfleetError | None = None) -> Order:
    """End the order; once that is committed, people hear how it ended (an order
    placed by hand at once, a push's or a renewal's in the digest)."""
    order.state = state
    order.finished_at = clock.now()
    order.claimed_by = ""
    order.lease_until = None
    if exc is not None:
        order.error_code = exc.code
        order.error_message = str(exc.info.message) + (
            f" ({exc.detail})" if exc.detail else ""
        )
        order.error_advice = str(exc.info.advice)
    order.save()
    if state in TOLD:
        transaction.on_commit(lambda: tell(order, TOLD[state]))
    return order


def tell(order: Order, event: str) -> None:
    """The lifecycle notice of the order's outcome; a failure to record or mail it
    never changes how the order ended."""
    from apps.certificates.lifecycle import notify

    try:
        notify(event, order)
    except Exception:
        logger.exception(
            "order %s site %s: the %s notice failed", order.pk, order.site, event
        )


def refuse_locally(order: Order, exc: CertfleetError) -> Order:
    """Ends an order that local checks refused: held for -5001, else failed."""
    steplog.note(order, "checks", OrderStep.Outcome.FAILED, f"{exc.code}: {exc}")
    held = exc.code == errors.HIGH_RISK_NAME
    return finish(order, Order.State.HELD if held else Order.State.FAILED, exc)


def start_order(
    *,
    site,
    voucher,
    requested_by=None,
    contact_email: str = "",
    kind: str = Order.Kind.NEW,
    push=None,
    names: list[str] | None = None,
) -> Order:
    """Make the order, check it locally, reserve a voucher use, and send the task
    after commit. A locally refused order ends at once, holding no use.

    `names`: further names the certificate must carry besides the site's own (a
    renewal passes those of the certificate it replaces); each must be the site's
    www form, an alias or subdomain of it, or the www form of one (else 7007,
    raised before any order is made). They go into the CSR whatever DNS says.
    """
    from apps.vouchers import services as vouchers

    refuse_if_active(site)
    further = sitenames.further_names(site, site.name.lower(), names or [])
    with transaction.atomic():
        order = create(
            site=site,
            voucher=voucher,
            requested_by=requested_by,
            contact_email=contact_email,
            kind=kind,
            push=push,
        )
        try:
            name = checks.site_checks(site)
            wanted = [name, *(n for n in further if n != name)]
            checks.voucher_checks(voucher, site, wanted, user=requested_by)
            vouchers.reserve(voucher, order)
        except CertfleetError as exc:
            return refuse_locally(order, exc)
        order.names = wanted
        order.save(update_fields=["names"])
        transaction.on_commit(lambda: send(order))
    logger.info("order %s site %s: started", order.pk, site.name)
    return order


def claim(order_id: int, holder: str) -> bool:
    """Take the order for this worker: exactly one row changes, or someone else
    holds a live lease (or the order is finished)."""
    now = clock.now()
    claimed = (
        Order.objects.filter(pk=order_id, state__in=ACTIVE)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lte=now))
        .update(
            state=Order.State.RUNNING,
            claimed_by=holder,
            lease_until=now + timedelta(seconds=lease_seconds()),
            attempts=F("attempts") + 1,
            started_at=Coalesce(F("started_at"), Value(now)),
        )
    )
    return claimed == 1


class LeaseLost(Exception):
    """Another worker took the order over (this one was too slow or thought dead)."""


def renew(order: Order, holder: str) -> None:
    until = clock.now() + timedelta(seconds=lease_seconds())
    if not Order.objects.filter(pk=order.pk, claimed_by=holder).update(
        lease_until=until
    ):
        raise LeaseLost(order.pk)
    order.lease_until = until


def park(order: Order, delay: float) -> None:
    """Give the order back for a retry after `delay` seconds."""
    order.state = Order.State.PENDING
    order.claimed_by = ""
    order.lease_until = clock.now() + timedelta(seconds=delay)
    order.save(update_fields=["state", "claimed_by", "lease_until", "step"])


def retry_order(order: Order, *, user=None) -> Order:
    """Run a failed order again from the step that failed (a certificate the CA
    already issued is installed, not ordered again)."""
    from apps.audit import services as audit
    from apps.vouchers import services as vouchers

    if order.state != Order.State.FAILED:
        return order
    refuse_if_active(order.site, order)
    try:
        with transaction.atomic():
            if order.voucher_id and not order.issued_cert_pem:
                vouchers.reserve(order.voucher, order)
            order.state = Order.State.PENDING
            order.error_code = None
            order.error_message = order.error_advice = ""
            order.finished_at = None
            order.lease_until = None
            order.attempts = 0
            order.save()
            audit.record("order.retried", order, actor=user, account=order.site.owner)
            transaction.on_commit(lambda: send(order))
    except IntegrityError:
        # Another order for the site started meanwhile: nothing above was kept.
        order.refresh_from_db()
        refuse_if_active(order.site, order)
        raise
    return order
