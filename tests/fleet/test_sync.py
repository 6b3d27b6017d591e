"""Registering a sandbox server and syncing it into accounts and sites."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_celery_beat.models import PeriodicTask

from apps.accounts.models import Account
from apps.audit.models import AuditEvent
from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.models import PleskServer, Site
from apps.fleet.services import register_server, sync_server
from apps.fleet.tasks import sync_server_task
from apps.sandbox.plesk import start_fleet


@pytest.fixture
def own_fleet():
    """A fleet a test may change behind the product's back."""
    running = start_fleet(servers=2, sites=60, seed=5, host_prefix="127.0.3")
    yield running
    running.stop()


def register(srv, **changes) -> PleskServer:
    fields = {
        "name": srv.identity.name,
        "host": srv.identity.host,
        "port": srv.api_port,
        "auth": "key",
        "login": "admin",
        "secret": srv.identity.secret_key,
        "fingerprint_sha256": srv.fingerprint_sha256,
        "https_port": srv.https_port,
        "timeout": 10.0,
    }
    fields.update(changes)
    return register_server(**fields)


@pytest.mark.django_db
def test_register_reads_the_server_and_schedules_its_sync(own_fleet, personas):
    srv = own_fleet.server(2)
    server = register(srv, actor=personas.staff)
    assert server.pk and server.guid == srv.identity.guid
    assert (server.plesk_version, server.protocol_version) == ("17.0.17", "1.6.8.0")
    task = PeriodicTask.objects.get(task="apps.fleet.tasks.sync_server_task")
    assert task.args == f"[{server.pk}]" and task.interval.every == 60
    event = AuditEvent.objects.get(action="server.registered")
    assert event.actor == personas.staff and event.object_id == str(server.pk)


@pytest.mark.django_db
def test_register_with_a_wrong_fingerprint_saves_nothing(own_fleet):
    srv = own_fleet.server(1)
    with pytest.raises(CertfleetError) as caught:
        register(srv, fingerprint_sha256=own_fleet.server(2).fingerprint_sha256)
    assert caught.value.code == errors.PLESK_TLS_MISMATCH
    assert not PleskServer.objects.exists()
    assert not PeriodicTask.objects.filter(name__startswith="Sync Plesk").exists()


@pytest.mark.django_db
def test_sync_fills_the_tree_and_the_sites(own_fleet, personas):
    srv = own_fleet.server(1)
    server = register(srv)
    seen = []
    report = sync_server(
        server, progress=lambda done, total: seen.append((done, total))
    )
    pop = srv.state.population
    assert report.accounts_created == len(pop.resellers) + len(pop.customers)
    assert seen[-1][0] == seen[-1][1] == len(srv.state.webspaces())

    resellers = Account.objects.filter(server=server, kind="reseller")
    assert {a.parent_id for a in resellers} == {personas.provider.pk}
    customer = pop.customers[1]  # owned by a reseller
    row = Account.objects.get(server=server, plesk_guid=customer.guid)
    assert row.parent.plesk_id == customer.owner_id
    assert row.path.startswith(row.parent.path)

    sites = Site.objects.filter(server=server)
    assert sites.count() == len(srv.state.domains) + len(srv.state.aliases)
    for domain in srv.state.domains.values():
        # Subdomains come without a GUID from Plesk.
        site = sites.get(name=domain.ascii_name)
        assert site.guid == ("" if domain.kind == "subdomain" else domain.guid)
        assert (site.name, site.kind, site.plesk_id) == (
            domain.ascii_name,
            domain.kind,
            domain.id,
        )
        assert site.ip_addresses == domain.ips
        assert site.bound_certificate_name == domain.certificate_name
        assert site.ssl_enabled == domain.ssl
        if domain.kind != "subdomain":
            owner_guid = next(
                (c.guid for c in pop.customers if c.id == domain.owner_id), ""
            )
            assert site.owner.plesk_guid == owner_guid
    idn = sites.filter(name__startswith="xn--").first()
    assert idn is not None and idn.display_name != idn.name
    alias = sites.filter(kind="alias").first()
    assert alias.parent.plesk_id == srv.state.aliases[alias.plesk_id].site_id
    assert alias.owner_id == alias.parent.owner_id
    server.refresh_from_db()
    assert server.sync_state == "ok" and server.last_sync_at
    assert server.ip_addresses == [
        {"address": "127.0.3.1", "type": "shared"},
        {"address": "127.0.4.1", "type": "exclusive"},
        {"address": "::1", "type": "exclusive"},
    ]


