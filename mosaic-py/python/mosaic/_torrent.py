"""Torrents as the server describes them: list rows, details with their
files, peers and trackers, and the session totals.

Sizes are bytes, rates bytes per second, times Unix seconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Optional

from ._model import Converters, Priority, TorrentState, Wire, tuple_of

__all__ = ["Detail", "File", "Peer", "Stats", "Torrent", "Tracker"]


@dataclass(frozen=True, repr=False)
class Torrent(Wire):
    """One torrent as the list shows it."""

    id: str
    """The v1 info hash, 40 lowercase hex characters."""
    name: str
    """The torrent's name, or its info hash until metadata arrives."""
    magnet: str
    """A magnet link for the torrent."""
    save_path: str
    """The folder it was added to."""
    state: TorrentState
    """What it is doing."""
    error: Optional[str]
    """The failure that stopped it, if any."""
    total_bytes: int
    """Size of the wanted files, 0 before metadata."""
    bytes_done: int
    """Verified bytes of the wanted files."""
    progress: float
    """``bytes_done / total_bytes``, from 0 to 1."""
    download_rate: int
    upload_rate: int
    downloaded: int
    """Bytes received over its life, kept across restarts."""
    uploaded: int
    """Bytes sent over its life, kept across restarts."""
    ratio: float
    eta_secs: Optional[int]
    """Seconds until complete at the current rate; ``None`` when unknown."""
    peers: int
    """Connected peers."""
    seeds: int
    """Connected peers that have everything."""
    paused: bool
    completed: bool
    """Whether every wanted file is complete."""
    added_at: int
    completed_at: Optional[int]
    category_id: Optional[int]

    _convert: ClassVar[Converters] = {"state": TorrentState}

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(id={self.id!r}, name={self.name!r}, "
            f"state={self.state.value!r}, progress={self.progress:.3f})"
        )


@dataclass(frozen=True)
class File(Wire):
    """One file of a torrent."""

    index: int
    """Its position in the torrent: the key for priorities."""
    path: str
    """Path inside the torrent, ``/``-separated."""
    size: int
    bytes_done: int
    progress: float
    priority: Priority

    _convert: ClassVar[Converters] = {"priority": Priority}


@dataclass(frozen=True)
class Peer(Wire):
    """One connected peer."""

    ip: str
    port: int
    client: Optional[str]
    """The client it announced, if any."""
    progress: Optional[float]
    """How much of the torrent it has; ``None`` when the engine does not
    track it."""
    download_rate: int
    upload_rate: int
    downloaded: int
    """Bytes received from it over this connection."""
    uploaded: int
    """Bytes sent to it over this connection."""


@dataclass(frozen=True)
class Tracker(Wire):
    """One tracker of a torrent; what the engine does not report is
    ``None``."""

    url: str
    status: Optional[str]
    message: Optional[str]
    seeds: Optional[int]
    peers: Optional[int]
    last_announce: Optional[int]
    next_announce: Optional[int]


@dataclass(frozen=True, repr=False)
class Detail(Torrent):
    """Everything about one torrent: the list row's fields and the
    inspector's tabs.

    In an :class:`~mosaic.InspectorTick` the tabs that were not focused are
    ``None``; :meth:`Client.torrent` fills them all.
    """

    piece_length: int
    """Bytes per piece, 0 before metadata."""
    piece_count: int
    comment: Optional[str]
    created_by: Optional[str]
    private: bool
    files: Optional[tuple[File, ...]] = None
    peers_list: Optional[tuple[Peer, ...]] = None
    trackers: Optional[tuple[Tracker, ...]] = None
    pieces: Optional[str] = None
    """Base64 bitfield of the pieces we have, first piece in the high bit."""

    _convert: ClassVar[Converters] = {
        **Torrent._convert,
        "files": tuple_of(File),
        "peers_list": tuple_of(Peer),
        "trackers": tuple_of(Tracker),
    }


@dataclass(frozen=True)
class Stats(Wire):
    """Totals over every torrent of the server."""

    total_torrents: int
    active_torrents: int
    """Torrents neither paused nor complete."""
    seeding_torrents: int
    total_download_rate: int
    total_upload_rate: int
    total_peers: int
    downloaded_session: int
    """Bytes received since the server started."""
    uploaded_session: int
    """Bytes sent since the server started."""
    free_space: int
    """Bytes free under the default save path."""
