"""Typed settings of one Plesk server, as the client needs them."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PleskConfig:
    host: str
    port: int = 8443
    auth: str = "key"  # "key" (secret key) or "password" (login and password)
    login: str = "admin"
    secret: str = field(default="", repr=False)
    # TLS trust: a pinned SHA-256 fingerprint, else a CA bundle (PEM), else the
    # system's CAs. Never no verification.
    fingerprint_sha256: str = ""
    ca_bundle: str = field(default="", repr=False)
    timeout: float = 30.0
    connect_timeout: float = 10.0
    retries: int = 2
    backoff: float = 0.5
    # The protocol version to speak; empty means ask the server (get_protos).
    protocol_version: str = ""
    name: str = ""

    @classmethod
    def from_server(cls, server) -> "PleskConfig":
        """From an apps.fleet.models.PleskServer (saved or not)."""
        return cls(
            host=server.host,
            port=server.port,
            auth=server.auth,
            login=server.login,
            secret=server.secret,
            fingerprint_sha256=server.fingerprint_sha256,
            ca_bundle=server.ca_bundle,
            timeout=server.timeout,
            connect_timeout=min(10.0, server.timeout),
            protocol_version=server.protocol_version,
            name=server.name,
        )

    @property
    def url_path(self) -> str:
        return "/enterprise/control/agent.php"
