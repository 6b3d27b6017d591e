"""Automatic renewal: find certificates near expiry on sites whose customer opted in,
plan them over a window and across servers, start them through the pipeline, and
follow them to the end.

One Renewal row per certificate (a unique key), claimed with a conditional UPDATE
before an order is started: a certificate is never renewed twice, whatever runs at
the same time.
"""

import datetime as dt
import logging
from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import F

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.lifecycle import config, coverage
from apps.certificates.lifecycle.models import Renewal
from apps.certificates.models import Certificate, Order
from apps.core import clock
from apps.fleet.models import Site
from apps.vouchers.models import Voucher

logger = logging.getLogger(__name__)

# Failures that waiting cannot cure: a person must act, so no retries.
REFUSED_CODES = {errors.RENEWAL_FEWER_NAMES, errors.RENEWAL_NO_VOUCHER}
STALE_START = dt.timedelta(minutes=15)
PHASE = 0.6180339887  # spreads each server's first slot differently


def renew_before(certificate: Certificate) -> dt.timedelta:
    """How long before expiry a certificate is renewed: the configured days, but at
    most a third of its lifetime (a monthly certificate renews about 10 days ahead)."""
    lifetime = certificate.not_after - certificate.not_before
    return min(dt.timedelta(days=config.current().renew_before_days), lifetime / 3)


def due_certificates(now: dt.datetime) -> list[Certificate]:
    """Certificates in use on active sites of opted-in customers, near expiry and not
    yet taken up by a renewal."""
    horizon = now + dt.timedelta(days=config.current().renew_before_days)
    candidates = Certificate.objects.filter(
        status=Certificate.Status.ACTIVE,
        site__current_certificate=F("pk"),
        site__state=Site.State.ACTIVE,
        site__owner__auto_renew=True,
        renewal__isnull=True,
        not_after__lte=horizon,
    ).select_related("site")
    return [c for c in candidates if c.not_after - renew_before(c) <= now]


def plan_renewals(now: dt.datetime | None = None) -> list[Renewal]:
    """Give every due certificate a start time. Each server's renewals are spaced
    evenly over the window (never later than half the certificate's time left), so
    no server gets them all at once; servers start at different offsets."""
    now = now or clock.now()
    window = dt.timedelta(hours=config.current().renew_window_hours)
    by_server: dict[int, list[Certificate]] = defaultdict(list)
    for certificate in due_certificates(now):
        by_server[certificate.site.server_id].append(certificate)

    planned = []
    for server_id, certificates in by_server.items():
        certificates.sort(key=lambda c: (c.not_after, c.pk))
        phase = (server_id * PHASE) % 1
        count = len(certificates)
        for index, certificate in enumerate(certificates):
            span = max(min(window, (certificate.not_after - now) / 2), dt.timedelta(0))
            at = now + span * ((index + phase) / count)
            renewal = _create(certificate, server_id, at, now)
            if renewal:
                planned.append(renewal)
    logger.info("planned %s renewals on %s servers", len(planned), len(by_server))
    return planned


def _create(certificate, server_id, at, now) -> Renewal | None:
    try:
        with transaction.atomic():
            return Renewal.objects.create(
                certificate=certificate,
                site_id=certificate.site_id,
                server_id=server_id,
                scheduled_at=at,
                created_at=now,
            )
    except IntegrityError:
        return None  # planned meanwhile by another run


def dispatch_renewals(now: dt.datetime | None = None) -> list[Renewal]:
    """Start the renewals whose time has come, a few per server per run."""
    now = now or clock.now()
    follow_up(now)
    limit = config.current().renewals_per_server_per_run
    busy = defaultdict(int)
    for server_id in Renewal.objects.filter(
        state__in=[Renewal.State.STARTING, Renewal.State.RUNNING]
    ).values_list("server_id", flat=True):
        busy[server_id] += 1

    started = []
    due = Renewal.objects.filter(
        state__in=[Renewal.State.PLANNED, Renewal.State.WAITING],
        scheduled_at__lte=now,
    ).order_by("scheduled_at", "pk")
    for renewal in due:
        if busy[renewal.server_id] >= limit or not _claim(renewal):
            continue
        busy[renewal.server_id] += 1
        start(renewal)
        started.append(renewal)
    return started


def _claim(renewal: Renewal) -> bool:
    claimed = Renewal.objects.filter(pk=renewal.pk, state=renewal.state).update(
        state=Renewal.State.STARTING,
        attempts=F("attempts") + 1,
        claimed_at=clock.now(),
    )
    renewal.refresh_from_db()
    return claimed == 1


def start(renewal: Renewal) -> None:
    """Check the renewal still makes sense, then order through the pipeline."""
    from apps.certificates import services

    certificate = Certificate.objects.select_related("site", "voucher").get(
        pk=renewal.certificate_id
    )
    reason = _no_longer_needed(certificate)
    if reason:
        _finish(renewal, Renewal.State.SKIPPED, reason)
        return
    try:
        voucher = _voucher_for(certificate)
        names = coverage.check_renewable(certificate)
        # The order and the renewal's link to it commit together: a start that dies
        # halfway leaves no order behind, so the retry cannot order a second time.
        with transaction.atomic():
            order = services.start_order(
                site=certificate.site,
                voucher=voucher,
                kind=Order.Kind.RENEWAL,
                names=names,
            )
            renewal.order = order
            renewal.state = Renewal.State.RUNNING
            renewal.save(update_fields=["order", "state"])
    except CertfleetError as exc:
        renewal.refresh_from_db()
        failed(renewal, exc)
        return
    # A locally refused order ends at once, inside start_order; its notice may
    # have settled the renewal already (on commit), so read the row again.
    renewal.refresh_from_db()
    order_finished(order, renewal)
    logger.info(
        "renewal of certificate %s on site %s started as order %s",
        certificate.pk,
        certificate.site_id,
        order.pk,
    )


