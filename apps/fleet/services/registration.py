"""Adding a Plesk server: connect with the confirmed TLS identity, read what it is,
save it and schedule its periodic sync."""

import json
import logging

from django.db import transaction
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from apps.audit.services import record
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.models import PleskServer
from apps.fleet.plesk import PleskClient
from apps.fleet.services import identity
from apps.fleet.services.accounts import provider_account

logger = logging.getLogger(__name__)

SYNC_TASK = "apps.fleet.tasks.sync_server_task"
# Other server settings a caller may pass along (forms and the API do).
SETTINGS = {"timeout", "max_concurrency", "enabled", "sync_interval_minutes"}


def register_server(
    *,
    name: str,
    host: str,
    secret: str,
    port: int = 8443,
    auth: str = PleskServer.Auth.SECRET_KEY,
    login: str = "admin",
    fingerprint_sha256: str = "",
    ca_bundle: str = "",
    https_port: int = 443,
    actor=None,
    user=None,
    **settings,
) -> PleskServer:
    """Connect to the panel, read its version and GUID, save it, schedule syncs.

    Raises CertfleetError (nothing saved) when the fingerprint or CA bundle is
    malformed (7112, before any connection), the panel cannot be reached, its TLS
    identity differs from the pinned fingerprint or CA bundle, or it refuses us.
    """
    unknown = set(settings) - SETTINGS
    if unknown:
        raise TypeError(f"unknown server settings: {', '.join(sorted(unknown))}")
    fingerprint_sha256 = identity.fingerprint(fingerprint_sha256)
    ca_bundle = identity.ca_bundle(ca_bundle)
    server = PleskServer.objects.filter(name=name).first() or PleskServer(name=name)
    for field, value in dict(
        host=host.strip(),
        port=port,
        auth=auth,
        login=login,
        secret=secret,
        fingerprint_sha256=fingerprint_sha256,
        ca_bundle=ca_bundle,
        https_port=https_port,
        **settings,
    ).items():
        setattr(server, field, value)
    server.protocol_version = ""  # ask the server again
    with PleskClient.for_server(server) as client:
        info = client.server_info()
    twin = PleskServer.objects.filter(guid=info.guid).exclude(pk=server.pk).first()
    if info.guid and twin is not None:
        raise CertfleetError(errors.SERVER_ALREADY_ADDED, detail=f"it is {twin.name}")
    server.guid = info.guid
    server.plesk_version = info.plesk_version
    server.protocol_version = info.protocol_version
    with transaction.atomic():
        server.save()
        schedule_sync(server)
        record(
            "server.registered",
            server,
            actor=actor or user,
            account=provider_account(),
            host=server.host,
            port=server.port,
            guid=info.guid,
            plesk_version=info.plesk_version,
        )
    logger.info(
        "registered Plesk server %s (%s, Plesk %s, protocol %s)",
        server.name,
        server.host,
        info.plesk_version,
        info.protocol_version,
    )
    return server


def schedule_sync(server: PleskServer) -> PeriodicTask:
    """Create or update the periodic sync of `server` (django-celery-beat)."""
    every, _ = IntervalSchedule.objects.get_or_create(
        every=max(1, server.sync_interval_minutes), period=IntervalSchedule.MINUTES
    )
    task, _ = PeriodicTask.objects.update_or_create(
        name=f"Sync Plesk server {server.pk}",
        defaults={
            "task": SYNC_TASK,
            "interval": every,
            "args": json.dumps([server.pk]),
            "enabled": server.enabled,
        },
    )
    return task
