"""The commands against the sandbox fleet on loopback and a real Celery worker:
sync a server, push a voucher onto sites named in a CSV and wait, export."""

import socket
import zipfile

import pytest

from apps.certificates.models import Order
from apps.fleet.models import PleskServer, Site
from tests.cli.test_commands import run
from tests.pipeline import helpers

pytestmark = pytest.mark.slow


def test_sync_server_reads_the_panel(transactional_db, registered_sandbox):
    server = registered_sandbox.servers[0]
    code, out, err = run("sync_server", server.name, "--user", "staff")
    assert code == 0, err
    assert out.startswith(f"{server.name}: ")
    assert "unchanged sites" in out
    assert Site.objects.filter(server=server).exists()


def test_sync_of_an_unreachable_panel_exits_1(transactional_db, registered_sandbox):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        closed = probe.getsockname()[1]
    PleskServer.objects.create(
        name="gone", host="127.0.0.1", port=closed, secret="x", timeout=2
    )
    code, _, err = run("sync_server", "gone")
    assert code == 1
    assert "7104" in err and "what to do" in err


def test_push_from_csv_waits_for_the_result_and_exports(
    transactional_db, celery_worker, registered_sandbox, tmp_path
):
    sites = helpers.pick_sites(2)
    voucher = helpers.fresh_voucher(registered_sandbox)
    names = tmp_path / "sites.csv"
    names.write_text("site\n" + "".join(f"{s.display_name}\n" for s in sites))

    code, out, err = run(
        "push",
        voucher=voucher.code,
        csv=str(names),
        email="noc@provider.example",
        wait=True,
        timeout=300,
        user="staff",
    )

    assert code == 0, out + err
    assert "2 sites, 2 done" in out
    for site in sites:
        site.refresh_from_db()
        fingerprint = site.current_certificate.fingerprint_sha256
        assert set(helpers.served(site).values()) == {fingerprint}
    assert Order.objects.filter(site__in=sites, state="done").count() == 2
    check_export(sites[0], tmp_path / "export.zip")


def check_export(site: Site, archive) -> None:
    """A zip of the server's certificates with full chains and no keys."""
    code, _, _ = run(
        "export_certificates",
        "--format",
        "zip",
        "--output",
        str(archive),
        "--server",
        site.server.name,
    )
    assert code == 0
    with zipfile.ZipFile(archive) as exported:
        wanted = f"{site.name}-{site.current_certificate.serial_hex}"
        chain = exported.read(f"{wanted}/fullchain.pem").decode()
        files = exported.namelist()
    assert chain.count("BEGIN CERTIFICATE") >= 2
    assert not any(name.endswith("key.pem") for name in files)