def _no_longer_needed(certificate: Certificate) -> str:
    site = certificate.site
    if certificate.status != Certificate.Status.ACTIVE:
        return f"certificate is {certificate.status}"
    if site.current_certificate_id != certificate.pk:
        return "the site has another certificate now"
    if site.state != Site.State.ACTIVE:
        return "the site is gone from Plesk"
    if not site.owner.auto_renew:
        return "automatic renewal was turned off"
    return ""


def _voucher_for(certificate: Certificate) -> Voucher:
    voucher = certificate.voucher
    if voucher is None:
        raise CertfleetError(errors.RENEWAL_NO_VOUCHER, "the certificate has none")
    if voucher.status != Voucher.Status.ACTIVE or voucher.expires_at <= clock.now():
        raise CertfleetError(
            errors.RENEWAL_NO_VOUCHER, f"voucher {voucher.code} is {voucher.status}"
        )
    return voucher


def follow_up(now: dt.datetime | None = None) -> None:
    """Settle renewals whose order has ended, and free starts that died halfway."""
    now = now or clock.now()
    running = Renewal.objects.filter(state=Renewal.State.RUNNING).select_related(
        "order"
    )
    for renewal in running:
        if renewal.order is None:
            failed(renewal, CertfleetError(errors.INTERNAL, "its order was deleted"))
        else:
            order_finished(renewal.order, renewal)
    Renewal.objects.filter(
        state=Renewal.State.STARTING, claimed_at__lte=now - STALE_START
    ).update(state=Renewal.State.WAITING, scheduled_at=now)


def order_finished(order: Order, renewal: Renewal | None = None) -> Renewal | None:
    """Called when a renewal's order ended (from `notify` and from `follow_up`)."""
    renewal = renewal or Renewal.objects.filter(order=order).first()
    if renewal is None or renewal.state != Renewal.State.RUNNING:
        return renewal
    if order.state == Order.State.DONE:
        _done(renewal, order)
    elif order.state == Order.State.FAILED:
        code = order.error_code or errors.INTERNAL
        failed(renewal, CertfleetError(code, order.error_message))
    return renewal


def _done(renewal: Renewal, order: Order) -> None:
    _finish(renewal, Renewal.State.DONE, "")
    if order.certificate_id is None:
        return
    old = Certificate.objects.get(pk=renewal.certificate_id)
    missing = coverage.covers(
        coverage.names_of(order.certificate), coverage.names_of(old)
    )
    if missing:
        # The pipeline should never let this happen; say so loudly if it does.
        exc = CertfleetError(errors.RENEWAL_FEWER_NAMES, ", ".join(missing))
        logger.error("renewal order %s lost names: %s", order.pk, missing)
        _alert(renewal, exc)


def failed(renewal: Renewal, exc: CertfleetError) -> None:
    """Try again after growing pauses (a renewal starts weeks ahead, so even a
    failure that needs a person, such as DNS or CA credit, may be fixed meanwhile);
    give up when the pauses run out. The owner hears of it once."""
    delays = config.current().renew_retry_minutes
    retry = exc.code not in REFUSED_CODES and renewal.attempts <= len(delays)
    renewal.error_code = exc.code
    renewal.error_message = str(exc)
    if retry:
        pause = dt.timedelta(minutes=delays[max(renewal.attempts, 1) - 1])
        renewal.state = Renewal.State.WAITING
        renewal.scheduled_at = clock.now() + pause
        renewal.save(
            update_fields=["state", "scheduled_at", "error_code", "error_message"]
        )
    else:
        state = (
            Renewal.State.REFUSED if exc.code in REFUSED_CODES else Renewal.State.FAILED
        )
        _finish(renewal, state, str(exc), code=exc.code)
    logger.warning(
        "renewal of certificate %s on site %s failed (attempt %s, %s): %s",
        renewal.certificate_id,
        renewal.site_id,
        renewal.attempts,
        "will retry" if retry else "gave up",
        exc,
    )
    _alert(renewal, exc)


def _finish(renewal: Renewal, state: str, message: str, code: int | None = None):
    renewal.state = state
    renewal.error_message = message
    renewal.error_code = code
    renewal.finished_at = clock.now()
    renewal.save(update_fields=["state", "error_message", "error_code", "finished_at"])


def _alert(renewal: Renewal, exc: CertfleetError) -> None:
    """Tell the owner once per renewal, however many retries follow."""
    from apps.certificates.lifecycle import notifications

    first = Renewal.objects.filter(pk=renewal.pk, alerted_at__isnull=True).update(
        alerted_at=clock.now()
    )
    if first:
        notifications.renewal_failed(renewal, exc)
