"""Exactness under concurrency, on PostgreSQL with real OS processes.

50 processes, each with its own database connection, redeem one voucher with 10
uses left at the same moment: exactly 10 reserve a use, 40 are refused with 7001,
and the balance ends at 0. Retried spends from racing processes count once.
"""

import pytest

from apps.ca import errors
from apps.certificates.models import Order
from apps.vouchers import services
from apps.vouchers.models import Voucher, VoucherUse
from tests.vouchers.processes import run_at_once

PARALLEL = 50
USES_LEFT = 10


def _reserve(voucher_id: int, order_id: int) -> tuple[int, int]:
    voucher = Voucher.objects.get(pk=voucher_id)
    order = Order.objects.select_related("site").get(pk=order_id)
    return order_id, services.reserve(voucher, order).pk


def _spend(order_id: int) -> str:
    return services.spend(Order.objects.get(pk=order_id)).state


@pytest.fixture
def crowd(postgres, make_voucher, make_site, make_order):
    """A voucher with 10 uses left (15 allowed, 5 spent) and 50 orders for it."""
    voucher = make_voucher(uses_allowed=USES_LEFT + 5, uses_spent=5)
    orders = [make_order(make_site(), voucher) for _ in range(PARALLEL)]
    return voucher, orders


def test_fifty_parallel_redemptions_of_ten_uses(crowd):
    voucher, orders = crowd
    outcomes = run_at_once(_reserve, [(voucher.pk, order.pk) for order in orders])

    won = [detail[0] for _, kind, detail in outcomes if kind == "ok"]
    refused = [detail for _, kind, detail in outcomes if kind == "refused"]
    assert len(won) == USES_LEFT
    assert len(refused) == PARALLEL - USES_LEFT
    assert {code for code, _ in refused} == {errors.VOUCHER_EXHAUSTED}
    assert all("The voucher has no uses left." in text for _, text in refused)
    assert set(
        VoucherUse.objects.filter(voucher=voucher).values_list("order", flat=True)
    ) == set(won)
    assert services.balance(voucher).left == 0

    # The winners' certificates are recorded: each spends its use, once.
    for order in Order.objects.filter(pk__in=won):
        services.spend(order)
    final = services.balance(voucher)
    assert (final.spent, final.reserved, final.left) == (USES_LEFT + 5, 0, 0)
    assert final.status == Voucher.Status.EXHAUSTED


def test_racing_retries_spend_each_use_once(crowd):
    voucher, orders = crowd
    mine = orders[:USES_LEFT]
    for order in mine:
        services.reserve(voucher, order)
    # Two processes per order spend at the same moment (a task and its retry).
    outcomes = run_at_once(_spend, [(order.pk,) for order in mine + mine])
    assert {detail for _, _, detail in outcomes} == {VoucherUse.State.SPENT}
    final = services.balance(voucher)
    assert (final.spent, final.reserved, final.left) == (USES_LEFT + 5, 0, 0)
    assert services.history(voucher).filter(action="voucher.spent").count() == 10


def test_one_order_reserved_from_two_processes_holds_one_use(crowd):
    voucher, orders = crowd
    order = orders[0]
    outcomes = run_at_once(_reserve, [(voucher.pk, order.pk)] * 8)
    assert {kind for _, kind, _ in outcomes} == {"ok"}
    assert len({detail for _, _, detail in outcomes}) == 1
    assert services.balance(voucher).reserved == 1


def _import(owner_id: int, actor_id: int, text: str) -> tuple[int, list[str]]:
    from apps.accounts.models import Account, User

    report = services.import_csv(
        text,
        owner=Account.objects.get(pk=owner_id),
        actor=User.objects.get(pk=actor_id),
    )
    return report.imported, [line.error for line in report.lines if not line.ok]


def test_racing_imports_of_one_code_import_one_file_whole(postgres, personas):
    header = "code,kind,expires,days,uses\n"
    files = [
        header
        + "SHARED-0001,super,2030-12-31,365,5\n"
        + "".join(f"RACE-{n}-{i:03d},super,2030-12-31,365,5\n" for i in range(20))
        for n in range(6)
    ]
    calls = [(personas.provider.pk, personas.staff.pk, text) for text in files]
    outcomes = run_at_once(_import, calls)

    imported = sorted(detail[0] for _, _, detail in outcomes)
    assert imported == [0] * 5 + [21]
    for _, _, (count, problems) in outcomes:
        if count == 0:
            assert problems and all(problems), problems
    assert Voucher.objects.count() == 21  # one whole file, nothing of the others
