"""Celery tasks of the fleet: thin, idempotent, by id."""

import logging

from celery import shared_task

from apps.ca.errors import CertfleetError
from apps.fleet.models import PleskServer
from apps.fleet.services import sync_server as sync_service

logger = logging.getLogger(__name__)


@shared_task(name="apps.fleet.tasks.sync_server_task", ignore_result=True)
def sync_server_task(server_id: int) -> None:
    """Sync one server (periodic and on demand). A failure is recorded on the
    server; the next period tries again."""
    server = PleskServer.objects.filter(pk=server_id, enabled=True).first()
    if server is None:
        logger.info("sync of server %s skipped: gone or disabled", server_id)
        return
    try:
        sync_service(server)
    except CertfleetError as exc:
        logger.warning("sync of server %s failed: %s", server.name, exc)


# The name the pages use.
sync_server = sync_server_task
