"""The Plesk XML API client (agent.php over HTTPS)."""

from apps.fleet.plesk.client import PleskClient
from apps.fleet.plesk.config import PleskConfig
from apps.fleet.plesk.fingerprint import fetch_fingerprint
from apps.fleet.plesk.results import Binding, Exchange, ServerInfo

__all__ = [
    "Binding",
    "Exchange",
    "PleskClient",
    "PleskConfig",
    "ServerInfo",
    "fetch_fingerprint",
]
