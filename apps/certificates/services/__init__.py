"""The certificate pipeline and what other parts call to start, run and retry it.

- start_order(site=, voucher=, ...) -> Order: checks, reserves a use, sends the task.
- run_order(order_id) -> Order: what the Celery task calls (claims the order).
- retry_order(order, user=) -> Order: a failed order again, from the failed step.
- local_checks(site, voucher) -> [CertfleetError]: a dry run, no network.
- redeem(user=, site=, voucher_code=, contact_email=, accepted_terms=) -> Order.
"""

from apps.certificates.services.checks import local_checks
from apps.certificates.services.orders import retry_order, start_order
from apps.certificates.services.pipeline import RetryLater, run_order
from apps.certificates.services.redeem import redeem

__all__ = [
    "RetryLater",
    "local_checks",
    "redeem",
    "retry_order",
    "run_order",
    "start_order",
]
