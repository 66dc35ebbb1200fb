"""The exceptions of the package: one tree under :class:`MosaicError`.

Each class also inherits the builtin exception it resembles, so code that
already catches ``PermissionError``, ``LookupError``, ``ValueError``,
``ConnectionError`` or ``TimeoutError`` keeps working. The native module
raises these classes by name; none of their messages holds the API key,
the password or a session token.
"""

from __future__ import annotations

import builtins
from typing import Optional

__all__ = [
    "AuthError",
    "BadRequestError",
    "ConfigError",
    "ConflictError",
    "ConnectionError",
    "ForbiddenError",
    "MosaicError",
    "NotFoundError",
    "RateLimitedError",
    "ServerError",
    "TimeoutError",
    "TlsError",
]


class MosaicError(Exception):
    """Anything the Mosaic client raises.

    ``str(error)`` describes what happened. When the server answered,
    :attr:`status` is its HTTP status and :attr:`message` its own error
    message (``"torrent not found"``, ``"origin mismatch"``); both are
    ``None`` when it never answered.
    """

    status: Optional[int]
    """The HTTP status of the server's answer."""

    message: Optional[str]
    """The server's ``{"error": …}`` message."""

    def __init__(
        self,
        description: str,
        *,
        status: Optional[int] = None,
        message: Optional[str] = None,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.message = message


class AuthError(MosaicError, PermissionError):
    """401: no valid API key or session, or a wrong username or password."""


class ForbiddenError(MosaicError, PermissionError):
    """403: the server refused the request, e.g. ``"origin mismatch"`` when a
    proxy in front of it changes the ``Host`` a signed-in request names."""


class NotFoundError(MosaicError, LookupError):
    """404: no such torrent or category."""


class BadRequestError(MosaicError, ValueError):
    """400 (or 413): the server refused the request's content, such as a
    magnet that does not validate, a relative save path or an unknown file
    index."""


class ConflictError(MosaicError):
    """409: the request clashes with the server's state: a category name that
    is taken, a magnet whose metadata has not arrived, no update to
    install."""


class RateLimitedError(MosaicError):
    """429: too many sign-in attempts; try again after :attr:`retry_after`
    seconds."""

    retry_after: Optional[float]
    """Seconds the server asked to wait, from its ``Retry-After``."""

    def __init__(
        self,
        description: str,
        *,
        status: Optional[int] = None,
        message: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(description, status=status, message=message)
        self.retry_after = retry_after


class ServerError(MosaicError):
    """5xx: the server failed, or something it fetched for us did (a
    blocklist or release feed answers 502)."""


class ConnectionError(MosaicError, builtins.ConnectionError):
    """The server could not be reached, or the connection broke."""


class TlsError(ConnectionError):
    """The TLS handshake failed, most often because the server's certificate
    is not the one trusted (a pinned fingerprint that does not match, or a
    self-signed certificate checked against the system's roots)."""


class TimeoutError(MosaicError, builtins.TimeoutError):
    """The server, or the awaited event, did not come in time."""


class ConfigError(MosaicError, ValueError):
    """The client's settings cannot work: no server address, a malformed URL
    or fingerprint, a CA file without a certificate. (A CA file that cannot
    be read raises the ``OSError`` of the failure, such as
    ``FileNotFoundError``.)"""
