"""The demo's setup and its checks, shared with the tests' `registered_sandbox`.

`register_sandbox(state)` does what a provider does in the portal, from the sandbox's
state file: the provider account and a staff login, the Plesk servers with pinned
fingerprints, the voucher CA trusting the sandbox root, the super voucher, a sync.
"""

import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from apps.accounts.models import Account, User
from apps.ca.models import CertificateAuthority
from apps.certificates.services import verify
from apps.core import clock
from apps.fleet.models import PleskServer, Site
from apps.vouchers.models import Voucher

CA_NAME = "Sandbox voucher CA"
STAFF_LOGIN = "staff"


@dataclass
class Setup:
    provider: Account
    staff: User
    authority: CertificateAuthority
    voucher: Voucher
    servers: list[PleskServer] = field(default_factory=list)
    password: str = ""
    vouchers: list[dict] = field(default_factory=list)


def provider_account() -> Account:
    from apps.fleet.services import provider_account as root

    return root()


def staff_login(provider: Account) -> tuple[User, str]:
    """The staff user, with a fresh password each run (printed by the demo)."""
    password = secrets.token_urlsafe(12)
    user = User.objects.filter(username=STAFF_LOGIN).first()
    if user is None:
        user = User(username=STAFF_LOGIN, account=provider, is_staff=True)
    user.account = provider
    user.set_password(password)
    user.save()
    return user, password


def persona_logins(vouchers: list[dict] = ()) -> list[tuple[str, str, str]]:
    """(role, username, password) for a synced reseller and one of its customers,
    so each persona of the portal can be tried; fresh passwords each run. Vouchers
    of the state file marked with a "holder" go to that persona's account."""
    customer = (
        Account.objects.filter(kind=Account.Kind.CUSTOMER, parent__kind="reseller")
        .filter(sites__state=Site.State.ACTIVE)
        .order_by("pk")
        .first()
    )
    if customer is None:
        return []
    logins = []
    for role, account in (("reseller", customer.parent), ("customer", customer)):
        password = secrets.token_urlsafe(12)
        user = User.objects.filter(username=role).first() or User(username=role)
        user.account = account
        user.set_password(password)
        user.save()
        logins.append((role, role, password))
        for entry in vouchers:
            if entry.get("holder") == role:
                import_voucher(entry, account)
    return logins


def register_server(info: dict, actor=None) -> PleskServer:
    """As staff do it in the portal: pinned fingerprint, custom HTTPS port."""
    from apps.fleet.services import register_server as register

    return register(
        name=info["name"],
        host=info["host"],
        port=info["api_port"],
        auth=PleskServer.Auth.SECRET_KEY,
        login=info.get("login", "admin"),
        secret=info["secret_key"],
        fingerprint_sha256=info["fingerprint_sha256"],
        https_port=info["https_port"],
        actor=actor,
    )


def register_authority(ca: dict) -> CertificateAuthority:
    authority, _ = CertificateAuthority.objects.update_or_create(
        name=CA_NAME,
        defaults={
            "backend": CertificateAuthority.Backend.VOUCHER,
            "endpoint": ca["wsdl_url"],
            "ca_bundle": ca["ca_bundle"],
            "trusted_roots": ca["root_pem"],
            "platform_id": ca["platform_id"],
            "is_default": True,
        },
    )
    return authority


def import_voucher(entry: dict, owner: Account) -> Voucher:
    from apps.vouchers import codes

    voucher, _ = Voucher.objects.get_or_create(
        code=codes.normalize(entry["code"]),
        defaults={
            "kind": entry["kind"],
            "certificate_days": entry.get("certificate_days", 365),
            "expires_at": clock.now() + timedelta(days=365),
            "networks": entry["networks"],
            "platform": entry.get("platform", "plesk"),
            "uses_allowed": entry["uses"],
            "owner": owner,
            "note": "sandbox super voucher",
        },
    )
    return voucher


def register_sandbox(state: dict, sync: bool = True) -> Setup:
    provider = provider_account()
    staff, password = staff_login(provider)
    servers = [register_server(info, staff) for info in state["servers"]]
    authority = register_authority(state["ca"])
    voucher = import_voucher(state["vouchers"][0], provider)
    if sync:
        from apps.fleet.services import sync_server

        for server in servers:
            sync_server(server)
    return Setup(
        provider, staff, authority, voucher, servers, password, state["vouchers"]
    )


def _served(site: Site) -> str:
    """Fingerprint the site serves on its first address, '' when nothing."""
    address = (site.ip_addresses or [""])[0]
    try:
        der = verify.served_leaf(address, site.server.https_port, site.name)
    except OSError:
        return ""
    return verify.fingerprint(der) if der else ""


def served_now(sites) -> dict[int, str]:
    """What each site serves now (TLS handshakes with SNI, a few at a time)."""
    sites = list(sites)
    with ThreadPoolExecutor(max_workers=16) as pool:
        return dict(zip([s.pk for s in sites], pool.map(_served, sites), strict=True))


def _chains(site: Site, roots_pem: str) -> bool:
    try:
        for address in site.ip_addresses:
            verify.trusted_handshake(
                address, site.server.https_port, site.name, roots_pem
            )
    except OSError:
        return False
    return bool(site.ip_addresses)


def chaining_to_root(sites, roots_pem: str) -> tuple[list[Site], list[Site]]:
    """(sites whose every address serves a chain to the root, the others)."""
    sites = list(sites)
    with ThreadPoolExecutor(max_workers=16) as pool:
        results = list(pool.map(lambda s: _chains(s, roots_pem), sites))
    good = [s for s, ok in zip(sites, results, strict=True) if ok]
    bad = [s for s, ok in zip(sites, results, strict=True) if not ok]
    return good, bad
