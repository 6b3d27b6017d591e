"""The error catalogue: every voucher CA code of the reference, in our own words."""

from apps.ca import errors
from apps.ca.errors import CATALOGUE, CertfleetError, lookup

# The codes of shared/reference/error-codes.md, plus -4005 (no use left), which
# the sandbox CA answers too.
CA_CODES = [
    -101, -102, -103, -104, -105, -3008, -3012, -3013, -3019, -4005, -5001, -6001,
    -6007, -6019, -6029, -9001, -9002, -9003, -9004, -9005, -9007, -9008, -9011,
    -9012, -9016, -9018, -9019, -9026, -9028, -9029, -9910, -9911, -9912, -9935,
]  # fmt: skip


def test_every_ca_code_has_its_own_message_and_advice():
    messages = set()
    for code in CA_CODES:
        info = CATALOGUE[code]
        assert str(info.message) and str(info.advice), code
        messages.add(str(info.message))
    assert len(messages) == len(CA_CODES)


def test_an_unknown_ca_code_still_reads_as_a_failure_with_advice():
    info = lookup(-4242)
    assert "-4242" in str(info.message) and str(info.advice)
    assert not info.transient


def test_only_exchange_failures_are_transient():
    transient = {code for code in CA_CODES if CATALOGUE[code].transient}
    assert transient == set()
    assert CertfleetError(errors.CA_TIMEOUT).transient
    assert CertfleetError(errors.CA_UNREACHABLE).transient
    assert not CertfleetError(errors.CA_TLS).transient
