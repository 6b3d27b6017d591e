"""Pages of the fleet: each persona's main page, servers and sites."""

from apps.fleet.views.dashboard import home
from apps.fleet.views.servers import (
    ServerListView,
    server_add,
    server_confirm,
    server_detail,
    server_sync,
    server_sync_state,
)
from apps.fleet.views.sites import SiteListView, site_detail, site_test

__all__ = [
    "ServerListView",
    "SiteListView",
    "home",
    "server_add",
    "server_confirm",
    "server_detail",
    "server_sync",
    "server_sync_state",
    "site_detail",
    "site_test",
]
