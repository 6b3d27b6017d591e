"""Following a push from the command line: a bar while it runs, then the summary
and the failures grouped by code with their advice."""

import time

from apps.api.cli import progress_bar
from apps.bulk import services as bulk
from apps.bulk.models import Push
from apps.bulk.progress import Progress


def wait(push: Push, *, timeout: float, interval: float = 1.0) -> Progress:
    """Poll until the push is complete or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    state = bulk.progress(push)
    with progress_bar(f"push {push.pk}", state.total) as bar:
        shown = 0
        while True:
            bar.update(state.finished - shown)
            shown = state.finished
            if state.complete or time.monotonic() >= deadline:
                return state
            time.sleep(interval)
            state = bulk.progress(push)


def succeeded(state: Progress) -> bool:
    return state.complete and not state.failed and not state.held


def summary(push: Push, state: Progress) -> list[str]:
    lines = [
        f"push {push.pk}: {state.total} sites, {state.done} done "
        f"({state.already_done} before this push), {state.failed} failed, "
        f"{state.held} held for review, {state.running} running, "
        f"{state.waiting} waiting",
    ]
    for group in state.failures:
        lines.append(f"  {group.count} x {group.code}: {group.message}")
        lines.append(f"      what to do: {group.advice}")
    return lines


def as_dict(push: Push, state: Progress) -> dict:
    return {
        "push": push.pk,
        "total": state.total,
        "done": state.done,
        "already_done": state.already_done,
        "failed": state.failed,
        "held": state.held,
        "running": state.running,
        "waiting": state.waiting,
        "complete": state.complete,
        "failures": [
            {"code": g.code, "count": g.count, "message": g.message, "advice": g.advice}
            for g in state.failures
        ],
    }
