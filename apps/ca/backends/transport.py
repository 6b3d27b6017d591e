"""HTTP for the SOAP client: verified TLS, timeouts, and a masked record of the
exchange for the order log."""

import hashlib
import re
from pathlib import Path

import requests
from django.conf import settings
from zeep.cache import InMemoryCache
from zeep.transports import Transport

_SECRET_ELEMENTS = re.compile(
    r"(<(?:[\w.-]+:)?(Voucher|Password|AuthToken)\b[^>]*>)(.*?)(</(?:[\w.-]+:)?\2>)",
    re.S,
)
_PRIVATE_KEY = re.compile(
    r"-----BEGIN ([A-Z ]*)PRIVATE KEY-----.*?-----END \1PRIVATE KEY-----", re.S
)


def mask(text: str) -> str:
    """The text with voucher codes, passwords and private keys hidden.

    A voucher keeps its last four characters so support can tell vouchers apart.
    """

    def hide(match: re.Match) -> str:
        value = match.group(3)
        shown = value[-4:] if match.group(2) == "Voucher" and len(value) > 8 else ""
        return f"{match.group(1)}****{shown}{match.group(4)}"

    text = _SECRET_ELEMENTS.sub(hide, text)
    return _PRIVATE_KEY.sub("[private key removed]", text)


def bundle_path(pem: str) -> str | None:
    """A file holding `pem` (requests wants a path); None for an empty bundle."""
    if not pem.strip():
        return None
    digest = hashlib.sha256(pem.encode()).hexdigest()[:32]
    folder = Path(settings.DATA_DIR) / "ca-bundles"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{digest}.pem"
    if not path.exists():
        partial = path.with_suffix(".part")
        partial.write_text(pem)
        partial.replace(path)
    return str(path)


def session_for(ca_bundle: str) -> requests.Session:
    """A session that trusts exactly `ca_bundle` (or the system store when empty).

    Environment variables such as REQUESTS_CA_BUNDLE or proxies must not override
    the trust configured for the CA, so the environment is ignored.
    """
    session = requests.Session()
    session.trust_env = False
    session.verify = bundle_path(ca_bundle) or True
    return session


class RecordingTransport(Transport):
    """zeep's transport, keeping each request and answer (masked) as text."""

    def __init__(self, session: requests.Session, timeout: float):
        super().__init__(
            session=session,
            timeout=timeout,
            operation_timeout=timeout,
            cache=InMemoryCache(timeout=600),
        )
        self.exchange: list[str] = []
        self.last_status = 0

    def post(self, address, message, headers):
        text = (
            message.decode("utf-8", "replace")
            if isinstance(message, bytes)
            else message
        )
        self.exchange.append(f"> POST {address}\n{mask(text)}")
        response = super().post(address, message, headers)
        self.last_status = response.status_code
        self.exchange.append(f"< HTTP {response.status_code}\n{mask(response.text)}")
        return response

    def record(self, line: str) -> None:
        self.exchange.append(line)

    def take(self) -> str:
        text = "\n".join(self.exchange)
        self.exchange = []
        return text
