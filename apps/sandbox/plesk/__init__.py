"""A sandbox fleet of Plesk servers on loopback (development and tests only)."""

from apps.sandbox.plesk.fleet import Binding, Fleet, start_fleet

__all__ = ["Binding", "Fleet", "start_fleet"]
