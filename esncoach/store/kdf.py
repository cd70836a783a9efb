"""SQLCipher 4's passphrase key derivation (PBKDF2-HMAC-SHA512, 256,000 rounds), done in Python's hands.

Deriving the key ourselves gives the raw key, which then opens the file's connections at once (see
``store.first_list``). Python's ``hashlib`` calls the system OpenSSL; here that is OpenSSL 3.0, whose PBKDF2
takes ~130 ms where the OpenSSL 3.5 bundled with the ``sqlcipher3-binary`` wheel takes ~103 ms (CPU, same
machine, medians of 7) — the same bytes, and the difference lies on start-up's critical path (#18). So the
bundled library is called through ctypes when it is there (ctypes lets go of the GIL during the call, as
hashlib does), and ``hashlib`` otherwise.
"""

from __future__ import annotations

import hashlib
from functools import cache
from typing import Any

ROUNDS = 256_000
KEY_BYTES = 32


@cache
def _bundled_pbkdf2() -> Any:
    """``PKCS5_PBKDF2_HMAC`` and ``EVP_sha512`` from the wheel's own libcrypto, or None."""
    try:
        import ctypes
        import importlib.util
        from pathlib import Path

        spec = importlib.util.find_spec("sqlcipher3")
        if spec is None or spec.origin is None:
            return None
        libs = sorted((Path(spec.origin).parent.parent / "sqlcipher3_binary.libs").glob("libcrypto*.so*"))
        if not libs:
            return None
        lib = ctypes.CDLL(str(libs[0]))
        lib.EVP_sha512.restype = ctypes.c_void_p
        pbkdf2 = lib.PKCS5_PBKDF2_HMAC
        pbkdf2.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_int,
                           ctypes.c_void_p, ctypes.c_int, ctypes.c_char_p]
        pbkdf2.restype = ctypes.c_int
        return ctypes, pbkdf2, lib.EVP_sha512
    except (OSError, AttributeError):
        return None


def derive(passphrase: str, salt: bytes) -> bytes:
    """The 32-byte key SQLCipher 4 derives from ``passphrase`` for a file with this salt."""
    secret = passphrase.encode("utf-8")
    bundled = _bundled_pbkdf2()
    if bundled is not None:
        ctypes, pbkdf2, sha512 = bundled
        out = ctypes.create_string_buffer(KEY_BYTES)
        if pbkdf2(secret, len(secret), salt, len(salt), ROUNDS, sha512(), KEY_BYTES, out) == 1:
            return out.raw
    return hashlib.pbkdf2_hmac("sha512", secret, salt, ROUNDS, KEY_BYTES)


__all__ = ["KEY_BYTES", "ROUNDS", "derive"]
