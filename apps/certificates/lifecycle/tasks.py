"""Celery tasks of the lifecycle: thin, idempotent, each calls one service.
The periodic ones are scheduled by schedule.ensure_schedule()."""

from celery import shared_task

from apps.certificates.lifecycle import digest, health, renewal, revocation


@shared_task(name="lifecycle.plan_renewals", ignore_result=True)
def plan_renewals() -> int:
    return len(renewal.plan_renewals())


@shared_task(name="lifecycle.dispatch_renewals", ignore_result=True)
def dispatch_renewals() -> int:
    """Start due renewals; also put back sites whose revocation died halfway."""
    revocation.restore_abandoned()
    return len(renewal.dispatch_renewals())


@shared_task(name="lifecycle.check_all", ignore_result=True)
def check_all() -> int:
    """Fan the health checks out: one task per batch of sites."""
    batches = health.batches()
    for site_ids in batches:
        check_sites.delay(site_ids)
    return len(batches)


@shared_task(name="lifecycle.check_sites", ignore_result=True)
def check_sites(site_ids: list[int]) -> int:
    return len(health.check_sites(site_ids))


@shared_task(name="lifecycle.send_digests", ignore_result=True)
def send_digests() -> int:
    return len(digest.send_digests())
