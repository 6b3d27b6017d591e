"""Exactness under concurrency, on PostgreSQL with real OS processes.

50 processes, each with its own database connection, redeem one voucher with 10
uses left at the same moment: exactly 10 reserve a use, 40 are refused with 7001,
and the balance ends at 0. Retried spends from racing processes count once.
"""

import multiprocessing
import os
import traceback

import pytest
from django.db import connection, connections

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Order
from apps.vouchers import services
from apps.vouchers.models import Voucher, VoucherUse

PARALLEL = 50
USES_LEFT = 10
TIMEOUT = 120


@pytest.fixture
def postgres(transactional_db):
    """PostgreSQL, or a skip; in CI (CERTFLEET_REQUIRE_SERVICES=1) a failure."""
    if connection.vendor != "postgresql":
        reason = "needs PostgreSQL: set DATABASE_URL=postgres://..."
        if os.environ.get("CERTFLEET_REQUIRE_SERVICES") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


def _in_child(action, voucher_id, order_id, barrier, results):
    """Runs in a forked process: its own connection, then `action` at the barrier."""
    connections.close_all()
    try:
        voucher = Voucher.objects.get(pk=voucher_id)
        order = Order.objects.select_related("site").get(pk=order_id)
        barrier.wait(timeout=TIMEOUT)
        outcome = action(voucher, order)
        results.put((order_id, os.getpid(), "ok", outcome))
    except CertfleetError as exc:
        results.put((order_id, os.getpid(), "refused", (exc.code, str(exc))))
    except Exception:
        results.put((order_id, os.getpid(), "error", traceback.format_exc()))
    finally:
        connections.close_all()


def _reserve(voucher, order):
    return services.reserve(voucher, order).pk


def _spend(voucher, order):
    return services.spend(order).state


def run_in_processes(action, voucher, orders) -> list[tuple]:
    """`action(voucher, order)` for each order, each in its own process, at once."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(orders))
    results = context.Queue()
    connections.close_all()  # no child may inherit this process's connection
    processes = [
        context.Process(
            target=_in_child, args=(action, voucher.pk, order.pk, barrier, results)
        )
        for order in orders
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=TIMEOUT) for _ in processes]
    for process in processes:
        process.join(timeout=TIMEOUT)
        assert process.exitcode == 0
    results.close()
    results.join_thread()
    assert len({pid for _, pid, _, _ in outcomes}) == len(orders)
    problems = [detail for _, _, kind, detail in outcomes if kind == "error"]
    assert not problems, problems[0]
    return outcomes


@pytest.fixture
def crowd(postgres, make_voucher, make_site, make_order):
    """A voucher with 10 uses left (15 allowed, 5 spent) and 50 orders for it."""
    voucher = make_voucher(uses_allowed=USES_LEFT + 5, uses_spent=5)
    orders = [make_order(make_site(), voucher) for _ in range(PARALLEL)]
    return voucher, orders


def test_fifty_parallel_redemptions_of_ten_uses(crowd):
    voucher, orders = crowd
    outcomes = run_in_processes(_reserve, voucher, orders)

    won = [order_id for order_id, _, kind, _ in outcomes if kind == "ok"]
    refused = [detail for _, _, kind, detail in outcomes if kind == "refused"]
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
    outcomes = run_in_processes(_spend, voucher, mine + mine)
    assert {detail for _, _, kind, detail in outcomes} == {VoucherUse.State.SPENT}
    final = services.balance(voucher)
    assert (final.spent, final.reserved, final.left) == (USES_LEFT + 5, 0, 0)
    assert services.history(voucher).filter(action="voucher.spent").count() == 10


def test_one_order_reserved_from_two_processes_holds_one_use(crowd):
    voucher, orders = crowd
    order = orders[0]
    outcomes = run_in_processes(_reserve, voucher, [order] * 8)
    assert {kind for _, _, kind, _ in outcomes} == {"ok"}
    assert len({detail for _, _, _, detail in outcomes}) == 1
    assert services.balance(voucher).reserved == 1
