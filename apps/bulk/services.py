"""Bulk pushes: one voucher onto many sites, one order (and task) per site.

A push remembers the sites it aims at. Fanning out is idempotent (a site that has
an order in this push gets no second one) and sites the voucher already secures are
left alone, so running a push again orders nothing new for them. A push survives a
crashed worker: `resume_stalled` sends again what no live worker holds.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Count, F, Max, Q

from apps.audit import services as audit
from apps.bulk.models import Push
from apps.bulk.progress import Progress, progress
from apps.bulk.targets import DryRunRow, dry_run, select_sites
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Certificate, Order
from apps.core import clock
from apps.fleet.models import Site

logger = logging.getLogger(__name__)

__all__ = [
    "DryRunRow",
    "Progress",
    "create_push",
    "dry_run",
    "fan_out",
    "progress",
    "resume_stalled",
    "retry_failed",
    "select_sites",
]
STALL_GRACE = timedelta(seconds=30)


def already_secured(voucher, site_ids: list[int]) -> list[int]:
    """Sites whose current certificate this voucher gave and that is still valid."""
    return list(
        Site.objects.filter(
            pk__in=site_ids,
            current_certificate__voucher=voucher,
            current_certificate__status=Certificate.Status.ACTIVE,
            current_certificate__not_after__gt=clock.now(),
            # Still bound in Plesk, as the last sync saw it.
            bound_certificate_name=F("current_certificate__plesk_name"),
        ).values_list("pk", flat=True)
    )


def create_push(*, user, voucher, sites, contact_email: str = "", target=None) -> Push:
    """Record the push and fan it out in a task after commit."""
    from apps.bulk.tasks import fan_out_task
    from apps.certificates.services.orders import default_authority

    site_ids = [getattr(site, "pk", site) for site in sites]
    with transaction.atomic():
        push = Push.objects.create(
            voucher=voucher,
            authority=default_authority(),
            created_by=user,
            contact_email=contact_email,
            state=Push.State.RUNNING,
            started_at=clock.now(),
            target={
                "filters": target or {},
                "site_ids": site_ids,
                "already_done": already_secured(voucher, site_ids),
            },
        )
        audit.record(
            "push.started",
            push,
            actor=user,
            account=voucher.owner,
            voucher=voucher.code,
            sites=len(site_ids),
        )
        transaction.on_commit(lambda: fan_out_task.delay(push.pk))
    logger.info("push %s: %s sites, voucher %s", push.pk, len(site_ids), voucher.pk)
    return push


def fan_out(push: Push) -> int:
    """Start an order for each target site that has none in this push yet."""
    from apps.certificates.services import start_order

    target = push.target or {}
    skip = set(target.get("already_done", []))
    skip.update(Order.objects.filter(push=push).values_list("site_id", flat=True))
    wanted = [pk for pk in target.get("site_ids", []) if pk not in skip]
    started = 0
    for site in Site.objects.filter(pk__in=wanted).select_related("server", "owner"):
        try:
            start_order(
                site=site,
                voucher=push.voucher,
                requested_by=push.created_by,
                contact_email=push.contact_email,
                push=push,
            )
        except CertfleetError as exc:
            logger.info("push %s site %s: not started: %s", push.pk, site, exc)
            _record_skip(push, site, exc)
            continue
        started += 1
    finish_if_complete(push)
    return started


def _record_skip(push: Push, site: Site, exc: CertfleetError) -> None:
    """A site busy with another order counts as done for this push only when
    that order succeeds; here it is noted and left out."""
    if exc.code != errors.ORDER_IN_PROGRESS:
        raise exc
    if Order.objects.filter(push=push, site=site).exists():
        return  # this push's own order, made by a fan-out running meanwhile
    push.target.setdefault("busy", []).append(site.pk)
    push.target["site_ids"] = [i for i in push.target["site_ids"] if i != site.pk]
    push.save(update_fields=["target"])


def finish_if_complete(push: Push) -> bool:
    state = progress(push)
    if not state.complete or push.state != Push.State.RUNNING:
        return False
    changed = Push.objects.filter(pk=push.pk, state=Push.State.RUNNING).update(
        state=Push.State.DONE, finished_at=clock.now()
    )
    if changed:
        audit.record(
            "push.finished",
            push,
            account=push.voucher.owner,
            done=state.done,
            failed=state.failed,
            held=state.held,
        )
    return bool(changed)


def retry_failed(push: Push, *, user=None) -> int:
    """Run every failed order of the push again; the number sent. A site busy
    with another order (7006) is left failed for now and logged."""
    from apps.certificates.services import retry_order

    failed = Order.objects.filter(push=push, state=Order.State.FAILED)
    count = 0
    for order in failed.select_related("site", "voucher"):
        try:
            retry_order(order, user=user)
        except CertfleetError as exc:
            if exc.code != errors.ORDER_IN_PROGRESS:
                raise
            logger.info("push %s site %s: not retried: %s", push.pk, order.site, exc)
            continue
        count += 1
    if count:
        Push.objects.filter(pk=push.pk).update(
            state=Push.State.RUNNING, finished_at=None
        )
    return count


def _fan_out_stopped(push: Push, now, grace: timedelta) -> bool:
    """Sites without an order while no order was made for a while."""
    orders = Order.objects.filter(push=push)
    made = orders.aggregate(n=Count("pk"), last=Max("created_at"))
    target = push.target or {}
    expected = len(target.get("site_ids", [])) - len(target.get("already_done", []))
    last = made["last"] or push.started_at or now
    return made["n"] < expected and last <= now - grace


def resume_stalled(push: Push | None = None, grace: timedelta = STALL_GRACE) -> int:
    """Send again the orders no live worker holds (a worker died with them, or
    the broker lost them), and the fan-out of a push that stopped halfway."""
    from apps.bulk.tasks import fan_out_task
    from apps.certificates.services.orders import send

    now = clock.now()
    # Claimed orders whose lease ran out. Unclaimed ones only when nothing has
    # finished for `grace`: while the queue moves they are just waiting their turn.
    lost = Q(lease_until__lte=now)
    active = Order.objects.filter(state__in=[Order.State.PENDING, Order.State.RUNNING])
    if not Order.objects.filter(finished_at__gte=now - grace).exists():
        lost |= Q(lease_until__isnull=True, created_at__lte=now - grace)
    stalled = active.filter(lost)
    pushes = Push.objects.filter(state=Push.State.RUNNING)
    if push is not None:
        stalled = stalled.filter(push=push)
        pushes = pushes.filter(pk=push.pk)
    count = 0
    for order in stalled:
        send(order)
        count += 1
    for running in pushes:
        if (
            progress(running).waiting
            > Order.objects.filter(push=running, state=Order.State.PENDING).count()
        ):
            fan_out_task.delay(running.pk)
    if count:
        logger.warning("re-sent %s stalled orders", count)
    return count
