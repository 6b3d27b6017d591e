"""A property-based run of the whole OpenAPI schema (schemathesis), in-process
against the WSGI application: generated requests for every operation, as provider
staff and as a customer, must never meet a server error and every answer must match
the schema.

Calls that reach a Plesk panel are pointed at a sandbox panel on loopback (the run
never contacts an address outside loopback); there, made-up credentials are refused
with a catalogue code, never with a 5xx.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi import checks as openapi_checks

from apps.fleet.models import PleskServer
from portal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests through the WSGI app end by closing the database connection, which
    would close the test's transaction; Django's own test client avoids it so."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def panel_server(sandbox, fleet):
    """The fleet's server made a real sandbox panel, so syncs and changes talk to
    a panel that answers."""
    panel = sandbox.state()["servers"][0]
    server: PleskServer = fleet.server
    server.host, server.port = panel["host"], panel["api_port"]
    server.secret = panel["secret_key"]
    server.fingerprint_sha256 = panel["fingerprint_sha256"]
    server.https_port = panel["https_port"]
    server.save()
    return panel


def on_loopback(case, panel: dict) -> None:
    """A generated panel address is replaced by the sandbox panel's, so the run
    never reaches (or even looks up) a host outside loopback."""
    body = case.body
    if isinstance(body, dict) and "host" in body:
        body["host"] = panel["host"]
        body["port"] = panel["api_port"]


def token(personas, attribute: str) -> dict:
    key = Token.objects.get_or_create(user=getattr(personas, attribute))[0].key
    return {"Authorization": f"Token {key}"}


RUN = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)


@schema.parametrize()
@RUN
def test_staff_meet_no_server_error(case, personas, fleet, panel_server):
    on_loopback(case, panel_server)
    case.call_and_validate(headers=token(personas, "staff"), checks=CHECKS)


@schema.parametrize()
@RUN
def test_a_customer_meets_no_server_error(case, personas, fleet, panel_server):
    on_loopback(case, panel_server)
    case.call_and_validate(headers=token(personas, "customer_a1_user"), checks=CHECKS)


@schema.parametrize()
@settings(RUN, max_examples=5)
def test_anonymous_meets_no_server_error(case, fleet):
    case.call_and_validate(checks=CHECKS)
