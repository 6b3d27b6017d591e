import pytest

from apps.fleet.models import Site
from apps.fleet.plesk import PleskClient, PleskConfig
from apps.sandbox.plesk import start_fleet


@pytest.fixture(scope="module")
def fleet():
    running = start_fleet(servers=3, sites=90, seed=11, host_prefix="127.0.1")
    yield running
    running.stop()


def config_for(srv, **changes) -> PleskConfig:
    settings = {
        "host": srv.identity.host,
        "port": srv.api_port,
        "auth": "key",
        "secret": srv.identity.secret_key,
        "fingerprint_sha256": srv.fingerprint_sha256,
        "timeout": 5.0,
        "connect_timeout": 2.0,
        "retries": 1,
        "backoff": 0.05,
        "name": srv.identity.name,
    }
    settings.update(changes)
    return PleskConfig(**settings)


@pytest.fixture
def client_of():
    made: list[PleskClient] = []

    def make(srv, **changes) -> PleskClient:
        client = PleskClient(config_for(srv, **changes))
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


def site_row(domain) -> Site:
    """An unsaved Site as sync would make it, for calling the client."""
    return Site(
        name=domain.ascii_name,
        display_name=domain.name,
        kind=domain.kind,
        plesk_id=domain.id,
        guid=domain.guid,
    )
