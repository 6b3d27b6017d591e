from django_celery_beat.models import PeriodicTask

from apps.bulk.schedule import NAME, ensure_schedule


def test_migrate_schedules_the_stalled_order_sweep_once(db):
    ensure_schedule()
    ensure_schedule()
    (row,) = PeriodicTask.objects.filter(name=NAME)
    assert row.task == "bulk.resume_stalled" and row.interval.every == 1
