"""certificate operator: install, update, remove, get-pool."""

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from apps.sandbox.plesk.state import ADMIN_POOL, StoredCertificate
from apps.sandbox.plesk.xmlout import Context, ResultError, add, error, ok

OLDEST_FOR_CERTIFICATES = "1.6.7.0"


def _feature_check(ctx: Context) -> None:
    if not ctx.at_least(OLDEST_FOR_CERTIFICATES):
        raise ResultError(
            1017, f"This feature is not supported for protocol version {ctx.version}."
        )


def _pool_key(ctx: Context, node) -> int | str:
    if node.find("admin") is not None:
        return ADMIN_POOL
    for tag in ("site", "webspace"):
        value = node.findtext(tag)
        if value is not None:
            domain = ctx.state.domain_named(value)
            if domain is None or (tag == "webspace" and domain.kind != "webspace"):
                raise ResultError(1015, "domain does not exist")
            return domain.id
    raise ResultError(1014, "No certificate repository given")


def _parse_content(content) -> StoredCertificate:
    """Check the PEM texts the way Plesk's openssl calls would."""
    texts = {
        tag: (content.findtext(tag) or "").strip()
        for tag in ("csr", "pvt", "cert", "ca")
    }
    try:
        key = serialization.load_pem_private_key(texts["pvt"].encode(), None)
    except (ValueError, TypeError):
        raise ResultError(
            8002,
            "Unable to set pvt content to certificate : "
            "Probably, the private key format is invalid.",
        ) from None
    if texts["csr"]:
        try:
            x509.load_pem_x509_csr(texts["csr"].encode())
        except ValueError:
            raise ResultError(
                8002,
                "Unable to set csr content to certificate : CSR "
                "field contains an improper value : openssl failed: ",
            ) from None
    if texts["cert"]:
        try:
            cert = x509.load_pem_x509_certificate(texts["cert"].encode())
            if texts["ca"]:
                x509.load_pem_x509_certificates(texts["ca"].encode())
        except ValueError:
            raise ResultError(
                8002,
                "Unable to set cert content to certificate : "
                "Probably, the certificate format is invalid.",
            ) from None
        if cert.public_key() != key.public_key():
            raise ResultError(
                8002,
                "Unable to set cert content to certificate : "
                "The certificate does not match the private key.",
            )
    return StoredCertificate(
        "",
        texts["pvt"] + "\n",
        texts["cert"] + "\n",
        texts["ca"] + "\n" if texts["ca"] else "",
        texts["csr"],
    )


def install(ctx: Context, node, out) -> None:
    _feature_check(ctx)
    pool = ctx.state.pool(_pool_key(ctx, node))
    name = node.findtext("name") or ""
    stored = _parse_content(node.find("content"))
    if name in pool:
        raise ResultError(8006, "Unable to set certificate name : ")
    if not ctx.swallow:
        stored.name = name
        pool[name] = stored
    ok(out)


def update(ctx: Context, node, out) -> None:
    _feature_check(ctx)
    pool = ctx.state.pool(_pool_key(ctx, node))
    name = node.findtext("name") or ""
    stored = _parse_content(node.find("content"))
    if name not in pool:
        raise ResultError(1013, "Unable to find certificate")
    if not ctx.swallow:
        stored.name = name
        pool[name] = stored
    ok(out)


def remove(ctx: Context, node, out) -> None:
    _feature_check(ctx)
    key = _pool_key(ctx, node)
    pool = ctx.state.pool(key)
    for name_node in node.find("filter"):
        name = name_node.text or ""
        if name not in pool:
            result = error(out, 1013, "Unable to find certificate")
        elif ctx.state.certificate_in_use(key, name):
            # What a real server does here is not documented; refusing keeps sites
            # from losing the certificate they serve.
            result = error(
                out, 1023, "Unable to remove the certificate: it is used by a hosting"
            )
        else:
            if not ctx.swallow:
                del pool[name]
            result = ok(out)
        add(result, "name", name)


def get_pool(ctx: Context, node, out) -> None:
    _feature_check(ctx)
    if node.find("admin") is not None:
        _pool_result(ok(out), ctx.state.pools.get(ADMIN_POOL, {}))
        return
    for value_node in node.find("filter"):
        kind, value = value_node.tag, (value_node.text or "").strip()
        if kind == "domain-id":
            domain = ctx.state.domains.get(int(value))
        elif kind == "domain-guid":
            domain = ctx.state.index.by_guid.get(value)
        else:
            domain = ctx.state.domain_named(value)
        if domain is None:
            error(out, 1013, "domain does not exist", value)
            continue
        _pool_result(ok(out, value, domain.id), ctx.state.pools.get(domain.id, {}))


def _pool_result(result, pool: dict) -> None:
    certificates = add(result, "certificates")
    for name in pool:
        add(add(certificates, "certificate"), "name", name)


HANDLERS = {
    ("certificate", "install"): install,
    ("certificate", "update"): update,
    ("certificate", "remove"): remove,
    ("certificate", "get-pool"): get_pool,
}
