"""The Plesk XML API client the product uses for one server.

    with PleskClient.for_server(server) as plesk:
        before = plesk.hosting_binding(site)
        plesk.install_certificate(site, name, key_pem, cert_pem, chain_pem)
        plesk.bind_certificate(site, name)

Every call keeps its request and answer (secrets masked) in `last_exchange` and
`exchanges`, for the order log.
"""

import logging
from xml.etree.ElementTree import Element

from apps.ca import errors
from apps.fleet.plesk import packets
from apps.fleet.plesk.config import PleskConfig
from apps.fleet.plesk.errors import mask, plesk_error
from apps.fleet.plesk.protocol import at_least, choose_protocol
from apps.fleet.plesk.results import Binding, Exchange, ServerInfo
from apps.fleet.plesk.sites import SiteOperations
from apps.fleet.plesk.transport import Transport

logger = logging.getLogger(__name__)

__all__ = ["Binding", "Exchange", "PleskClient", "ServerInfo"]


class PleskClient(SiteOperations):
    def __init__(self, config: PleskConfig) -> None:
        self.config = config
        self.transport = Transport(config)
        self._protocol = config.protocol_version
        self._protocols: list[str] | None = None
        self.last_exchange: Exchange | None = None
        self.exchanges: list[Exchange] = []

    @classmethod
    def for_server(cls, server) -> "PleskClient":
        return cls(PleskConfig.from_server(server))

    def close(self) -> None:
        self.transport.close()

    def __enter__(self) -> "PleskClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        transport = getattr(self, "transport", None)
        if transport is not None:
            transport.close()

    # The wire --------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "text/xml; charset=UTF-8"}
        if self.config.auth == "password":
            headers["HTTP_AUTH_LOGIN"] = self.config.login
            headers["HTTP_AUTH_PASSWD"] = self.config.secret
        else:
            headers["KEY"] = self.config.secret
        return headers

    def send(
        self, *blocks: Element, read_only: bool = True, versioned: bool = True
    ) -> list[list[Element]]:
        """Send one packet; the results of each operation, in order."""
        version = self.protocol_version() if versioned else None
        body = packets.packet(version, *blocks)
        asked = tuple((b.tag, op.tag) for b in blocks for op in b)
        try:
            reply = self.transport.post(body, self._headers(), read_only)
        except errors.CertfleetError as exc:
            self._record(asked, body, exc.raw or str(exc), 0, 0.0)
            raise
        self._record(
            asked,
            body,
            reply.body.decode("utf-8", "replace"),
            reply.status,
            reply.seconds,
        )
        root = packets.parse(reply.body)
        results = packets.answers(root)
        if len(results) != len(asked):
            raise errors.CertfleetError(
                errors.PLESK_MALFORMED,
                f"{len(asked)} operations asked, {len(results)} answered",
                raw=self.last_exchange.response if self.last_exchange else "",
            )
        return results

    def _record(
        self, asked, body: bytes, response: str, status: int, seconds: float
    ) -> None:
        self.last_exchange = Exchange(
            asked,
            mask(body.decode("utf-8", "replace")),
            mask(response[:20000]),
            status,
            seconds,
        )
        self.exchanges.append(self.last_exchange)
        del self.exchanges[:-50]

    def one(self, block: Element, read_only: bool = True) -> Element:
        """The single result of a one-operation packet; error results raise."""
        results = self.send(block, read_only=read_only)[0]
        if not results:
            raise errors.CertfleetError(
                errors.PLESK_MALFORMED, "no result", raw=self._raw()
            )
        self.check(results[0])
        return results[0]

    def check(self, result: Element) -> None:
        failed = packets.failure(result)
        if failed is not None:
            raise plesk_error(failed[0], failed[1], raw=self._raw())

    def _raw(self) -> str:
        return self.last_exchange.response if self.last_exchange else ""

    # Server ----------------------------------------------------------------
    def get_protos(self) -> list[str]:
        if self._protocols is None:
            result = self.send(packets.get_protos(), versioned=False)[0]
            if not result:
                raise errors.CertfleetError(
                    errors.PLESK_MALFORMED, "no protocols", raw=self._raw()
                )
            self.check(result[0])
            self._protocols = packets.protos(result[0])
        return list(self._protocols)

    def protocol_version(self) -> str:
        """The highest protocol both sides speak, compared numerically."""
        if not self._protocol:
            self._protocol = choose_protocol(self.get_protos())
        return self._protocol

    def supports_update(self) -> bool:
        return at_least(self.protocol_version(), "1.6.8.0")

    def server_info(self) -> ServerInfo:
        protocols = self.get_protos()
        result = self.one(packets.server_info())
        facts = packets.server_facts(result)
        return ServerInfo(
            name=facts["name"],
            guid=facts["guid"],
            plesk_version=facts["plesk_version"],
            protocol_version=self.protocol_version(),
            protocols=tuple(protocols),
            os=facts["os"],
        )
