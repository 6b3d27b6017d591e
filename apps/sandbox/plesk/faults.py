"""Faults a test can inject into one sandbox server.

Each fault may be limited to an operator and operation (e.g. certificate/install)
and to a number of requests; without `times` it stays until cleared.

Kinds: latency (sleep, then answer), hang (never answer), http (an HTTP error status),
error (an error packet: a system error for check-up codes, else a result error),
malformed (an answer that is not XML), hostile (an answer with an entity bomb or an
external entity), swallow (answer ok, change nothing).
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

KINDS = {"latency", "hang", "http", "error", "malformed", "hostile", "swallow"}


@dataclass
class Fault:
    kind: str
    operator: str | None = None
    operation: str | None = None
    times: int | None = None
    seconds: float = 0.0
    status: int = 500
    code: int = 0
    text: str = ""
    style: str = "entities"  # hostile: entities | external

    def matches(self, operations: list[tuple[str, str]]) -> bool:
        if self.operator is None and self.operation is None:
            return True
        return any(
            (self.operator in (None, operator)) and (self.operation in (None, op))
            for operator, op in operations
        )


class FaultPlan:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.served = 0  # requests answered, for tests

    def add(self, fault: Fault) -> Fault:
        if fault.kind not in KINDS:
            raise ValueError(f"unknown fault kind {fault.kind!r}")
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def take(
        self,
        kinds: set[str],
        operations: list[tuple[str, str]],
        where: Callable[[Fault], bool] | None = None,
    ) -> Fault | None:
        """The first active fault of these kinds for the request; uses it up once."""
        with self._lock:
            for fault in self._faults:
                wanted = where is None or where(fault)
                if fault.kind in kinds and fault.matches(operations) and wanted:
                    if fault.times is not None:
                        fault.times -= 1
                        if fault.times <= 0:
                            self._faults.remove(fault)
                    return fault
        return None

    # Shorthands ----------------------------------------------------------
    def latency(self, seconds: float, **match) -> Fault:
        return self.add(Fault("latency", seconds=seconds, **match))

    def hang(self, seconds: float = 60.0, **match) -> Fault:
        return self.add(Fault("hang", seconds=seconds, **match))

    def http_error(self, status: int = 500, **match) -> Fault:
        return self.add(Fault("http", status=status, **match))

    def error_packet(
        self,
        operator: str | None,
        operation: str | None,
        code: int,
        text: str = "",
        times: int | None = None,
    ) -> Fault:
        return self.add(
            Fault("error", operator, operation, times, code=code, text=text)
        )

    def malformed(self, **match) -> Fault:
        return self.add(Fault("malformed", **match))

    def hostile(self, style: str = "entities", **match) -> Fault:
        return self.add(Fault("hostile", style=style, **match))

    def swallow(self, operator: str, operation: str, times: int | None = None) -> Fault:
        return self.add(Fault("swallow", operator, operation, times))


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE packet [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
]>
<packet version="1.6.9.1"><server><get_protos><result><status>ok</status>
<protos><proto>&f;</proto></protos></result></get_protos></server></packet>
"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE packet [ <!ENTITY leak SYSTEM "file:///etc/passwd"> ]>
<packet version="1.6.9.1"><server><get_protos><result><status>ok</status>
<protos><proto>&leak;</proto></protos></result></get_protos></server></packet>
"""

MALFORMED = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<packet version="1.6.9.1">'
    b"<server><get_protos><result><status>ok</stat"
)
