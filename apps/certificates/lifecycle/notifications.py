"""Telling people, once: notices are stored when something happens and mailed either
at once or in the recipient's daily digest. Recipients are worked out at sending
time (recipients.py), so a changed setting counts even for a notice already queued.

Bulk pushes, renewals and expiry warnings go to the digest; an order someone started
by hand, and a revocation, are mailed at once.
"""

import datetime as dt
import logging

from django.db import IntegrityError, transaction

from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import mail, recipients
from apps.certificates.lifecycle.models import Delivery, Notice, Renewal
from apps.certificates.models import Certificate, Order
from apps.core import clock

logger = logging.getLogger(__name__)

# A notice meant to go at once that is still unsent after this goes in the digest.
UNSENT_GRACE = dt.timedelta(minutes=10)


def notify(event: str, order_or_certificate: Order | Certificate) -> Notice | None:
    """Record that `event` ("issued", "failed", "expiring", "revoked") happened to an
    order or certificate; mail it at once or queue it for the digest. Safe to call
    twice for the same outcome."""
    event = Notice.Event(event)
    if not isinstance(order_or_certificate, Order):
        # Expiry and revocation concern the certificate, whatever order made it.
        certificate = order_or_certificate
        digest = event == Notice.Event.EXPIRING
        return record(
            event,
            site=certificate.site,
            certificate=certificate,
            key=_key(event, None, certificate),
            digest=digest,
        )

    order = order_or_certificate
    if order.kind == Order.Kind.RENEWAL:
        from apps.certificates.lifecycle import renewal

        renewal.order_finished(order)
        if event == Notice.Event.FAILED:
            return None  # the renewal itself alerts, once, however often it retries
    return record(
        event,
        site=order.site,
        order=order,
        certificate=order.certificate,
        data=_describe(order if event == Notice.Event.FAILED else None),
        key=_key(event, order, order.certificate),
        digest=bool(order.push_id or order.kind == Order.Kind.RENEWAL),
    )


def record(
    event, *, site, order=None, certificate=None, data=None, key=None, digest=False
) -> Notice | None:
    """Store one notice; None when a notice with the same key exists already."""
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                event=event,
                site=site,
                order=order,
                certificate=certificate,
                data=data or {},
                key=key,
                digest=digest,
                created_at=clock.now(),
            )
    except IntegrityError:
        return None
    if not digest:
        transaction.on_commit(lambda: deliver(notice.pk))
    return notice


def _describe(order: Order | None) -> dict:
    if order is None or order.error_code is None:
        return {}
    exc = CertfleetError(order.error_code)
    return {
        "code": order.error_code,
        "message": order.error_message or str(exc.info.message),
        "advice": order.error_advice or str(exc.info.advice),
    }


def _key(event: str, order: Order | None, certificate: Certificate | None) -> str:
    if order is not None:
        return f"{event}:order:{order.pk}:{order.attempts}"
    return f"{event}:certificate:{certificate.pk}"


def renewal_failed(renewal: Renewal, exc: CertfleetError) -> Notice | None:
    waiting = renewal.state == Renewal.State.WAITING
    return record(
        Notice.Event.FAILED,
        site=renewal.site,
        order=renewal.order,
        certificate=renewal.certificate,
        data={
            "code": exc.code,
            "message": str(exc.info.message)
            + (f" ({exc.detail})" if exc.detail else ""),
            "advice": str(exc.info.advice),
            "renewal": True,
            "retry_at": renewal.scheduled_at.strftime("%Y-%m-%d %H:%M")
            if waiting
            else None,
        },
        key=f"renewal-failed:{renewal.pk}",
        digest=True,
    )


def deliver(notice_id: int) -> None:
    """Mail one notice at once to each recipient; what fails is left for the digest."""
    notice = Notice.objects.select_related("site__owner", "order", "certificate").get(
        pk=notice_id
    )
    if notice.sent_at is not None:
        return
    for address in recipients.resolve(notice):
        if notice.deliveries.filter(email__iexact=address).exists():
            continue
        try:
            mail.send_notice(notice, address)
        except OSError:
            logger.exception(
                "notice %s to %s not sent; digest will", notice.pk, address
            )
            return
        Delivery.objects.create(notice=notice, email=address, sent_at=clock.now())
    Notice.objects.filter(pk=notice.pk).update(sent_at=clock.now())
