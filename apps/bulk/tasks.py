"""Celery tasks of bulk pushes: thin, idempotent."""

from celery import shared_task

from apps.bulk import services
from apps.bulk.models import Push


@shared_task(name="bulk.fan_out", acks_late=True)
def fan_out_task(push_id: int) -> int:
    push = Push.objects.filter(pk=push_id).select_related("voucher").first()
    return services.fan_out(push) if push is not None else 0


@shared_task(name="bulk.resume_stalled", acks_late=True)
def resume_stalled_task() -> int:
    """Run periodically (beat): re-sends what crashed workers left behind."""
    return services.resume_stalled()
