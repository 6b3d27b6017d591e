"""Debian's pebble (a small ACME server) on loopback, for the ACME backend's tests.

Pebble binds port 0 for both its ACME and management listeners; the real ports are
read back from the process's sockets. Its listener certificate is made here, and
names are resolved through the DNS server given (the sandbox DNS).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import requests
from cryptography.hazmat.primitives import serialization

from . import pki

PEM = serialization.Encoding.PEM


class PebbleMissing(RuntimeError):
    pass


def _socket_inodes(pid: int) -> set[str]:
    inodes = set()
    folder = f"/proc/{pid}/fd"
    for fd in os.listdir(folder):
        try:
            target = os.readlink(f"{folder}/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    return inodes


def listening_ports(pid: int) -> list[int]:
    """TCP ports the process `pid` listens on (IPv4 and IPv6)."""
    inodes = _socket_inodes(pid)
    ports = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    ports.append(int(fields[1].rsplit(":", 1)[1], 16))
    return sorted(set(ports))


class Pebble:
    def __init__(self, dns: tuple[str, int], eab: dict[str, str] | None = None):
        if not shutil.which("pebble"):
            raise PebbleMissing("pebble is not installed (apt-get install pebble)")
        self.folder = Path(tempfile.mkdtemp(prefix="certfleet-pebble-"))
        listener = pki.make_listener("127.0.0.1")
        self.listener_ca_pem = listener.ca_pem
        (self.folder / "cert.pem").write_text(listener.cert_pem)
        (self.folder / "key.pem").write_text(listener.key_pem)
        (self.folder / "config.json").write_text(json.dumps(self._config(eab)))
        self.log = open(self.folder / "pebble.log", "wb")  # noqa: SIM115
        env = dict(
            os.environ,
            PEBBLE_VA_NOSLEEP="1",
            PEBBLE_WFE_NONCEREJECT="0",
            PEBBLE_AUTHZREUSE="0",
        )
        self.process = subprocess.Popen(
            [
                "pebble",
                "-config",
                str(self.folder / "config.json"),
                "-dnsserver",
                f"{dns[0]}:{dns[1]}",
                "-strict=false",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            self._find_ports()
        except Exception:
            self.stop()
            raise

    def _config(self, eab: dict[str, str] | None) -> dict:
        return {
            "pebble": {
                "listenAddress": "127.0.0.1:0",
                "managementListenAddress": "127.0.0.1:0",
                "certificate": str(self.folder / "cert.pem"),
                "privateKey": str(self.folder / "key.pem"),
                "httpPort": 5002,
                "tlsPort": 5001,
                "ocspResponderURL": "",
                "externalAccountBindingRequired": bool(eab),
                "externalAccountMACKeys": eab or {},
            }
        }

    def _session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.folder / "ca.pem")
        return session

    def _find_ports(self, wait: float = 15.0) -> None:
        """Which of pebble's two listeners is ACME and which is management."""
        (self.folder / "ca.pem").write_text(self.listener_ca_pem)
        give_up = time.monotonic() + wait
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"pebble exited: {self.log_text()[-500:]}")
            ports = listening_ports(self.process.pid)
            if len(ports) == 2:
                with self._session() as session:
                    for port in ports:
                        url = f"https://127.0.0.1:{port}"
                        if session.get(url + "/dir", timeout=5).status_code == 200:
                            self.directory_url = url + "/dir"
                        else:
                            self.management_url = url
                return
            time.sleep(0.1)
        raise RuntimeError("pebble did not start listening")

    def root_pem(self) -> str:
        """Pebble's issuing root (new at every start); for checking chains only."""
        with self._session() as session:
            response = session.get(self.management_url + "/roots/0", timeout=5)
            response.raise_for_status()
            return response.text

    def revocation_status(self, serial: int) -> dict:
        with self._session() as session:
            url = f"{self.management_url}/cert-status-by-serial/{serial:x}"
            return session.get(url, timeout=5).json()

    def log_text(self) -> str:
        self.log.flush()
        return (self.folder / "pebble.log").read_text(errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def start_pebble(dns: tuple[str, int], eab: dict[str, str] | None = None) -> Pebble:
    """Start pebble resolving through `dns`; `eab` maps key ids to base64url keys."""
    return Pebble(dns, eab)
