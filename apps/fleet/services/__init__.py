"""Fleet services: registering Plesk servers and syncing their accounts and sites."""

from apps.fleet.services.accounts import provider_account
from apps.fleet.services.registration import register_server, schedule_sync
from apps.fleet.services.sync import SyncReport, sync_server

__all__ = [
    "SyncReport",
    "provider_account",
    "register_server",
    "schedule_sync",
    "sync_server",
]
