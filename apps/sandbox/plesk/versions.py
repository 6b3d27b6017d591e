"""Plesk releases the sandbox can pretend to be, and their XML API protocols."""

from dataclasses import dataclass

# The order a 17.0 server lists them in (note 1.4.2.0 before 1.4.1.1).
ALL_PROTOCOLS = [
    "1.0.0.0",
    "1.1.0.0",
    "1.2.0.0",
    "1.3.0.0",
    "1.3.1.0",
    "1.3.2.0",
    "1.3.3.0",
    "1.3.4.0",
    "1.3.5.0",
    "1.4.0.0",
    "1.4.1.0",
    "1.4.2.0",
    "1.4.1.1",
    "1.4.1.2",
    "1.5.0.0",
    "1.5.1.0",
    "1.5.2.0",
    "1.5.2.1",
    "1.6.0.0",
    "1.6.0.1",
    "1.6.0.2",
    "1.6.2.0",
    "1.6.3.0",
    "1.6.3.1",
    "1.6.3.2",
    "1.6.3.3",
    "1.6.3.4",
    "1.6.3.5",
    "1.6.4.0",
    "1.6.5.0",
    "1.6.6.0",
    "1.6.7.0",
    "1.6.8.0",
    "1.6.9.0",
    "1.6.9.1",
]

# Plesk version -> newest protocol it speaks.
RELEASES = {
    "18.0.52": "1.6.9.1",
    "17.8.11": "1.6.9.1",
    "17.5.3": "1.6.9.0",
    "17.0.17": "1.6.8.0",
    "12.5.30": "1.6.7.0",
}
DEFAULT_RELEASES = ("18.0.52", "17.0.17", "12.5.30")


def as_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@dataclass(frozen=True)
class Release:
    plesk_version: str

    @property
    def protocol(self) -> str:
        return RELEASES[self.plesk_version]

    @property
    def protocols(self) -> list[str]:
        top = as_tuple(self.protocol)
        return [p for p in ALL_PROTOCOLS if as_tuple(p) <= top]

    @property
    def new_secret_key_text(self) -> bool:
        return as_tuple(self.plesk_version) >= (18, 0, 33)

    def resolve(self, requested: str | None) -> str | None:
        """The protocol a packet asks for; None when this server lacks it.

        No version means the newest; short forms like 1.6 or 1.6.5 pick the newest
        protocol that starts with them.
        """
        if not requested:
            return self.protocol
        known = self.protocols
        if requested in known:
            return requested
        parts = requested.split(".")
        if len(parts) < 4 and all(p.isdigit() for p in parts):
            matching = [p for p in known if p.split(".")[: len(parts)] == parts]
            if matching:
                return max(matching, key=as_tuple)
        return None