@pytest.mark.django_db
def test_second_sync_writes_only_what_changed(own_fleet):
    srv = own_fleet.server(1)
    server = register(srv)
    sync_server(server)
    assert sync_server(server).written == 0

    domains = [d for d in srv.state.domains.values() if d.kind == "site"]
    renamed, gone, rebound = domains[0], domains[1], domains[2]
    old_name = renamed.ascii_name
    own_fleet.rename_site(old_name, "renamed-shop.example")
    own_fleet.remove_site(gone.ascii_name)
    rebound.ssl, rebound.certificate_name = True, "bound-by-hand"
    srv.state.pool(rebound.id)["bound-by-hand"] = None
    added = own_fleet.add_site(srv.state.webspaces()[0].ascii_name, "fresh.example")
    untouched = Site.objects.exclude(
        guid__in=[renamed.guid, gone.guid, rebound.guid, added.guid]
    )
    before = {s.pk: s.synced_at for s in untouched}

    report = sync_server(server)
    assert (report.created, report.updated, report.orphaned) == (1, 2, 1)
    row = Site.objects.get(guid=renamed.guid)
    assert row.name == "renamed-shop.example"
    assert not Site.objects.filter(name=old_name).exists()
    assert Site.objects.get(guid=gone.guid).state == Site.State.ORPHANED
    assert Site.objects.get(guid=rebound.guid).bound_certificate_name == (
        "bound-by-hand"
    )
    assert {s.pk: s.synced_at for s in Site.objects.filter(pk__in=before)} == before


@pytest.mark.django_db
def test_queries_do_not_grow_with_the_number_of_sites(own_fleet):
    small = start_fleet(servers=1, sites=20, seed=9, host_prefix="127.0.4")
    try:
        counts = []
        for srv in (small.server(1), own_fleet.server(2)):
            server = register(srv)
            for _ in range(2):  # first sync, then one with nothing new
                with CaptureQueriesContext(connection) as queries:
                    sync_server(server)
                counts.append(len(queries))
    finally:
        small.stop()
    assert counts[0] == counts[2] < 40
    assert counts[1] == counts[3] < 40


@pytest.mark.django_db
def test_unreachable_server_fails_the_sync_and_says_why(own_fleet):
    srv = own_fleet.server(1)
    server = register(srv)
    srv.faults.http_error(503)
    try:
        with pytest.raises(CertfleetError) as caught:
            sync_server(server)
    finally:
        srv.faults.clear()
    assert caught.value.code == errors.PLESK_UNREACHABLE
    server.refresh_from_db()
    assert server.sync_state == "failed" and "503" in server.sync_message


@pytest.mark.django_db
def test_the_task_syncs_by_id_and_records_failure(own_fleet):
    srv = own_fleet.server(2)
    server = register(srv)
    sync_server_task(server.pk)
    assert Site.objects.filter(server=server).count() > 0
    srv.faults.error_packet("webspace", "get", 1023, "Operation failed")
    try:
        sync_server_task(server.pk)  # does not raise: the next period retries
    finally:
        srv.faults.clear()
    server.refresh_from_db()
    assert server.sync_state == "failed"


@pytest.mark.parametrize(
    "raw",
    [
        "Shop.Example",
        "xn--bcher-kva.example",
        "bücher.example",
        "straße.example",
        "a-b.test.",
        "xn--d1abbgf6aiiy.xn--p1ai",
    ],
)
def test_names_from_plesk_are_normalised_like_everywhere_else(raw):
    from apps.core import names
    from apps.fleet.services.remote import Snapshot, _names

    expected = names.to_ascii(raw)
    assert _names(Snapshot(), raw, raw) == (expected, names.to_unicode(expected))


def test_the_task_runs_in_a_real_worker(transactional_db, celery_worker, own_fleet):
    import time

    srv = own_fleet.server(1)
    server = register(srv)
    sync_server_task.delay(server.pk)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        server.refresh_from_db()
        if server.sync_state in ("ok", "failed"):
            break
        time.sleep(0.2)
    assert server.sync_state == "ok", celery_worker.log()
    assert server.sync_done == server.sync_total == len(srv.state.webspaces())
    assert Site.objects.filter(server=server).count() == (
        len(srv.state.domains) + len(srv.state.aliases)
    )
