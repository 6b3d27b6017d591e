"""Adding a server: a malformed fingerprint or CA bundle is the person's to correct,
refused before anything connects, never reported as an unreachable panel."""

import pytest
from django_celery_beat.models import PeriodicTask

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.fleet.models import PleskServer
from apps.fleet.services import register_server

GARBLED_PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"


def _register(srv, **changes) -> PleskServer:
    fields = {
        "name": srv.identity.name,
        "host": srv.identity.host,
        "port": srv.api_port,
        "secret": srv.identity.secret_key,
        "fingerprint_sha256": srv.fingerprint_sha256,
        "timeout": 5.0,
    }
    fields.update(changes)
    return register_server(**fields)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "trust",
    [
        {"fingerprint_sha256": "zz"},
        {"fingerprint_sha256": "AB:CD:EF"},
        {"fingerprint_sha256": "G" * 64},
        {"fingerprint_sha256": "", "ca_bundle": "not a certificate"},
        {"fingerprint_sha256": "", "ca_bundle": GARBLED_PEM},
    ],
    ids=["short", "partial", "not-hex", "bundle-text", "bundle-garbled"],
)
def test_a_malformed_trust_setting_is_refused_before_connecting(fleet, trust):
    with pytest.raises(CertfleetError) as refused:
        _register(fleet.server(1), **trust)
    assert refused.value.code == errors.PLESK_SETTINGS_INVALID
    assert not refused.value.transient
    assert not PleskServer.objects.exists()
    assert not PeriodicTask.objects.filter(name__startswith="Sync Plesk").exists()


@pytest.mark.django_db
def test_a_fingerprint_in_any_spelling_is_kept_as_colon_hex(fleet):
    srv = fleet.server(1)
    plain = srv.fingerprint_sha256.replace(":", "").lower()
    server = _register(srv, fingerprint_sha256=f" {plain} ")
    assert server.fingerprint_sha256 == srv.fingerprint_sha256.upper()


@pytest.mark.django_db
def test_the_same_panel_cannot_be_added_twice(fleet):
    first = _register(fleet.server(1))
    with pytest.raises(CertfleetError) as refused:
        _register(fleet.server(1), name="same panel, another name")
    assert refused.value.code == errors.SERVER_ALREADY_ADDED
    assert first.name in refused.value.detail
    assert list(PleskServer.objects.all()) == [first]
    # Registering it again under its own name updates it (e.g. a new secret).
    assert _register(fleet.server(1)).pk == first.pk
