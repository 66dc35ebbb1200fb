"""The synchronous client and its event iterator.

Every method blocks until the server answers, with the GIL released, so
other Python threads run meanwhile; Ctrl-C interrupts a wait.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Callable, Optional, Union

from . import _mosaic
from ._api import ALL_TABS, Api, CategoryRef, Tab, TorrentRef, Verify, connect, torrent_id
from ._errors import TimeoutError
from ._events import Event, event_from_native
from ._model import Priority
from ._settings import (
    Blocklist,
    Category,
    ConnectionSettings,
    SpeedLimits,
    UpdateInfo,
    UpdaterSettings,
    WebSettings,
)
from ._torrent import Detail, Stats, Torrent
from ._watch import Watch, pick

__all__ = ["Client", "EventStream"]


class EventStream:
    """Live events as an iterator, reconnecting by itself when the
    connection drops (see :class:`Disconnected`).

    Iteration ends only if the stream is closed; a failure that reconnecting
    cannot fix (a revoked key, a changed certificate) is raised. Use it in a
    ``with`` block, or call :meth:`close`, to close the socket.
    """

    __slots__ = ("_native",)

    def __init__(self, native: _mosaic.EventStream) -> None:
        self._native = native

    def __iter__(self) -> EventStream:
        return self

    def __next__(self) -> Event:
        event = self.next()
        if event is None:
            raise StopIteration
        return event

    def next(self, timeout: Optional[float] = None) -> Optional[Event]:
        """The next event, waiting at most ``timeout`` seconds (raising
        :class:`TimeoutError` then); ``None`` once the stream is closed."""
        item = self._native.next(timeout)
        return None if item is None else event_from_native(item)

    def close(self) -> None:
        """Closes the socket."""
        self._native.close()

    def __enter__(self) -> EventStream:
        return self

    def __exit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()


class Client:
    """A connection to one Mosaic server.

    ``base_url`` defaults to the ``MOSAIC`` environment variable and
    ``api_key`` to ``MOSAIC_API_KEY``; sign in with ``username`` and
    ``password`` instead to use a session (renewed by itself when it
    expires). The server's certificate is checked against the system's
    roots unless ``fingerprint`` pins it (the SHA-256 the server logs at
    start, or ``MOSAIC_FINGERPRINT``), ``verify`` names a CA file (such as
    the server's own ``tls/cert.pem``) or ``verify=False`` accepts any
    certificate. ``timeout`` bounds each request, in seconds.

    Nothing is sent until the first call. Use it in a ``with`` block or call
    :meth:`close` when done. One client may be shared by many threads; a
    process made by ``fork()`` makes clients of its own.
    """

    __slots__ = ("_api",)

    def __init__(
        self,
        base_url: Optional[str] = None,
        *,
        api_key: Optional[str] = None,
        username: Optional[str] = None,
        password: Optional[str] = None,
        fingerprint: Optional[str] = None,
        verify: Verify = True,
        timeout: float = 30.0,
    ) -> None:
        native = connect(
            base_url,
            api_key=api_key,
            username=username,
            password=password,
            fingerprint=fingerprint,
            verify=verify,
            timeout=timeout,
        )
        self._api = Api(native)

    def __repr__(self) -> str:
        state = " closed" if self.closed else ""
        return f"<mosaic.Client {self._api.native.base_url!r}{state}>"

    @property
    def base_url(self) -> str:
        """The server's address as given."""
        return self._api.native.base_url

    @property
    def closed(self) -> bool:
        return self._api.native.closed

    def close(self) -> None:
        """Closes the client's connections; later calls raise
        :class:`MosaicError`."""
        self._api.native.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        self.close()

    # Torrents.

    def torrents(self) -> list[Torrent]:
        """Every torrent, newest first."""
        return self._api.torrents().wait()

    def torrent(self, id: TorrentRef) -> Detail:
        """One torrent with its files, peers, trackers and pieces.

        Raises :class:`NotFoundError` for an unknown id."""
        return self._api.torrent(id).wait()

    def add_magnet(
        self,
        uri: str,
        *,
        save_path: Optional[str] = None,
        category: Optional[CategoryRef] = None,
        paused: bool = False,
    ) -> str:
        """Adds a magnet link and returns the torrent's id (the existing one
        when it is already there). ``save_path`` is absolute; without it the
        category's default path or the server's is used.

        Raises :class:`BadRequestError` for a magnet that does not validate
        or a refused save path."""
        return self._api.add_magnet(uri, save_path, category, paused).wait()

    def add_torrent_file(
        self,
        path_or_bytes: Union[str, os.PathLike[str], bytes, bytearray, memoryview],
        *,
        save_path: Optional[str] = None,
        category: Optional[CategoryRef] = None,
        paused: bool = False,
    ) -> str:
        """Uploads a ``.torrent`` (a local path, or its bytes) and returns the
        torrent's id.

        Raises :class:`BadRequestError` when it is not a valid torrent, and
        ``FileNotFoundError`` (or another ``OSError``) when the file cannot
        be read."""
        return self._api.add_torrent_file(path_or_bytes, save_path, category, paused).wait()

    def pause(self, id: TorrentRef) -> None:
        """Stops a torrent."""
        self._api.pause(id).wait()

    def resume(self, id: TorrentRef) -> None:
        """Starts a paused torrent."""
        self._api.resume(id).wait()

    def recheck(self, id: TorrentRef) -> None:
        """Hashes the torrent's data again. Raises :class:`ConflictError`
        while a magnet still fetches its metadata."""
        self._api.recheck(id).wait()

    def remove(self, id: TorrentRef, *, delete_data: bool = False) -> None:
        """Removes a torrent; its data stays on disk unless ``delete_data``."""
        self._api.remove(id, delete_data).wait()

    def set_category(self, id: TorrentRef, category: Optional[CategoryRef]) -> None:
        """Puts a torrent in a category, or in none with ``None``."""
        self._api.set_category(id, category).wait()

    def set_priorities(
        self, id: TorrentRef, priorities: Mapping[int, Union[Priority, str]]
    ) -> None:
        """Sets file priorities by file index: ``{0: "skip", 3: Priority.MAX}``.

        Raises :class:`BadRequestError` for an index the torrent does not
        have, :class:`ConflictError` before a magnet's metadata arrived."""
        self._api.set_priorities(id, priorities).wait()

    def move(self, id: TorrentRef, save_path: str) -> None:
        """Moves a torrent's data to another absolute folder."""
        self._api.move(id, save_path).wait()

    def focus(self, id: TorrentRef, tabs: Iterable[Tab] = ALL_TABS) -> None:
        """Makes this user's event streams carry :class:`InspectorTick` events
        for one torrent, with the given tabs of its :class:`Detail`."""
        self._api.focus(id, tabs).wait()

    def clear_focus(self) -> None:
        """Stops the :class:`InspectorTick` events."""
        self._api.clear_focus().wait()

    def stats(self) -> Stats:
        """Totals over every torrent: counts, rates, peers, free space."""
        return self._api.stats().wait()

    def wait_completed(
        self,
        id: TorrentRef,
        *,
        timeout: Optional[float] = None,
        on_progress: Optional[Callable[[Torrent], object]] = None,
    ) -> Torrent:
        """Blocks until the torrent has every wanted file and returns its row.

        Follows the live events (reconnecting when needed) and calls
        ``on_progress`` with the torrent's row each time it changes, the
        last time with the completed row. Raises
        :class:`TimeoutError` after ``timeout`` seconds,
        :class:`NotFoundError` when the torrent is unknown or removed
        meanwhile, and :class:`MosaicError` when it stops with an error.
        """
        id = torrent_id(id)
        watch = Watch(id, timeout)
        if not self.torrent(id).completed:
            with self.events() as events:
                while not watch.completed:
                    try:
                        event = events.next(watch.remaining())
                    except TimeoutError:
                        raise watch.timed_out() from None
                    if event is None:
                        raise watch.ended()
                    row = watch.see(event)
                    if row is not None and on_progress is not None:
                        on_progress(row)

        # Completion can show as an event before any list row does.
        final = watch.final_row()
        if final is None:
            final = pick(self.torrents(), id)
            if on_progress is not None:
                on_progress(final)
        return final

    # Categories.

    def categories(self) -> list[Category]:
        """Every category, by name."""
        return self._api.categories().wait()

    def create_category(
        self, name: str, *, save_path: str = "", color: Optional[str] = None
    ) -> int:
        """Creates a category and returns its id. ``save_path`` is where its
        torrents go by default (``""``: the server's default), ``color`` is
        ``#rrggbb``.

        Raises :class:`ConflictError` when the name is taken."""
        return self._api.create_category(name, save_path, color).wait()

    def update_category(
        self,
        id: CategoryRef,
        *,
        name: Optional[str] = None,
        save_path: Optional[str] = None,
        color: Optional[str] = None,
    ) -> None:
        """Changes the given fields of a category."""
        self._api.update_category(id, name, save_path, color).wait()

    def delete_category(self, id: CategoryRef) -> None:
        """Deletes a category; its torrents stay, without one."""
        self._api.delete_category(id).wait()

    # Settings.

    def save_path(self) -> str:
        """The default save path for new torrents."""
        return self._api.save_path().wait()

    def set_save_path(self, path: str) -> None:
        """Changes the default save path (absolute)."""
        self._api.set_save_path(path).wait()

    def limits(self) -> SpeedLimits:
        """The global and alternative speed limits."""
        return self._api.limits().wait()

    def set_limits(
        self,
        *,
        down_kbps: Optional[int] = None,
        up_kbps: Optional[int] = None,
        alt_down_kbps: Optional[int] = None,
        alt_up_kbps: Optional[int] = None,
        alt_active: Optional[bool] = None,
    ) -> None:
        """Changes the given limits (KiB/s, 0: unlimited); the others keep
        their value."""
        self._api.set_limits(
            down_kbps=down_kbps,
            up_kbps=up_kbps,
            alt_down_kbps=alt_down_kbps,
            alt_up_kbps=alt_up_kbps,
            alt_active=alt_active,
        ).wait()

    def toggle_alt_speed(self) -> bool:
        """Switches between normal and alternative limits; returns whether
        the alternative ones are now in force."""
        return self._api.toggle_alt_speed().wait()

    def connection_settings(self) -> ConnectionSettings:
        """Peer port, DHT, peers per torrent, UPnP."""
        return self._api.connection_settings().wait()

    def set_connection_settings(
        self,
        *,
        listen_port: Optional[int] = None,
        dht_enabled: Optional[bool] = None,
        max_peers_per_torrent: Optional[int] = None,
        upnp_enabled: Optional[bool] = None,
    ) -> None:
        """Changes the given connection settings; they apply at the server's
        next start."""
        self._api.set_connection_settings(
            listen_port=listen_port,
            dht_enabled=dht_enabled,
            max_peers_per_torrent=max_peers_per_torrent,
            upnp_enabled=upnp_enabled,
        ).wait()

    def web_settings(self) -> WebSettings:
        """The user, the API key's hint, host names and session lifetime."""
        return self._api.web_settings().wait()

    def set_web_settings(
        self,
        *,
        host_names: Optional[Iterable[str]] = None,
        session_ttl_secs: Optional[int] = None,
    ) -> None:
        """Changes the extra host names or the session lifetime (60 s to 30
        days)."""
        self._api.set_web_settings(host_names, session_ttl_secs).wait()

    def change_password(self, old_password: str, new_password: str) -> None:
        """Changes the password (8 characters at least); other sessions end."""
        self._api.change_password(old_password, new_password).wait()

    def rotate_api_key(self) -> str:
        """Replaces the API key and returns the new one, shown only this once.
        The old key stops working at once; this client switches to the new
        one by itself."""
        return self._api.rotate_api_key().wait()

    def blocklist(self) -> Blocklist:
        """The peer blocklist's URL, switch and last load."""
        return self._api.blocklist().wait()

    def set_blocklist(self, *, url: Optional[str] = None, enabled: Optional[bool] = None) -> None:
        """Changes the blocklist URL (http or https) or switches it."""
        self._api.set_blocklist(url, enabled).wait()

    def refresh_blocklist(self) -> None:
        """Fetches the blocklist now. Raises :class:`ServerError` (502) with
        the reason when the URL does not answer or is not a blocklist."""
        self._api.refresh_blocklist().wait()

    def updater_settings(self) -> UpdaterSettings:
        """Whether and where the server looks for new releases."""
        return self._api.updater_settings().wait()

    def set_updater_settings(
        self,
        *,
        enabled: Optional[bool] = None,
        channel: Optional[str] = None,
        feed_url: Optional[str] = None,
    ) -> None:
        """Changes the given updater settings (``channel``: ``"stable"`` or
        ``"beta"``)."""
        self._api.set_updater_settings(enabled=enabled, channel=channel, feed_url=feed_url).wait()

    def check_update(self) -> UpdateInfo:
        """Asks the server to look for a newer release now."""
        return self._api.check_update().wait()

    def install_update(self) -> None:
        """Installs the release a check found; the server restarts. Raises
        :class:`ConflictError` when there is none."""
        self._api.install_update().wait()

    # Access.

    def version(self) -> str:
        """The server's version; needs no credentials."""
        return self._api.version().wait()

    def login(self) -> None:
        """Signs in now with the client's username and password, rather than
        at the first request, so that wrong ones show at once.

        Raises :class:`AuthError` for wrong credentials and
        :class:`RateLimitedError` after too many attempts."""
        self._api.login().wait()

    def logout(self) -> None:
        """Ends the session on the server."""
        self._api.logout().wait()

    def events(self, *, delta: bool = False) -> EventStream:
        """The live events. ``delta=True`` has the server send only what
        changed in each list row; the events are the same."""
        return EventStream(self._api.native.events(delta=delta))
