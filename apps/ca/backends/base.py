"""What a CA backend hands back to the pipeline."""

from dataclasses import dataclass, field

from apps.ca.errors import CertfleetError


@dataclass
class CheckResult:
    """The voucher CA's answer to a voucher check: the order and the key to make.

    `warning` is set when the CA accepted the order but holds it (-5001).
    """

    order_id: str
    key_length: int
    warning: CertfleetError | None = None
    raw: str = ""


@dataclass
class Issued:
    """A certificate from the CA: the leaf and its chain up to, not including, the
    root (the root is in the authority's trusted_roots)."""

    order_id: str
    cert_pem: str
    chain_pems: list[str] = field(default_factory=list)
    raw: str = ""
