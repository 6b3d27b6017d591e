"""Which names an order may put on a site's certificate besides the site's own: its
www form, its aliases and subdomains (the sites whose `parent` it is), and their www
forms. A renewal asks for the names of the certificate it replaces this way."""

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.core import names as domain_names
from apps.fleet.models import Site


def www_partner(name: str) -> str:
    """www.name for name, name for www.name."""
    return name[4:] if name.startswith("www.") else f"www.{name}"


def site_names(site: Site) -> set[str]:
    """Every name that belongs to the site, in A-label form."""
    children = Site.objects.filter(parent=site, state=Site.State.ACTIVE)
    own = [site.name, *children.values_list("name", flat=True)]
    return {form for name in own for form in (name.lower(), www_partner(name.lower()))}


def further_names(site: Site, main: str, asked: list[str]) -> list[str]:
    """`asked` in A-label form without `main` and repeats; raises NAME_INVALID for
    what is no domain name and NAME_NOT_ON_SITE for a name of another site."""
    allowed = site_names(site)
    found: list[str] = []
    for raw in asked:
        try:
            name = domain_names.to_ascii(raw)
        except domain_names.InvalidName as exc:
            raise CertfleetError(errors.NAME_INVALID, str(exc)) from exc
        if name not in allowed:
            raise CertfleetError(errors.NAME_NOT_ON_SITE, f"{name} on {site.name}")
        if name != main and name not in found:
            found.append(name)
    return found
