from tests.api.fixtures import fast_passwords, fleet  # noqa: F401
