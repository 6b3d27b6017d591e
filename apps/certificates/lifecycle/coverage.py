"""Which names a renewal must cover, and whether a set of names covers them.

A renewal never covers fewer names than the certificate it replaces. The pipeline
orders the site's name, its www form when DNS sends that to the site, and every
further name it is asked for that belongs to the site (its www form, aliases and
subdomains), so a renewal asks for the old certificate's names. A certificate with
a name that is not the site's (a wildcard, another site's name) cannot be renewed
automatically: a person must decide.
"""

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.models import Certificate
from apps.certificates.services import dnscheck, sitenames


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
    """The names a renewal covers: those DNS gives the pipeline, plus the old
    certificate's names they leave out, to be asked for; refuses when one of
    those is not the site's."""
    site = certificate.site
    renewed, _ = dnscheck.check_names(site.name, site.ip_addresses)
    missing = covers(renewed, names_of(certificate))
    foreign = [name for name in missing if name not in sitenames.site_names(site)]
    if foreign:
        raise CertfleetError(
            errors.RENEWAL_FEWER_NAMES,
            f"a renewal can cover {', '.join(renewed + missing)} "
            f"but not {', '.join(foreign)}",
        )
    return renewed + [name for name in missing if name not in renewed]
