"""Run a function in many OS processes at the same moment (forked, each with its
own database connection), for the concurrency tests."""

import multiprocessing
import os
import traceback

from django.db import connections

from apps.ca.errors import CertfleetError

TIMEOUT = 120


def _child(target, args, barrier, results):
    connections.close_all()  # never the parent's connection
    try:
        barrier.wait(timeout=TIMEOUT)
        results.put((os.getpid(), "ok", target(*args)))
    except CertfleetError as exc:
        results.put((os.getpid(), "refused", (exc.code, str(exc))))
    except Exception:
        results.put((os.getpid(), "error", traceback.format_exc()))
    finally:
        connections.close_all()


def run_at_once(target, calls: list[tuple]) -> list[tuple[int, str, object]]:
    """`target(*args)` for each args tuple of `calls`, each in its own process,
    released together; (pid, "ok" | "refused", result or (code, text)) each."""
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(len(calls))
    results = context.Queue()
    connections.close_all()  # no child may inherit this process's connection
    processes = [
        context.Process(target=_child, args=(target, args, barrier, results))
        for args in calls
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=TIMEOUT) for _ in processes]
    for process in processes:
        process.join(timeout=TIMEOUT)
        assert process.exitcode == 0
    results.close()
    results.join_thread()
    assert len({pid for pid, _, _ in outcomes}) == len(calls)
    problems = [detail for _, kind, detail in outcomes if kind == "error"]
    assert not problems, problems[0]
    return outcomes
