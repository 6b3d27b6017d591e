"""sync_server: read a Plesk server and bring its accounts and sites up to date."""

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction

from apps.audit.services import record
from apps.ca.errors import CertfleetError
from apps.core import clock
from apps.fleet.models import PleskServer
from apps.fleet.plesk import PleskClient
from apps.fleet.services.accounts import AccountTree, provider_account
from apps.fleet.services.remote import read_server
from apps.fleet.services.sites import SiteTable

logger = logging.getLogger(__name__)

# A sync still marked running after this long is taken to have died.
STALE_AFTER = timedelta(minutes=30)


@dataclass
class SyncReport:
    server: str
    skipped: bool = False
    created: int = 0
    updated: int = 0
    orphaned: int = 0
    unchanged: int = 0
    accounts_created: int = 0
    accounts_updated: int = 0
    packets: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)

    @property
    def written(self) -> int:
        return self.created + self.updated + self.orphaned

    def summary(self) -> str:
        return (
            f"{self.created} new, {self.updated} changed, {self.orphaned} gone, "
            f"{self.unchanged} unchanged sites; {self.accounts_created} new and "
            f"{self.accounts_updated} changed accounts; {self.packets} packets in "
            f"{self.seconds:.1f}s"
        )


def _claim(server: PleskServer) -> bool:
    """Mark the server as syncing unless another live sync holds it."""
    now = clock.now()
    free = PleskServer.objects.filter(pk=server.pk).exclude(
        sync_state=PleskServer.SyncState.RUNNING, sync_started_at__gt=now - STALE_AFTER
    )
    return bool(
        free.update(
            sync_state=PleskServer.SyncState.RUNNING,
            sync_started_at=now,
            sync_done=0,
            sync_total=0,
        )
    )


def _progress_saver(server: PleskServer, progress: Callable | None) -> Callable:
    def report(done: int, total: int) -> None:
        PleskServer.objects.filter(pk=server.pk).update(
            sync_done=done, sync_total=total
        )
        if progress is not None:
            progress(done, total)

    return report


def sync_server(
    server: PleskServer,
    progress: Callable[[int, int], None] | None = None,
    actor=None,
    user=None,
) -> SyncReport:
    """Read `server` and write what changed; `progress(done, total)` per chunk of
    subscriptions. Raises CertfleetError when the server cannot be read."""
    report = SyncReport(server.name)
    if not _claim(server):
        logger.info("sync of server %s already running; skipped", server.name)
        report.skipped = True
        return report
    started = time.monotonic()
    try:
        with PleskClient.for_server(server) as client:
            snapshot = read_server(client, _progress_saver(server, progress))
        with transaction.atomic():
            _write(server, snapshot, report)
    except CertfleetError as exc:
        _finish(server, PleskServer.SyncState.FAILED, str(exc))
        logger.warning("sync of server %s failed: %s", server.name, exc)
        raise
    except Exception:
        _finish(server, PleskServer.SyncState.FAILED, "internal error during sync")
        raise
    report.packets = snapshot.packets
    report.problems = snapshot.skipped
    report.seconds = time.monotonic() - started
    _finish(server, PleskServer.SyncState.OK, report.summary(), synced=True)
    record(
        "server.synced",
        server,
        actor=actor or user,
        account=provider_account(),
        created=report.created,
        updated=report.updated,
        orphaned=report.orphaned,
    )
    logger.info("synced server %s: %s", server.name, report.summary())
    return report


def _write(server: PleskServer, snapshot, report: SyncReport) -> None:
    if server.ip_addresses != snapshot.ip_addresses:
        server.ip_addresses = snapshot.ip_addresses
        PleskServer.objects.filter(pk=server.pk).update(
            ip_addresses=snapshot.ip_addresses
        )
    accounts = AccountTree(server, provider_account())
    account_counts = accounts.apply(snapshot)
    site_counts = SiteTable(server, accounts).apply(snapshot)
    report.accounts_created = account_counts.created
    report.accounts_updated = account_counts.updated
    report.created, report.updated = site_counts.created, site_counts.updated
    report.orphaned, report.unchanged = site_counts.orphaned, site_counts.unchanged


def _finish(server: PleskServer, state: str, message: str, synced: bool = False):
    values = {
        "sync_state": state,
        "sync_message": message[:2000],
        "sync_started_at": None,
    }
    if synced:
        values["last_sync_at"] = clock.now()
    PleskServer.objects.filter(pk=server.pk).update(**values)
    for field_name, value in values.items():
        setattr(server, field_name, value)
