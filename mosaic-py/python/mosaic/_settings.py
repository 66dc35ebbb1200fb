"""Categories, settings and update checks as the server describes them.

Limits are KiB/s with 0 meaning unlimited; times are Unix seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Optional

from ._model import Converters, Wire

__all__ = [
    "Blocklist",
    "Category",
    "ConnectionSettings",
    "SpeedLimits",
    "UpdateInfo",
    "UpdaterSettings",
    "WebSettings",
]


@dataclass(frozen=True)
class Category(Wire):
    """A named group of torrents with a default save path."""

    id: int
    name: str
    default_save_path: str
    """Where its torrents go when added without a save path (``""``: the
    server's default)."""
    color: str
    """``#rrggbb``."""


@dataclass(frozen=True)
class UpdateInfo(Wire):
    """The answer of an update check."""

    available: bool
    """Whether a newer release exists on the configured channel."""
    current_version: str
    latest_version: Optional[str]
    release_notes: Optional[str]
    asset_url: Optional[str]
    asset_filename: Optional[str]
    checked_at: int


@dataclass(frozen=True)
class SpeedLimits(Wire):
    """Global and alternative speed limits, KiB/s (0: unlimited)."""

    down_kbps: int
    up_kbps: int
    alt_down_kbps: int
    alt_up_kbps: int
    alt_active: bool
    """Whether the alternative limits are in force."""


@dataclass(frozen=True)
class ConnectionSettings(Wire):
    """Peer connection settings; changes apply at the server's next start."""

    listen_port: int
    dht_enabled: bool
    max_peers_per_torrent: int
    upnp_enabled: bool


@dataclass(frozen=True)
class WebSettings(Wire):
    """Who is signed in and how the web interface is reached."""

    username: str
    api_key_hint: str
    """The first characters of the current API key."""
    host_names: tuple[str, ...]
    """Extra host names the server answers to."""
    session_ttl_secs: int
    """How long an unused sign-in session lives."""

    _convert: ClassVar[Converters] = {"host_names": tuple}


@dataclass(frozen=True)
class Blocklist(Wire):
    """The peer blocklist: where it comes from and its last load."""

    url: str
    enabled: bool
    last_loaded_at: Optional[int]
    entries: int
    """Address ranges in the list in force."""
    error: Optional[str]
    """Why the last refresh failed; ``None`` after a success."""


@dataclass(frozen=True)
class UpdaterSettings(Wire):
    """Whether and where the server looks for new releases."""

    enabled: bool
    channel: str
    """``"stable"`` or ``"beta"``."""
    feed_url: str
    last_checked_at: Optional[int]
