"""Which names a renewal must cover, and whether a set of names covers them.

A renewal never covers fewer names than the certificate it replaces. The pipeline
orders the site's name, and its www form when DNS sends that to the site, so a
certificate with any other name (an alias, a wildcard) or whose www form no longer
reaches the site cannot be renewed automatically: a person must decide.
"""

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Certificate
from apps.certificates.services import dnscheck


def names_of(certificate: Certificate) -> list[str]:
    """The certificate's names, SANs first; the CN when it has no SANs."""
    names = [n.lower() for n in certificate.sans] or [certificate.subject_cn.lower()]
    return sorted(set(names))


def covers(names: list[str], required: list[str]) -> list[str]:
    """The required names that `names` leave out (a wildcard covers one label)."""
    have = {n.lower() for n in names}
    missing = []
    for name in required:
        parent = name.split(".", 1)[1] if "." in name else ""
        if name in have or (not name.startswith("*.") and f"*.{parent}" in have):
            continue
        missing.append(name)
    return missing


def check_renewable(certificate: Certificate) -> list[str]:
    """The names a renewal would cover (looked up in DNS as the pipeline will);
    refuses when the old certificate has a name they leave out."""
    site = certificate.site
    renewed, _ = dnscheck.check_names(site.name, site.ip_addresses)
    missing = covers(renewed, names_of(certificate))
    if missing:
        raise CertfleetError(
            errors.RENEWAL_FEWER_NAMES,
            f"a renewal would cover {', '.join(renewed)} but not {', '.join(missing)}",
        )
    return renewed
