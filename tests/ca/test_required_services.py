"""A test that needs an installed service skips where it is missing, except in CI
(CERTFLEET_REQUIRE_SERVICES=1), where the missing service fails the run."""

import pytest

from tests.ca.test_acme import _pebble
from tests.fixtures import services

FAILED, SKIPPED = pytest.fail.Exception, pytest.skip.Exception


@pytest.fixture
def no_programs(monkeypatch, tmp_path):
    """A PATH with nothing on it: pebble, curl and the rest are missing."""
    monkeypatch.setenv("PATH", str(tmp_path))


def outcome(call, *args) -> tuple[type, str]:
    """How the test calling `call` would end: failed or skipped, and why."""
    try:
        call(*args)
    except (FAILED, SKIPPED) as ended:
        return type(ended), str(ended)
    raise AssertionError(f"{call.__name__} neither failed nor skipped")


def test_missing_pebble_fails_when_services_are_required(dns, no_programs, monkeypatch):
    monkeypatch.setenv(services.REQUIRE, "1")
    ended, reason = outcome(_pebble, dns)
    assert ended is FAILED and "pebble is not installed" in reason


def test_missing_pebble_skips_on_a_developers_machine(dns, no_programs, monkeypatch):
    monkeypatch.delenv(services.REQUIRE, raising=False)
    ended, reason = outcome(_pebble, dns)
    assert ended is SKIPPED and "pebble is not installed" in reason


def test_a_missing_program_fails_only_when_services_are_required(
    no_programs, monkeypatch
):
    monkeypatch.setenv(services.REQUIRE, "1")
    assert outcome(services.program, "curl", "curl")[0] is FAILED
    monkeypatch.setenv(services.REQUIRE, "0")
    ended, reason = outcome(services.program, "curl", "curl")
    assert ended is SKIPPED and "apt-get install curl" in reason
