"""Building answer packets, and the context one packet is executed in."""

from dataclasses import dataclass

from lxml import etree

from apps.sandbox.plesk.state import ServerState
from apps.sandbox.plesk.versions import as_tuple


class ResultError(Exception):
    """An execution error of one operation: answered inside its result."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code} {text}")
        self.code = code
        self.text = text


@dataclass
class Context:
    state: ServerState
    version: str
    swallow: bool = False  # answer ok without changing anything (fault injection)

    def at_least(self, version: str) -> bool:
        return as_tuple(self.version) >= as_tuple(version)


def add(parent, tag: str, text: object = None):
    child = etree.SubElement(parent, tag)
    if text is not None:
        child.text = str(text)
    return child


def ok(operation, filter_id: object = None, object_id: object = None):
    result = add(operation, "result")
    add(result, "status", "ok")
    if filter_id is not None:
        add(result, "filter-id", filter_id)
    if object_id is not None:
        add(result, "id", object_id)
    return result


def error(
    operation, code: int, text: str, filter_id: object = None, object_id: object = None
):
    result = add(operation, "result")
    add(result, "status", "error")
    add(result, "errcode", code)
    add(result, "errtext", text)
    if filter_id is not None:
        add(result, "filter-id", filter_id)
    if object_id is not None:
        add(result, "id", object_id)
    return result


def filter_values(node) -> list[tuple[str, str]]:
    """(kind, value) pairs of the operation's <filter>; empty means all."""
    found = node.find("filter")
    if found is None:
        return []
    return [
        (child.tag, (child.text or "").strip())
        for child in found
        if isinstance(child.tag, str)
    ]


def flag(value: bool) -> str:
    return "true" if value else "false"
