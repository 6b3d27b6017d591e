"""The daily run: expiry warnings for certificates nobody is renewing, then one digest
mail per recipient with everything that waited for it.

Each warning exists once per certificate and threshold (a unique key); a warning for
a certificate replaced or revoked before the digest went out is dropped unsent.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from apps.certificates.lifecycle import config, mail, recipients
from apps.certificates.lifecycle.models import Delivery, Digest, Notice, Renewal
from apps.certificates.lifecycle.notifications import UNSENT_GRACE, record
from apps.certificates.models import Certificate
from apps.core import clock
from apps.fleet.models import Site

logger = logging.getLogger(__name__)

RENEWAL_ON_COURSE = (*Renewal.OPEN_STATES, Renewal.State.DONE)


def warn_expiring(now: dt.datetime | None = None) -> list[Notice]:
    """Queue a warning for each certificate in use that crossed a threshold and will
    not be renewed automatically."""
    now = now or clock.now()
    thresholds = sorted(config.current().warning_days)
    in_use = Certificate.objects.filter(
        status=Certificate.Status.ACTIVE,
        site__current_certificate=F("pk"),
        site__state=Site.State.ACTIVE,
        not_after__gt=now,
        not_after__lte=now + dt.timedelta(days=thresholds[-1]),
    ).select_related("site__owner")
    renewing = dict(
        Renewal.objects.filter(certificate__in=in_use).values_list(
            "certificate_id", "state"
        )
    )

    queued = []
    for certificate in in_use:
        if _renewal_on_course(certificate, renewing.get(certificate.pk)):
            continue
        days_left = (certificate.not_after - now) / dt.timedelta(days=1)
        threshold = next(t for t in thresholds if days_left <= t)
        notice = record(
            Notice.Event.EXPIRING,
            site=certificate.site,
            certificate=certificate,
            data={"threshold": threshold},
            key=f"expiring:{certificate.pk}:{threshold}",
            digest=True,
        )
        if notice:
            queued.append(notice)
    return queued


def _renewal_on_course(certificate: Certificate, state: str | None) -> bool:
    if not certificate.site.owner.auto_renew:
        return False
    # Not planned yet counts as on course: planning runs every hour.
    return state is None or state in RENEWAL_ON_COURSE


def send_digests(now: dt.datetime | None = None) -> list[Digest]:
    """Mail each recipient one digest of what waits for them (at most one a day)."""
    now = now or clock.now()
    warn_expiring(now)
    pending = (
        Notice.objects.filter(sent_at__isnull=True)
        .filter(Q(digest=True) | Q(created_at__lte=now - UNSENT_GRACE))
        .select_related("site__owner", "order", "certificate__site")
        .order_by("created_at", "pk")
    )
    by_address: dict[str, list[Notice]] = defaultdict(list)
    wanted: dict[int, list[str]] = {}
    for notice in pending:
        reason = _stale(notice)
        addresses = [] if reason else recipients.resolve(notice)
        if not addresses:
            _settle(notice, now, reason or "nobody to tell")
            continue
        wanted[notice.pk] = addresses
        done = {e.lower() for e in notice.deliveries.values_list("email", flat=True)}
        for address in addresses:
            if address.lower() not in done:
                by_address[address].append(notice)

    digests = [
        digest
        for address, notices in by_address.items()
        if (digest := _send_digest(address, notices, now))
    ]
    _settle_delivered(wanted, now)
    return digests


def _stale(notice: Notice) -> str:
    certificate = notice.certificate
    if notice.event != Notice.Event.EXPIRING or certificate is None:
        return ""
    if certificate.status != Certificate.Status.ACTIVE:
        return f"certificate is {certificate.status}"
    if certificate.site.current_certificate_id != certificate.pk:
        return "certificate was replaced"
    return ""


def _settle(notice: Notice, now: dt.datetime, dropped: str = "") -> None:
    Notice.objects.filter(pk=notice.pk).update(sent_at=now, dropped=dropped)


def _send_digest(address: str, notices: list[Notice], now) -> Digest | None:
    try:
        with transaction.atomic():
            digest = Digest.objects.create(
                email=address.lower(), day=now.date(), sent_at=now, items=len(notices)
            )
            mail.send_digest(notices, address)
            Delivery.objects.bulk_create(
                [
                    Delivery(notice=n, email=address, digest=digest, sent_at=now)
                    for n in notices
                ],
                ignore_conflicts=True,
            )
    except IntegrityError:
        logger.info(
            "digest to %s already sent today; %s items wait", address, len(notices)
        )
        return None
    except OSError:
        logger.exception("digest to %s not sent; retried next run", address)
        return None
    return digest


def _settle_delivered(wanted: dict[int, list[str]], now: dt.datetime) -> None:
    delivered: dict[int, set[str]] = defaultdict(set)
    for notice_id, email in Delivery.objects.filter(
        notice_id__in=list(wanted)
    ).values_list("notice_id", "email"):
        delivered[notice_id].add(email.lower())
    complete = [
        pk
        for pk, addresses in wanted.items()
        if {a.lower() for a in addresses} <= delivered[pk]
    ]
    Notice.objects.filter(pk__in=complete).update(sent_at=now)
