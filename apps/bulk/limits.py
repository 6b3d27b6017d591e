"""Per-server concurrency: at most server.max_concurrency certificate jobs run
against one Plesk server at once, across every worker on every host.

Slots are rows claimed with a conditional UPDATE (exactly one row changes or the
slot is taken) and held under a lease that expires, so a crashed worker's slot frees
itself without anyone cleaning up.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q

from apps.bulk.models import ServerSlot
from apps.core import clock
from apps.fleet.models import PleskServer


def slot_lease() -> timedelta:
    from apps.certificates.services.orders import lease_seconds

    return timedelta(seconds=lease_seconds())


@dataclass
class Slot:
    server_id: int
    number: int
    holder: str


def _ensure_slots(server: PleskServer) -> None:
    have = set(
        ServerSlot.objects.filter(server=server).values_list("number", flat=True)
    )
    for number in range(max(1, server.max_concurrency)):
        if number in have:
            continue
        try:
            with transaction.atomic():
                ServerSlot.objects.create(server=server, number=number)
        except IntegrityError:
            pass  # another worker made it first


def acquire(server: PleskServer, holder: str) -> Slot | None:
    """A free slot of `server` for `holder`, or None when all are taken."""
    _ensure_slots(server)
    now = clock.now()
    free = Q(holder="") | Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    for number in range(max(1, server.max_concurrency)):
        taken = (
            ServerSlot.objects.filter(server=server, number=number)
            .filter(free)
            .update(holder=holder, lease_until=now + slot_lease())
        )
        if taken == 1:
            return Slot(server.pk, number, holder)
    return None


def renew(slot: Slot) -> None:
    ServerSlot.objects.filter(
        server_id=slot.server_id, number=slot.number, holder=slot.holder
    ).update(lease_until=clock.now() + slot_lease())


def release(slot: Slot) -> None:
    ServerSlot.objects.filter(
        server_id=slot.server_id, number=slot.number, holder=slot.holder
    ).update(holder="", lease_until=None)


def busy(server: PleskServer) -> int:
    """Slots held now (for pages and tests)."""
    return (
        ServerSlot.objects.filter(server=server, lease_until__gt=clock.now())
        .exclude(holder="")
        .count()
    )
