"""Celery tasks of the vouchers: thin, idempotent, each calls one service."""

from celery import shared_task

from apps.vouchers import services


@shared_task(name="vouchers.refresh_statuses", ignore_result=True)
def refresh_statuses() -> int:
    """Mark vouchers past their expiry expired and used-up ones exhausted."""
    return services.refresh_statuses()
