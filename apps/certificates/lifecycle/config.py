"""Lifecycle settings: one typed object, read from CERTFLEET_LIFECYCLE in the Django
settings (a dict of the fields below); every field has a default."""

import dataclasses
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class LifecycleSettings:
    # Renew this many days before expiry, but never earlier than a third of the
    # certificate's lifetime before it (a monthly certificate renews ~10 days ahead).
    renew_before_days: int = 30
    # Renewals found in one planning run are spread over this many hours.
    renew_window_hours: int = 24
    # At most this many renewals start on one server per dispatch run.
    renewals_per_server_per_run: int = 2
    # Minutes to wait before each retry of a renewal that failed transiently.
    renew_retry_minutes: tuple[int, ...] = (15, 60, 240, 720)
    # Expiry warnings: days left at which a certificate not being renewed is reported.
    warning_days: tuple[int, ...] = (30, 14, 7, 1)
    # Health: minutes between checks, handshakes at once, seconds per handshake.
    health_every_minutes: int = 60
    health_concurrency: int = 8
    health_batch: int = 50
    health_timeout: float = 10.0
    health_keep_days: int = 30
    # Minutes between dispatch runs of due renewals.
    dispatch_every_minutes: int = 5
    # Hour (UTC) at which the daily digests go out.
    digest_hour: int = 6


def current() -> LifecycleSettings:
    values = dict(getattr(settings, "CERTFLEET_LIFECYCLE", {}) or {})
    known = {f.name for f in dataclasses.fields(LifecycleSettings)}
    unknown = set(values) - known
    if unknown:
        raise ValueError(f"unknown CERTFLEET_LIFECYCLE keys: {sorted(unknown)}")
    for name in ("renew_retry_minutes", "warning_days"):
        if name in values:
            values[name] = tuple(values[name])
    return LifecycleSettings(**values)
