"""The demo keeps its workers alive: one that died is started again."""

import io
import sys

from apps.bulk.children import Child
from apps.bulk.demo_flow import Demo, Options

SLEEPER = [sys.executable, "-c", "import time; time.sleep(60)"]


def test_a_dead_worker_is_started_again(tmp_path):
    run = Demo(Options(), io.StringIO(), logs=tmp_path)
    worker = Child("worker 1", SLEEPER, tmp_path / "worker1.log").start()
    portal = Child("portal", SLEEPER, tmp_path / "portal.log").start()
    run.children += [worker, portal]
    try:
        worker.process.kill()
        worker.process.wait()
        portal.process.kill()
        portal.process.wait()

        run.revive_workers()

        assert worker.running()
        assert not portal.running()  # only workers are revived
        assert "worker 1 stopped" in run.out.getvalue()
    finally:
        run.stop()
