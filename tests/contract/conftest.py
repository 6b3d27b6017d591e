import pytest

from apps.fleet.plesk import PleskClient
from apps.sandbox.plesk import start_fleet
from tests.fleet.conftest import config_for


@pytest.fixture(scope="module")
def fleet():
    running = start_fleet(servers=1, sites=80, seed=21, host_prefix="127.0.6")
    yield running
    running.stop()


@pytest.fixture(scope="module")
def client(fleet):
    plesk = PleskClient(config_for(fleet.server(1)))
    yield plesk
    plesk.close()
