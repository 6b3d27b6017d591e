"""The periodic status upkeep: scheduled once by migrate, and doing its job."""

import datetime as dt

from django_celery_beat.models import PeriodicTask

from apps.core import clock
from apps.vouchers import schedule, tasks
from apps.vouchers.models import Voucher


def test_migrate_schedules_the_status_upkeep_once(db):
    rows = PeriodicTask.objects.filter(task=schedule.TASK)
    assert rows.count() == 1
    row = rows.get()
    assert row.enabled and row.interval.every == schedule.EVERY_MINUTES
    row.enabled = False
    row.save()
    schedule.ensure_schedule()
    assert PeriodicTask.objects.filter(task=schedule.TASK).count() == 1
    assert not PeriodicTask.objects.get(task=schedule.TASK).enabled


def test_the_task_expires_what_is_past(make_voucher):
    past = make_voucher(expires_at=clock.now() - dt.timedelta(hours=1))
    assert tasks.refresh_statuses.apply().get() == 1
    assert Voucher.objects.get(pk=past.pk).status == Voucher.Status.EXPIRED
