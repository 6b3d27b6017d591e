"""How far a push is: one aggregate query over its orders."""

from dataclasses import dataclass, field

from django.db.models import Count

from apps.bulk.models import Push
from apps.ca.errors import lookup
from apps.certificates.models import Order


@dataclass
class FailureGroup:
    code: int
    count: int
    message: str
    advice: str


@dataclass
class Progress:
    total: int
    done: int = 0
    failed: int = 0
    held: int = 0
    running: int = 0
    waiting: int = 0
    already_done: int = 0
    failures: list[FailureGroup] = field(default_factory=list)

    @property
    def finished(self) -> int:
        return self.done + self.failed + self.held

    @property
    def complete(self) -> bool:
        return self.finished >= self.total

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.finished / self.total)


def progress(push: Push) -> Progress:
    """Counts by state and failures grouped by code, with message and advice."""
    rows = (
        Order.objects.filter(push=push)
        .values_list("state", "error_code")
        .annotate(n=Count("pk"))
        .order_by()
    )
    target = push.target or {}
    already = len(target.get("already_done", []))
    result = Progress(total=len(target.get("site_ids", [])), already_done=already)
    failures: dict[int, int] = {}
    created = 0
    for state, code, n in rows:
        created += n
        if state == Order.State.DONE:
            result.done += n
        elif state == Order.State.HELD:
            result.held += n
        elif state == Order.State.RUNNING:
            result.running += n
        elif state == Order.State.PENDING:
            result.waiting += n
        elif state == Order.State.FAILED:
            result.failed += n
            failures[code] = failures.get(code, 0) + n
    # Sites not yet fanned out wait too; those done before this push count done.
    result.done += already
    result.waiting += max(0, result.total - created - already)
    result.failures = [_group(code, n) for code, n in failures.items()]
    result.failures.sort(key=lambda g: -g.count)
    return result


def _group(code: int | None, count: int) -> FailureGroup:
    info = lookup(code if code is not None else 7000)
    return FailureGroup(code or 7000, count, str(info.message), str(info.advice))
