"""Celery tasks of the pipeline: thin, idempotent, retried only when told to."""

import logging

from celery import shared_task

from apps.certificates import services
from apps.certificates.models import Order

logger = logging.getLogger(__name__)


@shared_task(bind=True, name="certificates.run_order", acks_late=True, max_retries=None)
def run_order_task(self, order_id: int) -> str:
    """Carry one order as far as it goes; the order's lease keeps it single."""
    try:
        order = services.run_order(order_id)
    except Order.DoesNotExist:
        logger.warning("order %s: gone from the database; nothing to do", order_id)
        return "gone"
    except services.RetryLater as exc:
        logger.info("order %s: %s", order_id, exc)
        raise self.retry(countdown=exc.countdown) from None
    if order.push_id and order.state not in ("pending", "running"):
        from apps.bulk.services import finish_if_complete

        finish_if_complete(order.push)
    return order.state
