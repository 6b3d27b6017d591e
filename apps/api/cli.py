"""What the management commands share: exit codes, the acting user, progress bars
and how a failure is told.

Exit codes scripts can rely on:
  0  the work is done (for a push: every site secured)
  1  the work ran and failed: refused by a rule, Plesk or the CA failed, or sites
     of a push failed or are held for review; also a --timeout that passed
  2  the command could not start: wrong arguments or input (unknown user, server,
     push or site names, unreadable CSV); nothing was changed
"""

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from django.core.management.base import BaseCommand, CommandError

from apps.accounts.models import User
from apps.ca.errors import CertfleetError

OK, FAILED, USAGE = 0, 1, 2
USER_VARIABLE = "CERTFLEET_USER"


class Failed(CommandError):
    """The work ran and failed (exit 1)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=FAILED)


class UsageError(CommandError):
    """The command could not start (exit 2)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, returncode=USAGE)


def explain(exc: CertfleetError) -> Failed:
    """A catalogue failure as people read it: code, message, what was seen, advice."""
    lines = [f"{exc.code}: {exc.info.message}"]
    if exc.detail:
        lines.append(f"  seen: {exc.detail}")
    lines.append(f"  what to do: {exc.info.advice}")
    return Failed("\n".join(lines))


class CertfleetCommand(BaseCommand):
    """A command whose catalogue failures end with exit 1 and their advice."""

    def execute(self, *args: Any, **options: Any) -> str | None:
        try:
            return super().execute(*args, **options)
        except CertfleetError as exc:
            raise explain(exc) from exc

    def add_user_argument(self, parser, required: bool = True) -> None:
        parser.add_argument(
            "--user",
            help=f"Username the work is done as and audited for "
            f"(default: ${USER_VARIABLE})"
            + ("" if required else "; without it, everything is in scope"),
        )


def acting_user(username: str | None, required: bool = True) -> User | None:
    """The user named by --user or $CERTFLEET_USER; scoping and audit follow them."""
    name = username or os.environ.get(USER_VARIABLE, "")
    if not name:
        if not required:
            return None
        raise UsageError(f"Say who acts: --user USERNAME (or set ${USER_VARIABLE}).")
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise UsageError(f"There is no active user {name!r}.")
    return user


def read_text(name: str) -> str:
    """A UTF-8 file's text, or standard input for "-"."""
    if name == "-":
        return sys.stdin.read()
    try:
        return Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read {name}: {exc}") from exc


@contextmanager
def progress_bar(label: str, total: int) -> Iterator[Any]:
    """A bar on stderr (shown only on a terminal); `bar.update(n)` moves it on."""
    with click.progressbar(length=max(total, 1), label=label, file=sys.stderr) as bar:
        yield bar


class MovingBar:
    """A progress bar for work whose total is learnt on the way (a sync)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self._bar: Any = None
        self._context: Any = None
        self._shown = 0

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._context = progress_bar(self.label, total)
            self._bar = self._context.__enter__()
        self._bar.update(max(0, done - self._shown))
        self._shown = max(done, self._shown)

    def close(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = self._bar = None
