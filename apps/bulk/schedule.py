"""The bulk app's periodic task (django-celery-beat): re-send work a crashed worker
left behind. Made or corrected after every `migrate`, never duplicated."""

from django_celery_beat.models import IntervalSchedule, PeriodicTask

NAME = "certfleet bulk: resume stalled orders"
EVERY_MINUTES = 1


def ensure_schedule(using: str = "default") -> PeriodicTask:
    interval, _ = IntervalSchedule.objects.using(using).get_or_create(
        every=EVERY_MINUTES, period=IntervalSchedule.MINUTES
    )
    row, _ = PeriodicTask.objects.using(using).update_or_create(
        name=NAME,
        defaults={"task": "bulk.resume_stalled", "interval": interval, "crontab": None},
    )
    return row
