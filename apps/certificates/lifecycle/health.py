"""Health of secured sites: a real TLS handshake to each, compared with what Certfleet
installed. A site serving another certificate has drifted: it is flagged (and the
change audited once), never overwritten.

Handshakes run in threads with no database access; results are written by the
caller's thread, so a batch needs one database connection however many probes.
"""

import datetime as dt
import hashlib
import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding
from django.db.models import (
    BooleanField,
    Case,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from OpenSSL import SSL

from apps.audit.services import record as audit
from apps.ca.models import CertificateAuthority
from apps.certificates.lifecycle import config, probe
from apps.certificates.models import Certificate, HealthCheck
from apps.core import clock
from apps.fleet.models import Site

logger = logging.getLogger(__name__)


@dataclass
class Observation:
    address: str
    served: probe.Served | None = None
    error: str = ""


def secured_sites() -> QuerySet[Site]:
    return Site.objects.filter(
        state=Site.State.ACTIVE, current_certificate__isnull=False
    ).select_related("server", "current_certificate", "owner")


def check_site(site: Site) -> HealthCheck:
    """Handshake with the site now and store what it showed."""
    return evaluate(site, observe(site), trusted_roots())


def check_sites(site_ids: list[int]) -> list[HealthCheck]:
    """Check a batch: handshakes in parallel (bounded), results stored here."""
    sites = list(secured_sites().filter(pk__in=site_ids))
    workers = max(1, min(config.current().health_concurrency, len(sites)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        observations = list(pool.map(observe, sites))
    roots = trusted_roots()
    return [evaluate(s, o, roots) for s, o in zip(sites, observations, strict=True)]


def batches() -> list[list[int]]:
    """Every secured site's id, cut into batches for `check_sites`; old checks go."""
    cfg = config.current()
    keep = clock.now() - dt.timedelta(days=cfg.health_keep_days)
    HealthCheck.objects.filter(checked_at__lt=keep).delete()
    ids = list(secured_sites().order_by("pk").values_list("pk", flat=True))
    return [ids[i : i + cfg.health_batch] for i in range(0, len(ids), cfg.health_batch)]


def address_of(site: Site) -> str:
    """The address to probe: the first IPv4 address, else the first one at all."""
    addresses = list(site.ip_addresses or [])
    v4 = [a for a in addresses if ":" not in a]
    return (v4 or addresses or [""])[0]


def observe(site: Site) -> Observation:
    address = address_of(site)
    if not address:
        return Observation(address="", error="the site has no IP address")
    timeout = config.current().health_timeout
    try:
        served = probe.fetch(address, site.server.https_port, site.name, timeout)
    except (OSError, SSL.Error) as exc:
        return Observation(address=address, error=f"TLS handshake failed: {exc!r}")
    return Observation(address=address, served=served)


def trusted_roots() -> list[x509.Certificate]:
    roots = []
    for pem in CertificateAuthority.objects.exclude(trusted_roots="").values_list(
        "trusted_roots", flat=True
    ):
        roots += x509.load_pem_x509_certificates(pem.encode())
    return roots


def fingerprint(certificate: x509.Certificate) -> str:
    return hashlib.sha256(certificate.public_bytes(Encoding.DER)).hexdigest()


def evaluate(
    site: Site, observation: Observation, roots: list[x509.Certificate]
) -> HealthCheck:
    now = clock.now()
    check = HealthCheck(site=site, checked_at=now, address=observation.address)
    served = observation.served
    if served is None:
        check.error = observation.error
    else:
        installed = site.current_certificate
        check.served_fingerprint = fingerprint(served.leaf)
        check.matches_installed = installed is not None and (
            _plain(installed.fingerprint_sha256) == check.served_fingerprint
        )
        check.chain_complete = probe.builds_to_root(served.leaf, served.chain, roots)
        check.hostname_matches = probe.matches_name(served.leaf, site.name)
        check.days_left = (served.leaf.not_valid_after_utc - now) // dt.timedelta(
            days=1
        )
        check.error = "; ".join(_problems(check) + _revoked(site, check))
        check.ok = not check.error
    previous = latest_by_site([site.pk]).get(site.pk)
    check.save()
    if is_drift(check) and (previous is None or not is_drift(previous)):
        logger.warning(
            "site %s on server %s serves %s, not the certificate installed",
            site.name,
            site.server_id,
            check.served_fingerprint,
        )
        audit("site.drift_detected", site, served=check.served_fingerprint)
    return check


def _plain(fp: str) -> str:
    return fp.replace(":", "").lower()


def _problems(check: HealthCheck) -> list[str]:
    problems = []
    if not check.matches_installed and check.site.current_certificate_id:
        problems.append("serves another certificate than the one installed")
    if not check.chain_complete:
        problems.append("chain does not lead to a trusted root")
    if not check.hostname_matches:
        problems.append("certificate does not name the site")
    if check.days_left is not None and check.days_left < 0:
        problems.append("certificate has expired")
    return problems


def _revoked(site: Site, check: HealthCheck) -> list[str]:
    """A revoked certificate of the site, still served, is no health at all."""
    revoked = Certificate.objects.filter(
        site=site, status=Certificate.Status.REVOKED
    ).values_list("fingerprint_sha256", flat=True)
    if any(_plain(fp) == check.served_fingerprint for fp in revoked):
        return ["certificate has been revoked"]
    return []


def is_drift(check: HealthCheck) -> bool:
    """The site answered, but with a certificate other than the one installed."""
    installed = check.site.current_certificate_id is not None
    return installed and bool(check.served_fingerprint) and not check.matches_installed


def latest_by_site(site_ids: list[int]) -> dict[int, HealthCheck]:
    """The newest check of each site, in one query."""
    newest = HealthCheck.objects.filter(site=OuterRef("site")).order_by(
        "-checked_at", "-pk"
    )
    rows = HealthCheck.objects.filter(
        site_id__in=site_ids, pk=Subquery(newest.values("pk")[:1])
    )
    return {row.site_id: row for row in rows}


def with_latest_health(sites: QuerySet[Site]) -> QuerySet[Site]:
    """`sites` annotated with their newest check (health_ok, health_checked_at,
    health_drift, health_chain_complete, health_hostname_matches, health_days_left,
    health_error; None when never checked), still one query: for tables and API."""
    newest = HealthCheck.objects.filter(site=OuterRef("pk")).order_by(
        "-checked_at", "-pk"
    )

    def field(name: str) -> Subquery:
        return Subquery(newest.values(name)[:1])

    return sites.annotate(
        health_ok=field("ok"),
        health_checked_at=field("checked_at"),
        health_chain_complete=field("chain_complete"),
        health_hostname_matches=field("hostname_matches"),
        health_days_left=field("days_left"),
        health_error=field("error"),
        health_matches=field("matches_installed"),
        health_served=field("served_fingerprint"),
    ).annotate(
        health_drift=Case(
            When(
                current_certificate__isnull=False,
                health_matches=False,
                health_served__gt="",
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )
