"""Mosaic's Python client: every route of a Mosaic server as a typed
method, synchronous (:class:`Client`) or for asyncio (:class:`AsyncClient`),
live events that reconnect by themselves, and one exception tree under
:class:`MosaicError`::

    import mosaic

    with mosaic.Client() as client:  # MOSAIC and MOSAIC_API_KEY from the environment
        for torrent in client.torrents():
            print(torrent.name, f"{torrent.progress:.0%}")
"""

from ._aio import AsyncClient, AsyncEventStream
from ._api import Tab
from ._client import Client, EventStream
from ._errors import (
    AuthError,
    BadRequestError,
    ConfigError,
    ConflictError,
    ConnectionError,
    ForbiddenError,
    MosaicError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TimeoutError,
    TlsError,
)
from ._events import (
    Disconnected,
    Event,
    InspectorTick,
    Reconnected,
    StatsTick,
    TorrentAdded,
    TorrentCompleted,
    TorrentFailed,
    TorrentRemoved,
    TorrentsTick,
    UnknownEvent,
    UpdateAvailable,
)
from ._model import Priority, TorrentState
from ._mosaic import __version__
from ._settings import (
    Blocklist,
    Category,
    ConnectionSettings,
    SpeedLimits,
    UpdateInfo,
    UpdaterSettings,
    WebSettings,
)
from ._torrent import Detail, File, Peer, Stats, Torrent, Tracker

__all__ = [
    "AsyncClient",
    "AsyncEventStream",
    "AuthError",
    "BadRequestError",
    "Blocklist",
    "Category",
    # Clients.
    "Client",
    "ConfigError",
    "ConflictError",
    "ConnectionError",
    "ConnectionSettings",
    "Detail",
    "Disconnected",
    # Events.
    "Event",
    "EventStream",
    "File",
    "ForbiddenError",
    "InspectorTick",
    # Errors.
    "MosaicError",
    "NotFoundError",
    "Peer",
    "Priority",
    "RateLimitedError",
    "Reconnected",
    "ServerError",
    "SpeedLimits",
    "Stats",
    "StatsTick",
    "Tab",
    "TimeoutError",
    "TlsError",
    # Answers.
    "Torrent",
    "TorrentAdded",
    "TorrentCompleted",
    "TorrentFailed",
    "TorrentRemoved",
    "TorrentState",
    "TorrentsTick",
    "Tracker",
    "UnknownEvent",
    "UpdateAvailable",
    "UpdateInfo",
    "UpdaterSettings",
    "WebSettings",
    "__version__",
]
