"""The vouchers' periodic task as a row of django-celery-beat's DatabaseScheduler.

`ensure_schedule()` runs after every `migrate` (see apps.py): it creates the row when
missing and keeps its task and interval, never duplicates; a task staff disabled in
the admin stays disabled.
"""

from django_celery_beat.models import IntervalSchedule, PeriodicTask

NAME = "certfleet vouchers: refresh statuses"
TASK = "vouchers.refresh_statuses"
EVERY_MINUTES = 15


def ensure_schedule(using: str = "default") -> PeriodicTask:
    interval, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=EVERY_MINUTES, period=IntervalSchedule.MINUTES
    )
    row, _ = PeriodicTask.objects.using(using).update_or_create(
        name=NAME, defaults={"task": TASK, "interval": interval, "crontab": None}
    )
    return row
