"""BLAKE2b for the cache and the config fingerprint, without loading OpenSSL.

``hashlib`` loads OpenSSL's ``_hashlib`` when it is imported (a sizeable share
of a warm run's imports); BLAKE2b is CPython's own ``_blake2``
module, which ``hashlib.blake2b`` is anyway.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

__all__ = ["blake2b"]
