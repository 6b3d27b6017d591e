"""Helpers for tests that drive the pipeline against the session sandbox.

The fleet outlives each test, so every test takes sites no earlier test used, and
its own voucher (filed at the sandbox CA and in the portal), so the CA's per-voucher
reissue limits of one test never reach another.
"""

import time
import uuid
from datetime import timedelta

from apps.bulk.targets import TARGET_KINDS
from apps.certificates.models import Order
from apps.certificates.services import checks, verify
from apps.core import clock
from apps.fleet.models import Site
from apps.vouchers import networks
from apps.vouchers.models import Voucher

USED: set[str] = set()
NETWORKS = ["127.0.1.0/24", "::1/128"]


def fresh_voucher(registered, uses: int = 50, **fields) -> Voucher:
    """A super voucher by default; kind, bound_name and allow_san are filed at the
    CA as in the portal."""
    code = "T" + uuid.uuid4().hex[:15].upper().replace("O", "A").replace("I", "B")
    code = code.replace("L", "C").replace("1", "7").replace("0", "8")
    nets = fields.pop("networks", NETWORKS)
    kind = fields.pop("kind", "super")
    registered.sandbox.ca.add_voucher(
        code,
        kind,
        nets,
        uses=uses,
        bound_name=fields.get("bound_name", ""),
        allow_san=fields.get("allow_san", False),
    )
    return Voucher.objects.create(
        code=code,
        kind=kind,
        certificate_days=365,
        expires_at=clock.now() + timedelta(days=365),
        networks=nets,
        platform="plesk",
        uses_allowed=uses,
        owner=registered.provider,
        **fields,
    )


def _in_range(site: Site) -> bool:
    return not networks.outside(networks.parse(NETWORKS), site.ip_addresses or [])


def pick_sites(count: int = 1, *, in_range=True, risky=False) -> list[Site]:
    """Unused active sites with hosting, in or out of the voucher's ranges."""
    found = []
    candidates = Site.objects.filter(
        state=Site.State.ACTIVE, kind__in=TARGET_KINDS
    ).select_related("server", "owner")
    for site in candidates.order_by("server_id", "name"):
        if site.name in USED or not site.ip_addresses:
            continue
        if (site.hosting_type or "").lower() in checks.NO_HOSTING:
            continue
        if bool(checks.high_risk_word(site.name)) != risky:
            continue
        if not risky and _in_range(site) != in_range:
            continue
        USED.add(site.name)
        found.append(site)
        if len(found) == count:
            return found
    raise AssertionError(f"the sandbox has no {count} unused sites of that kind")


def served(site: Site) -> dict[str, str]:
    """Fingerprint served for the site's name on each of its addresses."""
    port = site.server.https_port
    return {
        address: verify.fingerprint(verify.served_leaf(address, port, site.name))
        for address in site.ip_addresses
    }


def wait_finished(order: Order, timeout: float = 120.0) -> Order:
    """Poll the database until a worker has finished the order."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        order.refresh_from_db()
        if order.state not in (Order.State.PENDING, Order.State.RUNNING):
            return order
        time.sleep(0.3)
    raise AssertionError(f"order {order.pk} still {order.state} after {timeout}s")
