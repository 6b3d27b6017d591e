"""The lifecycle's periodic tasks as rows of django-celery-beat's DatabaseScheduler.

`ensure_schedule()` runs after every `migrate` (see apps.py) and may be called again
at any time: it creates missing rows and corrects changed ones, never duplicates.
Staff can still disable a task in the admin; that choice is kept.
"""

import logging

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

from apps.certificates.lifecycle import config

logger = logging.getLogger(__name__)

PREFIX = "certfleet lifecycle: "


def _every(minutes: int, using: str) -> dict:
    interval, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=minutes, period=IntervalSchedule.MINUTES
    )
    return {"interval": interval, "crontab": None}


def _daily(hour: int, using: str) -> dict:
    crontab, _ = CrontabSchedule.objects.using(using).get_or_create(
        minute="0",
        hour=str(hour),
        day_of_month="*",
        month_of_year="*",
        day_of_week="*",
        timezone="UTC",
    )
    return {"interval": None, "crontab": crontab}


def wanted(using: str = "default") -> dict[str, tuple[str, dict]]:
    """Name -> (task, schedule) of every periodic lifecycle task."""
    cfg = config.current()
    return {
        "plan renewals": ("lifecycle.plan_renewals", _every(60, using)),
        "start due renewals": (
            "lifecycle.dispatch_renewals",
            _every(cfg.dispatch_every_minutes, using),
        ),
        "check site health": (
            "lifecycle.check_all",
            _every(cfg.health_every_minutes, using),
        ),
        # Expiry warnings are worked out right before the digests go out.
        "send digests": ("lifecycle.send_digests", _daily(cfg.digest_hour, using)),
    }


def ensure_schedule(using: str = "default") -> list[PeriodicTask]:
    rows = []
    for label, (task, schedule) in wanted(using).items():
        row, created = PeriodicTask.objects.using(using).update_or_create(
            name=PREFIX + label, defaults={"task": task, **schedule}
        )
        if created:
            logger.info("periodic task %s created", row.name)
        rows.append(row)
    return rows
