"""Step 6a: nothing is installed unless the certificate fits the key, covers the
names, chains to a trusted root from what the CA sent, and outlives no chain cert."""

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from apps.ca import errors
from apps.ca.errors import CertfleetError
from apps.certificates.services import chain, keys
from tests.pipeline.pki import SmallCA, pem

NAMES = ["shop.example", "www.shop.example"]


@pytest.fixture
def ca():
    return SmallCA()


@pytest.fixture
def key():
    return keys.new_key("ec256")


def _check(cert, chain_certs, key, roots, names=NAMES):
    return chain.check_issued(
        pem(cert),
        "".join(pem(c) for c in chain_certs),
        keys.key_pem(key),
        names,
        "".join(pem(r) for r in roots),
    )


def test_a_good_certificate_builds_leaf_intermediate_root(ca, key):
    leaf = ca.issue(key, NAMES)
    path = _check(leaf, [ca.intermediate], key, [ca.root])
    assert path == [leaf, ca.intermediate, ca.root]


def test_a_certificate_for_another_key_is_refused(ca, key):
    other = ec.generate_private_key(ec.SECP256R1())
    leaf = ca.issue(other, NAMES)
    with pytest.raises(CertfleetError) as caught:
        _check(leaf, [ca.intermediate], key, [ca.root])
    assert caught.value.code == errors.KEY_MISMATCH


def test_a_certificate_missing_a_name_is_refused(ca, key):
    leaf = ca.issue(key, ["shop.example"])
    with pytest.raises(CertfleetError) as caught:
        _check(leaf, [ca.intermediate], key, [ca.root])
    assert caught.value.code == errors.NAMES_NOT_COVERED
    assert "www.shop.example" in caught.value.detail


def test_a_wildcard_covers_one_label(ca, key):
    leaf = ca.issue(key, ["shop.example", "*.shop.example"])
    assert _check(leaf, [ca.intermediate], key, [ca.root])


def test_without_the_intermediate_nothing_is_fetched_and_it_fails(ca, key):
    leaf = ca.issue(key, NAMES)
    with pytest.raises(CertfleetError) as caught:
        _check(leaf, [], key, [ca.root])
    assert caught.value.code == errors.CHAIN_INCOMPLETE


def test_a_chain_to_an_untrusted_root_fails(ca, key):
    leaf = ca.issue(key, NAMES)
    stranger = SmallCA()
    with pytest.raises(CertfleetError) as caught:
        _check(leaf, [ca.intermediate], key, [stranger.root])
    assert caught.value.code == errors.CHAIN_INCOMPLETE


def test_an_intermediate_expiring_before_the_leaf_is_refused(key):
    short = SmallCA(intermediate_days=30)
    leaf = short.issue(key, NAMES, days=365)
    with pytest.raises(CertfleetError) as caught:
        _check(leaf, [short.intermediate], key, [short.root])
    assert caught.value.code == errors.CHAIN_EXPIRES_EARLY


def test_csr_names_the_site_and_its_www_form(key):
    from cryptography import x509

    csr = x509.load_pem_x509_csr(keys.csr_pem(key, NAMES).encode())
    assert csr.subject.rfc4514_string() == "CN=shop.example"
    sans = csr.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    assert sans.value.get_values_for_type(x509.DNSName) == NAMES


def test_rsa_key_when_the_ca_asks_a_length():
    made = keys.load_key(keys.make(["a.example"], rsa_bits=2048)[0])
    assert keys.key_algorithm(made) == "RSA" and made.key_size == 2048
    assert keys.fits(made, 2048) and not keys.fits(keys.new_key("ec256"), 2048)
