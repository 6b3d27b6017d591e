from django_celery_beat.models import PeriodicTask

from apps.certificates.lifecycle import schedule
from portal.celery import app


def _ours():
    return PeriodicTask.objects.filter(task__startswith="lifecycle.")


def test_the_periodic_tasks_exist_after_migrate_once_each(db):
    names = sorted(_ours().values_list("task", flat=True))
    assert names == [
        "lifecycle.check_all",
        "lifecycle.dispatch_renewals",
        "lifecycle.plan_renewals",
        "lifecycle.send_digests",
    ]
    schedule.ensure_schedule()
    schedule.ensure_schedule()
    assert _ours().count() == 4


def test_a_task_disabled_by_staff_stays_disabled(db):
    PeriodicTask.objects.filter(task="lifecycle.check_all").update(enabled=False)
    schedule.ensure_schedule()
    assert not PeriodicTask.objects.get(task="lifecycle.check_all").enabled


def test_changed_settings_move_the_schedule(db, settings):
    settings.CERTFLEET_LIFECYCLE = {"health_every_minutes": 15, "digest_hour": 7}
    schedule.ensure_schedule()
    health = PeriodicTask.objects.get(task="lifecycle.check_all")
    assert health.interval.every == 15
    assert PeriodicTask.objects.get(task="lifecycle.send_digests").crontab.hour == "7"


def test_the_worker_knows_every_scheduled_task(db):
    app.loader.import_default_modules()
    for task in PeriodicTask.objects.values_list("task", flat=True):
        assert task in app.tasks
    assert "lifecycle.check_sites" in app.tasks
