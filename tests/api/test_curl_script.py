"""scripts/curl-push.sh, as the README shows it: against a live portal, a real
Celery worker and the sandbox fleet and CA on loopback, the script imports vouchers,
pushes one onto every site of a server and waits for the result.

Every site the voucher may cover ends serving its new certificate (TLS handshake with
SNI); the rest fail or are held with their code; the script's exit code says which.
Run again, it replays its answers: no second import, no second push.
"""

import os
import subprocess
import uuid

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from apps.bulk.models import Push
from apps.bulk.targets import TARGET_KINDS
from apps.certificates.models import Order
from apps.fleet.models import Site
from apps.vouchers.models import Voucher
from tests.fixtures import services
from tests.pipeline import helpers

pytestmark = pytest.mark.slow
SCRIPT = settings.BASE_DIR / "scripts" / "curl-push.sh"
NETWORKS = "127.0.1.0/24 ::1/128"


def new_code(sandbox) -> str:
    """A super voucher the sandbox CA knows and the portal does not (yet)."""
    code = "C" + uuid.uuid4().hex[:15].upper()
    code = code.replace("0", "8").replace("1", "7")
    sandbox.ca.add_voucher(code, "super", NETWORKS.split(), uses=200)
    return code


def run_script(env: dict, timeout: float = 900) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["sh", str(SCRIPT)],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def check_outcome(orders: list[Order], result: subprocess.CompletedProcess) -> None:
    """Secured sites serve their new certificate; the others are reported by code;
    the exit code tells which case it was."""
    done = [o for o in orders if o.state == Order.State.DONE]
    held = [o for o in orders if o.state == Order.State.HELD]
    failed = [o for o in orders if o.state == Order.State.FAILED]
    assert done, result.stdout + result.stderr
    assert len(done) + len(held) + len(failed) == len(orders)
    for order in done:
        site = order.site
        site.refresh_from_db()
        fingerprint = site.current_certificate.fingerprint_sha256
        assert set(helpers.served(site).values()) == {fingerprint}
    for order in failed:
        assert f" x {order.error_code}: " in result.stderr
    assert f"{len(failed)} failed, {len(held)} held" in result.stdout
    assert result.returncode == (1 if held or failed else 0), result.stderr
    if not (held or failed):
        assert "every site secured" in result.stdout


@pytest.fixture
def curl() -> str:
    """curl's path; without it a skip, or a failure in CI."""
    return services.program("curl", "curl")


def test_curl_script_imports_pushes_and_waits(
    curl, transactional_db, celery_worker, registered_sandbox, live_server, tmp_path
):
    server = registered_sandbox.servers[-1]
    targets = Site.objects.filter(
        server=server, state=Site.State.ACTIVE, kind__in=TARGET_KINDS
    )
    # The fleet outlives this test: other tests must not pick these sites.
    helpers.USED.update(targets.values_list("name", flat=True))
    code = new_code(registered_sandbox.sandbox)
    csv = tmp_path / "vouchers.csv"
    csv.write_text(
        f"code,kind,expires,uses,networks\n{code},super,2035-12-31,200,{NETWORKS}\n"
    )
    env = {
        "CERTFLEET_URL": live_server.url,
        "CERTFLEET_TOKEN": Token.objects.create(user=registered_sandbox.staff).key,
        "VOUCHER_CSV": str(csv),
        "VOUCHER_CODE": code,
        "SERVER_ID": str(server.pk),
        "CONTACT_EMAIL": "noc@provider.example",
        "TIMEOUT": "600",
        "POLL": "1",
    }

    first = run_script(env)
    print(first.stdout, first.stderr)  # shown when the test fails

    assert "imported 1 vouchers" in first.stdout, first.stderr
    push = Push.objects.get(voucher__code=code)
    assert f"push {push.pk} started" in first.stdout
    orders = Order.objects.filter(push=push).select_related("site__server")
    assert orders.count() == targets.count()
    check_outcome(list(orders), first)

    again = run_script(env)

    assert again.returncode == first.returncode
    assert f"push {push.pk} started" in again.stdout
    assert Push.objects.filter(voucher__code=code).count() == 1
    assert Voucher.objects.filter(code=code).count() == 1
    assert Order.objects.filter(push=push).count() == orders.count()
