"""The voucher backend's happy paths, over HTTPS to the sandbox CA and TLS to a site."""

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from apps.ca import errors
from apps.ca.backends.voucher import VoucherBackend
from apps.ca.errors import CertfleetError

from .conftest import authority_for


def _verify(cert_pem: str, chain: list[str], root_pem: str, name: str) -> None:
    """The leaf chains to the sandbox root through the chain the CA returned."""
    leaf = x509.load_pem_x509_certificate(cert_pem.encode())
    store = [x509.load_pem_x509_certificate(p.encode()) for p in chain]
    root = x509.load_pem_x509_certificate(root_pem.encode())
    verifier = (
        x509.verification.PolicyBuilder()
        .store(x509.verification.Store([root]))
        .build_server_verifier(x509.DNSName(name))
    )
    verifier.verify(leaf, store)


def test_order_issues_a_real_certificate_after_seeing_the_temporary_one(flow, ca):
    ca.add_voucher("SUPR-0001", "super", ["127.0.2.0/24"], uses=2)
    name = flow.name("shop.example")

    done = flow.redeem("supr-0001", name, names=[name, "www." + name])

    _verify(done.cert_pem, done.chain_pems, ca.root_pem, name)
    leaf = x509.load_pem_x509_certificate(done.cert_pem.encode())
    sans = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert sans.value.get_values_for_type(x509.DNSName) == [name, "www." + name]
    assert leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) == done.key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert done.chain_pems == [ca.intermediate_pem]
    assert ca.uses_left("SUPR-0001") == 1


def test_temporary_certificate_is_for_test_purposes_only(flow, ca):
    ca.add_voucher("SUPR-0002", "super", ["127.0.2.0/24"], uses=1)
    name = flow.name("temp.example")

    _, test, _, _ = flow.temporary("SUPR-0002", name)

    temp = x509.load_pem_x509_certificate(test.cert_pem.encode())
    units = temp.issuer.get_attributes_for_oid(x509.NameOID.ORGANIZATIONAL_UNIT_NAME)
    assert [u.value for u in units] == ["For Test Purposes Only"]
    assert test.chain_pems == [ca.temporary_issuer_pem]
    assert ca.uses_left("SUPR-0002") == 1  # nothing spent before the real order


def test_ecc_and_rsa_key_lengths_come_from_the_ca(backend, flow, ca):
    ca.add_voucher("SUPR-0003", "super", [], uses=5)
    name = flow.name("keys.example")
    common = {"voucher_code": "SUPR-0003", "name": name, "email": "a@b.example"}

    ecc = backend.check(port=443, key_algorithm="ECC", **common)
    rsa = backend.check(port=443, key_algorithm="RSA", **common)

    assert (ecc.key_length, rsa.key_length) == (256, 2048)
    assert ecc.order_id != rsa.order_id and ecc.warning is None


def test_raw_exchange_is_kept_with_the_voucher_masked(backend, flow, ca):
    ca.add_voucher("SECRET-CODE-4711", "super", [], uses=1)
    name = flow.name("raw.example")

    check = backend.check(
        voucher_code="SECRET-CODE-4711", name=name, email="a@b.example", port=443
    )

    assert "GSDomainVoucherCheckOC" in check.raw and check.order_id in check.raw
    assert "SECRET-CODE" not in check.raw
    assert "****4711" in check.raw


def test_revocation_proves_control_then_revokes(flow, ca):
    ca.add_voucher("SUPR-0004", "super", [], uses=1)
    name = flow.name("revoke.example")
    done = flow.redeem("SUPR-0004", name)
    serial = x509.load_pem_x509_certificate(done.cert_pem.encode()).serial_number

    _, test, _, _ = flow.temporary(format(serial, "016x"), name, revoke=True)
    raw = flow.backend.revoke(test.order_id)

    assert "GSOneClickRevoke" in raw
    assert ca.is_revoked(serial)


def test_client_refuses_an_endpoint_it_does_not_trust(ca):
    authority = authority_for(ca)
    authority.ca_bundle = ca.root_pem  # a CA that did not sign the endpoint
    ca.add_voucher("SUPR-0005", "super", [], uses=1)

    with pytest.raises(CertfleetError) as caught:
        VoucherBackend(authority).check(
            voucher_code="SUPR-0005", name="x.example", email="", port=443
        )

    assert caught.value.code == errors.CA_TLS and not caught.value.transient
    assert ca.uses_left("SUPR-0005") == 1
