"""The order's own log: each step's intent is written before it runs and its outcome
after, with timings and the raw answers support needs (secrets masked)."""

import re
from contextlib import contextmanager

from apps.ca.errors import CertfleetError
from apps.certificates.models import Order, OrderStep
from apps.core import clock

_PRIVATE_KEY = re.compile(
    r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?-----END \1PRIVATE KEY-----", re.S
)
_SECRET_TAGS = re.compile(
    r"<(secret_key|password|passwd|KEY|Password)>[^<]*</\1>", re.I
)
_SECRET_HEADERS = re.compile(r"^(KEY|HTTP_AUTH_PASSWD|Authorization):.*$", re.I | re.M)
RAW_LIMIT = 20_000


def mask(raw: str) -> str:
    """Raw protocol text without private keys, passwords or API keys."""
    if not raw:
        return ""
    text = _PRIVATE_KEY.sub("[private key removed]", raw)
    text = _SECRET_TAGS.sub(lambda m: f"<{m.group(1)}>***</{m.group(1)}>", text)
    text = _SECRET_HEADERS.sub(lambda m: f"{m.group(1)}: ***", text)
    return text[:RAW_LIMIT]


class StepRecorder:
    """What one step saw, filled in by the step while it runs."""

    def __init__(self, entry: OrderStep) -> None:
        self.entry = entry
        self.details: list[str] = []
        self.raws: list[str] = []

    def note(self, detail: str) -> None:
        self.details.append(detail)

    def raw(self, text: str) -> None:
        if text:
            self.raws.append(mask(text))

    def close(self, outcome: str, detail: str = "") -> None:
        if detail:
            self.details.append(detail)
        self.entry.outcome = outcome
        self.entry.finished_at = clock.now()
        self.entry.detail = "\n".join(self.details)
        self.entry.raw = "\n\n".join(self.raws)[:RAW_LIMIT]
        self.entry.save(update_fields=["outcome", "finished_at", "detail", "raw"])


@contextmanager
def step(order: Order, name: str):
    """Record `name` as started; then as ok, or as failed with the error's code."""
    entry = OrderStep.objects.create(
        order=order,
        name=name,
        outcome=OrderStep.Outcome.STARTED,
        started_at=clock.now(),
    )
    recorder = StepRecorder(entry)
    try:
        yield recorder
    except CertfleetError as exc:
        recorder.raw(exc.raw)
        recorder.close(OrderStep.Outcome.FAILED, f"{exc.code}: {exc.detail or exc}")
        raise
    except Exception as exc:
        recorder.close(OrderStep.Outcome.FAILED, f"internal: {exc!r}")
        raise
    recorder.close(OrderStep.Outcome.OK)


def note(order: Order, name: str, outcome: str, detail: str = "", raw: str = ""):
    """A one-line log entry (skipped steps, rollback results)."""
    now = clock.now()
    return OrderStep.objects.create(
        order=order,
        name=name,
        outcome=outcome,
        started_at=now,
        finished_at=now,
        detail=detail,
        raw=mask(raw),
    )
