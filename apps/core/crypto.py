"""Encryption of secrets at rest (Plesk credentials, private keys).

Keys come from CERTFLEET_ENCRYPTION_KEYS, newest first. Every listed key can decrypt,
only the first encrypts, so rotating means prepending a new key and running
`manage.py rotate_keys`. Without configured keys a key file under the data directory
is created once, which suits the embedded setup only.
"""

from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.CERTFLEET_ENCRYPTION_KEYS)
    if not keys:
        path = settings.DATA_DIR / "encryption.key"
        if not path.exists():
            path.write_bytes(Fernet.generate_key())
            path.chmod(0o600)
        keys = [path.read_text().strip()]
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode()).decode()


def rotate(token: str) -> str:
    """Re-encrypt a token under the newest key."""
    return _fernet().rotate(token.encode()).decode()
