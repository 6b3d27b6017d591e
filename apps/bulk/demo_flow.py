"""`manage.py demo`: the main job end to end, as a new user sees it.

Starts the sandbox and real Celery workers as child processes, sets the provider up
in the portal, pushes the super voucher onto every site, shows progress, prints the
summary, checks by TLS handshake that every eligible site serves a certificate
chaining to the sandbox root, pushes again to show nothing new is ordered, then
serves the portal (or exits).
"""

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

from apps.bulk import demo, services
from apps.bulk.children import Child, celery_beat, celery_worker, manage
from apps.bulk.models import Push
from apps.certificates.models import Order
from apps.fleet.models import Site
from portal.celery import app as celery_app

PUSH_TIMEOUT = 1800.0
RESUME_EVERY = 15.0
CONTACT = "noc@provider.example"


@dataclass
class Options:
    servers: int = 3
    sites: int = 300
    workers: int = 2
    concurrency: int = 4
    exit_after: bool = False
    port: int = 8000


@dataclass
class Demo:
    options: Options
    out: object
    children: list[Child] = field(default_factory=list)
    logs: Path = field(default_factory=lambda: settings.DATA_DIR / "demo")

    def say(self, text: str = "") -> None:
        self.out.write(text)
        self.out.flush()

    def start_sandbox(self) -> dict:
        path = settings.DATA_DIR / "sandbox" / "state.json"
        path.unlink(missing_ok=True)
        o = self.options
        child = Child(
            "sandbox",
            manage(
                "sandbox",
                "--servers",
                str(o.servers),
                "--sites",
                str(o.sites),
                "--state",
                str(path),
            ),
            self.logs / "sandbox.log",
        ).start()
        self.children.append(child)
        child.wait_for(path.exists, 120, "state file")
        state = json.loads(path.read_text())
        self.say(
            f"sandbox: {len(state['servers'])} Plesk servers, {o.sites} sites, "
            f"voucher CA at {state['ca']['wsdl_url']}"
        )
        return state

    def start_workers(self, dns_server: str) -> None:
        env = {"CERTFLEET_DNS_SERVER": dns_server}
        for number in range(1, self.options.workers + 1):
            worker = Child(
                f"worker {number}",
                celery_worker(f"demo{number}", self.options.concurrency),
                self.logs / f"worker{number}.log",
                env,
            )
            offset = len(worker.log())
            self.children.append(worker.start())
            worker.wait_for(
                lambda w=worker, o=offset: " ready." in w.log()[o:], 120, "ready line"
            )
        total = self.options.workers * self.options.concurrency
        self.say(
            f"celery: {self.options.workers} workers x "
            f"{self.options.concurrency} processes ({total} in all)"
        )

    def revive_workers(self) -> None:
        """Start again a worker that died. kombu's filesystem transport can stop a
        worker on a half-written message file (celery/kombu#1551); a real
        deployment's supervisor does this, and leases give its orders back."""
        for child in self.children:
            if child.name.startswith("worker") and not child.running():
                self.say(f"\n{child.name} stopped (see {child.log_path}); restarting\n")
                child.start()

    def start_beat(self) -> None:
        """The scheduler: renewals, health checks, digests, stalled pushes."""
        beat = Child(
            "beat",
            celery_beat(),
            self.logs / "beat.log",
        )
        self.children.append(beat.start())

    def stop(self) -> None:
        for child in reversed(self.children):
            child.stop()
        self.children.clear()

    def push(self, setup: demo.Setup) -> tuple[Push, float]:
        sites = services.select_sites(setup.staff, {})
        started = time.monotonic()
        push = services.create_push(
            user=setup.staff, voucher=setup.voucher, sites=sites, contact_email=CONTACT
        )
        self.follow(push)
        return push, time.monotonic() - started

    def follow(self, push: Push) -> None:
        deadline = time.monotonic() + PUSH_TIMEOUT
        last_resume = time.monotonic()
        while time.monotonic() < deadline:
            state = services.progress(push)
            self.say(
                f"\r  {state.percent:3d}%  done {state.done}  failed "
                f"{state.failed}  held {state.held}  running {state.running}  "
                f"waiting {state.waiting}   "
            )
            if state.complete and state.running == 0:
                self.say("\n")
                return
            self.revive_workers()
            if time.monotonic() - last_resume > RESUME_EVERY:
                services.resume_stalled(push)
                last_resume = time.monotonic()
            time.sleep(1.0)
        raise RuntimeError(f"push {push.pk} did not finish in {PUSH_TIMEOUT:.0f}s")


def summary_lines(push: Push, elapsed: float) -> list[str]:
    state = services.progress(push)
    issued = state.done - state.already_done
    rate = issued / elapsed if elapsed else 0.0
    lines = [
        f"issued: {issued}   already done before: {state.already_done}   "
        f"failed: {state.failed}   held: {state.held}",
    ]
    for group in state.failures:
        lines.append(f"  failed {group.code} x{group.count}: {group.message}")
    if state.held:
        lines.append(f"  held -5001 x{state.held}: high-risk name, waits for review")
    lines.append(f"elapsed: {elapsed:.1f}s   certificates per second: {rate:.2f}")
    return lines


def eligible_sites(push: Push):
    done = Order.objects.filter(push=push, state=Order.State.DONE).values("site_id")
    already = (push.target or {}).get("already_done", [])
    return Site.objects.filter(
        pk__in=list(done.values_list("site_id", flat=True)) + list(already)
    ).select_related("server")


def unchanged_sites(push: Push, before: dict[int, str]) -> tuple[int, int]:
    """Failed and held sites: how many still serve what they served before."""
    refused = Order.objects.filter(
        push=push, state__in=[Order.State.FAILED, Order.State.HELD]
    ).values_list("site_id", flat=True)
    sites = Site.objects.filter(pk__in=list(refused)).select_related("server")
    now = demo.served_now(sites)
    same = sum(1 for pk, fp in now.items() if fp == before.get(pk))
    return same, len(now)


def purge_broker() -> None:
    celery_app.control.purge()
