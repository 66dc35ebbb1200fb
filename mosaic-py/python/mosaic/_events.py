"""The live events of :meth:`Client.events`, one frozen class per kind.

The server's frames (``torrents:tick``, ``torrent:completed``, …) become
the classes below; :class:`Disconnected` and :class:`Reconnected` report
the stream's own reconnecting, after which a full :class:`TorrentsTick`
follows. Frames of a kind this version does not know arrive as
:class:`UnknownEvent`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Callable, ClassVar

from ._model import Converters, Wire, tuple_of
from ._settings import UpdateInfo
from ._torrent import Detail, Stats, Torrent

__all__ = [
    "Disconnected",
    "Event",
    "InspectorTick",
    "Reconnected",
    "StatsTick",
    "TorrentAdded",
    "TorrentCompleted",
    "TorrentFailed",
    "TorrentRemoved",
    "TorrentsTick",
    "UnknownEvent",
    "UpdateAvailable",
]


@dataclass(frozen=True)
class Event(Wire):
    """Base of every event."""


@dataclass(frozen=True)
class TorrentsTick(Event):
    """The whole list, newest first: on connecting, then each second it
    changed."""

    torrents: tuple[Torrent, ...]

    _convert: ClassVar[Converters] = {"torrents": tuple_of(Torrent)}


@dataclass(frozen=True)
class StatsTick(Event):
    """The session totals, each second."""

    stats: Stats

    _convert: ClassVar[Converters] = {"stats": Stats._from_wire}


@dataclass(frozen=True)
class InspectorTick(Event):
    """The focused torrent (see :meth:`Client.focus`), each second."""

    detail: Detail

    _convert: ClassVar[Converters] = {"detail": Detail._from_wire}


@dataclass(frozen=True)
class TorrentAdded(Event):
    id: str
    name: str


@dataclass(frozen=True)
class TorrentRemoved(Event):
    id: str
    name: str


@dataclass(frozen=True)
class TorrentCompleted(Event):
    """Every wanted file of the torrent is complete."""

    id: str
    name: str


@dataclass(frozen=True)
class TorrentFailed(Event):
    """The torrent stopped with an error (``torrent:error``)."""

    id: str
    name: str
    error: str


@dataclass(frozen=True)
class UpdateAvailable(Event):
    """A newer server release was found."""

    info: UpdateInfo

    _convert: ClassVar[Converters] = {"info": UpdateInfo._from_wire}


@dataclass(frozen=True)
class Disconnected(Event):
    """The connection dropped and the stream is reconnecting; events until
    :class:`Reconnected` are missed."""

    reason: str


@dataclass(frozen=True)
class Reconnected(Event):
    """The stream is connected again; a full :class:`TorrentsTick`
    follows."""


@dataclass(frozen=True)
class UnknownEvent(Event):
    """A frame of a kind this version does not know, from a newer server."""

    type: str
    payload: Any


def _whole(field: str) -> Callable[[Any], dict[str, Any]]:
    return lambda payload: {field: payload}


def _fields(payload: Any) -> dict[str, Any]:
    return dict(payload)


# Per frame type: the event class and how its payload maps onto the fields.
_KINDS: dict[str, tuple[type[Event], Callable[[Any], dict[str, Any]]]] = {
    "torrents:tick": (TorrentsTick, _whole("torrents")),
    "stats:tick": (StatsTick, _whole("stats")),
    "inspector:tick": (InspectorTick, _whole("detail")),
    "update:available": (UpdateAvailable, _whole("info")),
    "torrent:added": (TorrentAdded, _fields),
    "torrent:removed": (TorrentRemoved, _fields),
    "torrent:completed": (TorrentCompleted, _fields),
    "torrent:error": (TorrentFailed, _fields),
    "disconnected": (Disconnected, _fields),
    "reconnected": (Reconnected, lambda _: {}),
}


def event_from_native(item: Sequence[Any]) -> Event:
    """The event for a native ``[type, payload]`` pair."""
    kind, payload = item
    known = _KINDS.get(kind)
    if known is None:
        return UnknownEvent(type=kind, payload=payload)
    cls, fields = known
    return cls._from_wire(fields(payload))
