import datetime as dt

import pytest

from apps.ca.models import CertificateAuthority
from apps.core import clock
from apps.fleet.models import PleskServer, Site
from tests.lifecycle.pki import LabCA
from tests.lifecycle.tls_server import SiteServer


@pytest.fixture(autouse=True)
def _clock_back():
    yield
    clock.reset()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # The personas' passwords need no real hashing here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def lab_ca() -> LabCA:
    return LabCA()


@pytest.fixture
def site_server():
    server = SiteServer().start()
    yield server
    server.stop()


@pytest.fixture
def authority(db, lab_ca) -> CertificateAuthority:
    return CertificateAuthority.objects.create(
        name="Lab CA",
        backend="voucher",
        endpoint="https://127.0.0.1:1/wsdl",
        trusted_roots=lab_ca.root.pem,
        is_default=True,
    )


class Fleet:
    """Servers and sites in the database, for tests that need no Plesk."""

    def __init__(self, https_port: int = 443):
        self.https_port = https_port
        self.servers: list[PleskServer] = []

    def server(self, name: str = "plesk1") -> PleskServer:
        server, _ = PleskServer.objects.get_or_create(
            name=name,
            defaults={
                "host": "127.0.0.1",
                "secret": "k",
                "https_port": self.https_port,
            },
        )
        return server

    def site(self, name: str, owner, server: PleskServer | None = None) -> Site:
        return Site.objects.create(
            server=server or self.server(),
            owner=owner,
            name=name,
            display_name=name,
            ip_addresses=["127.0.0.1"],
        )


@pytest.fixture
def fleet(db, site_server) -> Fleet:
    return Fleet(https_port=site_server.port)


def make_voucher(owner, kind="super", days=90, uses=100, code=None):
    from apps.vouchers.models import Voucher

    return Voucher.objects.create(
        code=code or f"LAB{Voucher.objects.count() + 1:06d}",
        kind=kind,
        certificate_days=days,
        expires_at=clock.now() + dt.timedelta(days=365),
        networks=["127.0.0.0/8"],
        uses_allowed=uses,
        owner=owner,
    )
