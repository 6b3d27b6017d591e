"""Plesk servers through the API, against the sandbox fleet on loopback: read the
fingerprint, add the server with it, sync it, change it; refusals keep nothing."""

import socket

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError

from apps.api.serializers.fleet import check_host
from apps.ca import errors as catalogue
from apps.fleet.models import PleskServer, Site


@pytest.fixture
def panel(sandbox) -> dict:
    return sandbox.state()["servers"][0]


def plain(fingerprint: str) -> str:
    return fingerprint.replace(":", "").lower()


def add(client, panel: dict, **changes):
    body = {
        "name": "panel-one",
        "host": panel["host"],
        "port": panel["api_port"],
        "secret": panel["secret_key"],
        "fingerprint_sha256": panel["fingerprint_sha256"],
        "https_port": panel["https_port"],
    }
    body.update(changes)
    return client.post("/api/v1/servers/", body, format="json")


def test_staff_read_the_fingerprint_add_and_sync_a_server(api, personas, panel):
    client = api("staff")
    read = client.post(
        "/api/v1/servers/fingerprint/",
        {"host": panel["host"], "port": panel["api_port"]},
        format="json",
    )
    assert read.status_code == 200, read.content
    fingerprint = read.json()["fingerprint_sha256"]
    assert plain(fingerprint) == plain(panel["fingerprint_sha256"])

    added = add(client, panel, fingerprint_sha256=fingerprint)
    assert added.status_code == 201, added.content
    server = added.json()
    assert server["plesk_version"] and server["guid"]
    assert "secret" not in server

    synced = client.post(f"/api/v1/servers/{server['id']}/sync/")
    assert synced.status_code == 200, synced.content
    report = synced.json()["report"]
    assert report["created"] > 0
    assert synced.json()["server"]["sync_state"] == "ok"
    count = Site.objects.filter(server_id=server["id"]).count()
    assert synced.json()["server"]["site_count"] == count
    listed = client.get("/api/v1/sites/", {"server": server["id"], "page_size": 500})
    assert listed.json()["count"] == count


def test_a_wrong_fingerprint_saves_nothing(api, personas, panel):
    response = add(api("staff"), panel, fingerprint_sha256="AB:" * 31 + "AB")
    assert response.status_code == 422
    assert response.json()["code"] == catalogue.PLESK_TLS_MISMATCH
    assert not PleskServer.objects.filter(name="panel-one").exists()


def test_a_change_is_checked_against_the_panel(api, personas, panel):
    client = api("staff")
    server_id = add(client, panel).json()["id"]
    url = f"/api/v1/servers/{server_id}/"

    changed = client.patch(url, {"max_concurrency": 9}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["max_concurrency"] == 9

    refused = client.patch(url, {"secret": "wrong-key"}, format="json")
    assert refused.status_code == 422
    assert refused.json()["code"] == catalogue.PLESK_AUTH
    server = PleskServer.objects.get(pk=server_id)
    assert server.secret == panel["secret_key"]
    assert server.max_concurrency == 9


def test_only_staff_add_or_sync(api, personas, panel):
    server = PleskServer.objects.create(name="p", host="127.0.0.1", secret="s")
    for persona in ("reseller_a", "customer_a1"):
        client = api(persona)
        assert add(client, panel).status_code == 403
        assert client.post(f"/api/v1/servers/{server.pk}/sync/").status_code == 403
        fingerprint = client.post(
            "/api/v1/servers/fingerprint/", {"host": panel["host"]}, format="json"
        )
        assert fingerprint.status_code == 403


def test_an_unreachable_panel_is_503_with_retry_after(api, fleet):
    with socket.create_server(("127.0.0.1", 0)) as probe:
        closed_port = probe.getsockname()[1]
    fleet.server.host, fleet.server.port = "127.0.0.1", closed_port
    fleet.server.save()
    response = api("staff").post(f"/api/v1/servers/{fleet.server.pk}/sync/")
    assert response.status_code == 503
    assert response["Retry-After"]
    assert response.json()["code"] == catalogue.PLESK_UNREACHABLE


# Hosts that no socket can look up: an IPv6 zone (one "label" past 63 characters
# for Python's IDNA codec), a label too long, empty labels, a bare word.
BAD_HOSTS = [
    "fe80::1%" + "a" * 70,
    "[::1%eth0]",
    "a" * 64 + ".example",
    "x..example",
    "panel",
    "",
]


@pytest.mark.parametrize("host", BAD_HOSTS)
def test_a_host_no_socket_can_use_is_a_400_with_a_code(api, personas, panel, host):
    client = api("staff")
    read = client.post(
        "/api/v1/servers/fingerprint/", {"host": host, "port": 443}, format="json"
    )
    assert read.status_code == 400, read.content
    assert read.json()["code"] == catalogue.API_INVALID
    assert "host" in read.json()["fields"]

    added = add(client, panel, host=host)
    assert added.status_code == 400, added.content
    assert "host" in added.json()["fields"]
    assert not PleskServer.objects.filter(name="panel-one").exists()


@given(
    st.one_of(
        st.text(max_size=300),
        st.builds(
            lambda address, zone: f"{address}%{zone}",
            st.ip_addresses(v=6).map(str),
            st.text(min_size=1, max_size=100),
        ),
    )
)
@settings(max_examples=300, deadline=None)
def test_every_host_accepted_can_be_looked_up_by_a_socket(text):
    try:
        host = check_host(text)
    except ValidationError:
        return
    host.encode("idna")  # what socket.getaddrinfo and TLS SNI do with it
