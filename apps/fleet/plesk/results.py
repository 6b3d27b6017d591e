"""What the client hands back."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Binding:
    """What a site's hosting is bound to: the snapshot a rollback restores."""

    ssl: bool
    certificate_name: str


@dataclass(frozen=True)
class ServerInfo:
    name: str
    guid: str
    plesk_version: str
    protocol_version: str
    protocols: tuple[str, ...]
    os: str = ""


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, secrets masked, for the order log."""

    operations: tuple[tuple[str, str], ...]
    request: str
    response: str
    status: int
    seconds: float
