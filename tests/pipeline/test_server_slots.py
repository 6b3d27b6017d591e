"""The per-server limit holds across workers and frees itself when a worker dies."""

from datetime import timedelta

import pytest

from apps.bulk import limits
from apps.core import clock
from apps.fleet.models import PleskServer


@pytest.fixture
def server(db):
    return PleskServer.objects.create(
        name="limits.example", host="127.0.1.250", secret="k", max_concurrency=2
    )


def test_no_more_than_max_concurrency_at_once(server):
    first = limits.acquire(server, "worker-a")
    second = limits.acquire(server, "worker-b")
    assert first and second and first.number != second.number
    assert limits.acquire(server, "worker-c") is None
    assert limits.busy(server) == 2
    limits.release(first)
    assert limits.acquire(server, "worker-c") is not None


def test_a_dead_workers_slot_frees_when_its_lease_ends(server):
    limits.acquire(server, "crashed-1")
    limits.acquire(server, "crashed-2")
    assert limits.acquire(server, "alive") is None
    clock.advance(limits.slot_lease() + timedelta(seconds=1))
    try:
        assert limits.acquire(server, "alive") is not None
    finally:
        clock.reset()


def test_release_by_another_holder_changes_nothing(server):
    slot = limits.acquire(server, "owner")
    limits.release(limits.Slot(slot.server_id, slot.number, "someone-else"))
    assert limits.busy(server) == 1
