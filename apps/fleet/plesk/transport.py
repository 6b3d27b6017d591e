"""HTTPS to one panel's agent.php: TLS checked against a pinned fingerprint or a CA
bundle, timeouts, and retries with backoff for failures that are safe to repeat."""

import logging
import time
from dataclasses import dataclass

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from apps.ca import errors
from apps.fleet.plesk.config import PleskConfig

logger = logging.getLogger(__name__)

# Answers that never reached agent.php's logic: safe to send again.
_RETRY_ALWAYS = {502, 503, 504}


@dataclass
class Reply:
    status: int
    body: bytes
    seconds: float


class Transport:
    def __init__(self, config: PleskConfig) -> None:
        self.config = config
        self.pool = urllib3.HTTPSConnectionPool(
            config.host,
            config.port,
            maxsize=1,
            timeout=urllib3.Timeout(
                connect=config.connect_timeout, read=config.timeout
            ),
            retries=False,
            **_trust(config),
        )

    def close(self) -> None:
        self.pool.close()

    def post(self, body: bytes, headers: dict[str, str], read_only: bool) -> Reply:
        """Send once, retrying transient failures; raise CertfleetError at the end."""
        attempt = 0
        while True:
            try:
                return self._send(body, headers, read_only)
            except _Retry as exc:
                if attempt >= self.config.retries:
                    raise exc.error from None
                delay = self.config.backoff * (2**attempt)
                logger.warning(
                    "Plesk server %s: %s; retry in %.1fs",
                    self.config.name or self.config.host,
                    exc.error,
                    delay,
                )
                time.sleep(delay)
                attempt += 1

    def _send(self, body: bytes, headers: dict[str, str], read_only: bool) -> Reply:
        started = time.monotonic()
        try:
            response = self.pool.urlopen(
                "POST",
                self.config.url_path,
                body=body,
                headers=headers,
                preload_content=True,
            )
        except Exception as exc:  # classified below
            raise _classify(exc, read_only, self.config) from None
        reply = Reply(response.status, response.data, time.monotonic() - started)
        if reply.status >= 500:
            error = errors.CertfleetError(
                errors.PLESK_UNREACHABLE,
                f"HTTP {reply.status} from the panel",
                raw=reply.body[:2000].decode("utf-8", "replace"),
            )
            if reply.status in _RETRY_ALWAYS or read_only:
                raise _Retry(error)
            raise error
        if reply.status in (401, 403):
            raise errors.CertfleetError(errors.PLESK_AUTH, f"HTTP {reply.status}")
        if reply.status != 200:
            raise errors.CertfleetError(
                errors.PLESK_MALFORMED,
                f"HTTP {reply.status} at {self.config.url_path}: not a Plesk panel?",
            )
        return reply


class _Retry(Exception):
    def __init__(self, error: errors.CertfleetError) -> None:
        super().__init__(str(error))
        self.error = error


def _trust(config: PleskConfig) -> dict:
    if config.fingerprint_sha256:
        # Pinning: the chain is not checked, the exact certificate is, before any
        # byte of the request is sent.
        return {
            "cert_reqs": "CERT_NONE",
            "assert_hostname": False,
            "assert_fingerprint": config.fingerprint_sha256.replace(":", ""),
        }
    if config.ca_bundle:
        return {"cert_reqs": "CERT_REQUIRED", "ca_cert_data": config.ca_bundle}
    return {"cert_reqs": "CERT_REQUIRED"}


def _classify(exc: Exception, read_only: bool, config: PleskConfig) -> Exception:
    where = f"{config.host}:{config.port}"
    if isinstance(exc, SSLError):
        text = str(exc)
        mismatch = (
            "Fingerprints did not match" in text
            or "CERTIFICATE_VERIFY_FAILED" in text
            or "doesn't match" in text
            or "mismatch" in text.lower()
        )
        if mismatch:
            return errors.CertfleetError(errors.PLESK_TLS_MISMATCH, text[:300])
        return _Retry(
            errors.CertfleetError(
                errors.PLESK_UNREACHABLE, f"TLS failure at {where}: {text[:200]}"
            )
        )
    # NewConnectionError is a kind of ConnectTimeoutError: ask it first.
    if isinstance(exc, NewConnectionError):
        return _Retry(
            errors.CertfleetError(
                errors.PLESK_UNREACHABLE, f"cannot connect to {where}"
            )
        )
    if isinstance(exc, ConnectTimeoutError):
        return _Retry(
            errors.CertfleetError(
                errors.PLESK_TIMEOUT, f"no connection to {where} in time"
            )
        )
    if isinstance(exc, ReadTimeoutError):
        error = errors.CertfleetError(
            errors.PLESK_TIMEOUT, f"no answer from {where} in {config.timeout}s"
        )
        return _Retry(error) if read_only else error
    if isinstance(exc, ProtocolError | HTTPError | OSError):
        error = errors.CertfleetError(
            errors.PLESK_UNREACHABLE, f"connection to {where} broke: {exc}"[:300]
        )
        return _Retry(error) if read_only else error
    return exc
