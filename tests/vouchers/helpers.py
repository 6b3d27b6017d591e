"""Assertions shared by the voucher tests."""

import pytest

from apps.ca.errors import CertfleetError, lookup


def assert_refused(caught: pytest.ExceptionInfo, code: int) -> CertfleetError:
    """The failure carries `code` with the catalogue's message and advice."""
    error = caught.value
    assert isinstance(error, CertfleetError)
    assert error.code == code, f"got {error.code}: {error}"
    info = lookup(code)
    assert str(error.info.message) == str(info.message) and str(info.message)
    assert str(error.info.advice) and error.info.advice == info.advice
    return error
