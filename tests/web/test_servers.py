"""Adding a Plesk server: the panel's fingerprint is fetched over a real TLS
connection to a sandbox server, confirmed, then the server is registered and its
sync queued; the server page then lists its sites."""

import pytest
from django.urls import reverse

from apps.fleet.models import PleskServer
from apps.fleet.services import sync_server

pytestmark = pytest.mark.django_db


def server_form(info: dict, **changes) -> dict:
    data = {
        "name": info["name"],
        "host": info["host"],
        "port": info["api_port"],
        "auth": "key",
        "login": "admin",
        "secret": info["secret_key"],
        "https_port": info["https_port"],
        "max_concurrency": 4,
    }
    return {**data, **changes}


def test_add_server_with_confirmed_fingerprint(
    client, personas, sandbox, django_capture_on_commit_callbacks
):
    info = sandbox.state()["servers"][0]
    client.force_login(personas.staff)
    response = client.post(reverse("fleet:server_add"), server_form(info))
    page = response.content.decode()
    assert response.status_code == 200
    assert info["fingerprint_sha256"].upper() in page.upper()
    assert info["secret_key"] not in page
    assert not PleskServer.objects.exists()  # nothing saved before confirming

    url = reverse("fleet:server_confirm")
    assert client.post(url, {}).status_code == 400  # not confirmed yet
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(url, {"confirm": "on"})
    server = PleskServer.objects.get(name=info["name"])
    assert response["Location"] == reverse("fleet:server", args=[server.pk])
    assert server.fingerprint_sha256.replace(":", "").upper() == (
        info["fingerprint_sha256"].replace(":", "").upper()
    )
    assert server.secret == info["secret_key"]
    assert len(queued) == 1  # the sync task, sent after commit

    sync_server(server)  # what the queued task runs
    page = client.get(reverse("fleet:server", args=[server.pk])).content.decode()
    some_site = server.sites.order_by("name").first()
    assert some_site is not None and some_site.display_name in page


def test_unreachable_panel_shows_code_and_advice(client, personas):
    client.force_login(personas.staff)
    info = {"name": "gone", "host": "127.0.0.1", "api_port": 1, "secret_key": "k"}
    response = client.post(
        reverse("fleet:server_add"), server_form({**info, "https_port": 443})
    )
    assert response.status_code == 400
    assert "Error 7104" in response.content.decode()


def test_wrong_secret_is_refused_at_confirmation(client, personas, sandbox):
    info = sandbox.state()["servers"][1]
    client.force_login(personas.staff)
    client.post(reverse("fleet:server_add"), server_form(info, secret="wrong"))
    response = client.post(reverse("fleet:server_confirm"), {"confirm": "on"})
    assert response.status_code == 400
    assert "Error 7101" in response.content.decode()
    assert not PleskServer.objects.exists()
