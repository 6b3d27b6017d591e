"""Operations on one site: the snapshot of its binding, install, bind, restore,
remove, its certificate pool, and TXT records in its zone."""

import logging
from xml.etree.ElementTree import Element

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from apps.ca import errors
from apps.fleet.plesk import packets
from apps.fleet.plesk.results import Binding

logger = logging.getLogger(__name__)


def _object(site) -> tuple[str, list[tuple[str, object]]]:
    """The operator that holds the site's hosting, and a filter naming it."""
    if site.kind == "alias":
        raise errors.CertfleetError(
            errors.PLESK_UNSUPPORTED,
            f"{site.name} is an alias; it is covered by its site's certificate",
        )
    kind = "webspace" if site.kind == "webspace" else "site"
    # The GUID survives renames; the name is the fallback for unsynced rows.
    where = [("guid", site.guid)] if site.guid else [("name", site.name)]
    return kind, where


def _repository(site) -> tuple[str, str]:
    return ("webspace" if site.kind == "webspace" else "site", site.name)


def check_pair(key_pem: str, cert_pem: str, chain_pem: str) -> None:
    """The key belongs to the certificate and a chain is there, before sending."""
    try:
        key = serialization.load_pem_private_key(key_pem.encode(), None)
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
    except (ValueError, TypeError) as exc:
        raise errors.CertfleetError(errors.KEY_MISMATCH, str(exc)) from None
    if key.public_key() != cert.public_key():
        raise errors.CertfleetError(
            errors.KEY_MISMATCH, "the private key is not the certificate's"
        )
    try:
        chain = (
            x509.load_pem_x509_certificates(chain_pem.encode())
            if (chain_pem.strip())
            else []
        )
    except ValueError:
        chain = []
    if not chain:
        raise errors.CertfleetError(
            errors.CHAIN_INCOMPLETE, "no intermediate certificates given"
        )


# Requests, one per operation (the contract tests hold them against the examples).
def binding_request(site) -> Element:
    kind, where = _object(site)
    return packets.get_by(kind, where, ["hosting"])


def bind_request(site, name: str) -> Element:
    kind, where = _object(site)
    return packets.set_hosting(
        kind, where, [("ssl", "true"), ("certificate_name", name)]
    )


def restore_request(site, binding: Binding) -> Element:
    kind, where = _object(site)
    properties = [
        ("certificate_name", binding.certificate_name),
        ("ssl", "true" if binding.ssl else "false"),
    ]
    return packets.set_hosting(kind, where, properties)


def install_request(
    site,
    name: str,
    key_pem: str,
    cert_pem: str,
    chain_pem: str,
    csr_pem: str = "",
    operation: str = "install",
) -> Element:
    return packets.install(
        operation, name, _repository(site), key_pem, cert_pem, chain_pem, csr_pem
    )


def remove_request(site, name: str) -> Element:
    return packets.remove([name], _repository(site))


def pool_request(site) -> Element:
    return packets.get_pool([site.name])


def txt_request(site, host: str, value: str) -> Element:
    """add_rec in the zone holding the site; `host` relative to the site or full."""
    zone = site.parent if site.kind == "subdomain" and site.parent else site
    if zone.plesk_id is None or zone.kind not in ("webspace", "site"):
        raise errors.CertfleetError(
            errors.PLESK_UNSUPPORTED, f"{site.name} has no DNS zone in Plesk"
        )
    fqdn = host.rstrip(".")
    if fqdn != site.name and not fqdn.endswith("." + site.name):
        fqdn = f"{fqdn}.{site.name}" if fqdn else site.name
    relative = fqdn[: -len(zone.name)].rstrip(".")
    return packets.add_record(zone.plesk_id, "TXT", relative, value)


class SiteOperations:
    """Mixed into PleskClient, which provides send(), one() and check()."""

    def hosting_binding(self, site) -> Binding:
        result = self.one(binding_request(site))
        props = packets.properties(result)
        if props is None:
            raise errors.CertfleetError(
                errors.SITE_NO_HOSTING, f"{site.name} has no web hosting"
            )
        return Binding(props.get("ssl") == "true", props.get("certificate_name", ""))

    def install_certificate(
        self,
        site,
        name: str,
        key_pem: str,
        cert_pem: str,
        chain_pem: str,
        csr_pem: str = "",
    ) -> None:
        """Put the certificate into the site's pool. Installing is not binding."""
        check_pair(key_pem, cert_pem, chain_pem)
        material = (key_pem, cert_pem, chain_pem, csr_pem)
        try:
            self.one(install_request(site, name, *material), read_only=False)
        except errors.CertfleetError as exc:
            # The name exists: an earlier attempt got through. Replace its content
            # where the server can, so a retry ends in the same state.
            if exc.code != errors.PLESK_CONFLICT or not self.supports_update():
                raise
            logger.info("certificate %s exists on %s; updating it", name, site.name)
            self.one(
                install_request(site, name, *material, operation="update"),
                read_only=False,
            )

    def bind_certificate(self, site, name: str) -> None:
        self.one(bind_request(site, name), read_only=False)

    def restore_binding(self, site, binding: Binding) -> None:
        """Bind the site to what the snapshot says (no certificate if it had none)."""
        self.one(restore_request(site, binding), read_only=False)

    def remove_certificate(self, site, name: str) -> None:
        """Remove from the site's pool; a certificate already gone is fine."""
        results = self.send(remove_request(site, name), read_only=False)[0]
        self._ignore_missing(results)

    def certificate_pool(self, site) -> list[str]:
        return packets.pool_names(self.one(pool_request(site)))

    def add_txt_record(self, site, host: str, value: str) -> int:
        """Add a TXT record; `host` is relative to the site or a full name."""
        result = self.one(txt_request(site, host, value), read_only=False)
        return int(result.findtext("id") or 0)

    def delete_dns_record(self, record_id: int) -> None:
        """Delete a record; one already gone is fine."""
        block = packets.delete_records([record_id])
        self._ignore_missing(self.send(block, read_only=False)[0])

    def _ignore_missing(self, results) -> None:
        for result in results:
            failed = packets.failure(result)
            if failed is not None and failed[0] != 1013:
                self.check(result)
