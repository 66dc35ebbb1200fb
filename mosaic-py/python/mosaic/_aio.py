"""The asyncio client and its event async iterator.

The methods are those of :class:`Client` as coroutines; requests run on
the native module's own threads and complete futures of the running loop,
so the loop is never blocked. Cancelling a task cancels its request.
"""

from __future__ import annotations

import inspect
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

__all__ = ["AsyncClient", "AsyncEventStream"]


class AsyncEventStream:
    """Live events as an async iterator; see :class:`EventStream`. Use it in
    an ``async with`` block, or call :meth:`aclose`, to close the socket."""

    __slots__ = ("_native",)

    def __init__(self, native: _mosaic.EventStream) -> None:
        self._native = native

    def __aiter__(self) -> AsyncEventStream:
        return self

    async def __anext__(self) -> Event:
        event = await self.next()
        if event is None:
            raise StopAsyncIteration
        return event

    async def next(self, timeout: Optional[float] = None) -> Optional[Event]:
        """The next event, waiting at most ``timeout`` seconds (raising
        :class:`TimeoutError` then); ``None`` once the stream is closed."""
        item = await self._native.anext(timeout)
        return None if item is None else event_from_native(item)

    async def aclose(self) -> None:
        """Closes the socket."""
        self._native.close()

    async def __aenter__(self) -> AsyncEventStream:
        return self

    async def __aexit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()


class AsyncClient:
    """:class:`Client` for asyncio: the same settings, and the same methods
    as coroutines. Use it in an ``async with`` block or call :meth:`aclose`
    when done."""

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
        return f"<mosaic.AsyncClient {self._api.native.base_url!r}{state}>"

    @property
    def base_url(self) -> str:
        """The server's address as given."""
        return self._api.native.base_url

    @property
    def closed(self) -> bool:
        return self._api.native.closed

    async def aclose(self) -> None:
        """Closes the client's connections; later calls raise
        :class:`MosaicError`."""
        self._api.native.close()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        kind: Optional[type[BaseException]],
        error: Optional[BaseException],
        traceback: Optional[TracebackType],
    ) -> None:
        await self.aclose()

    # Torrents.

    async def torrents(self) -> list[Torrent]:
        """See :meth:`Client.torrents`."""
        return await self._api.torrents()

    async def torrent(self, id: TorrentRef) -> Detail:
        """See :meth:`Client.torrent`."""
        return await self._api.torrent(id)

    async def add_magnet(
        self,
        uri: str,
        *,
        save_path: Optional[str] = None,
        category: Optional[CategoryRef] = None,
        paused: bool = False,
    ) -> str:
        """See :meth:`Client.add_magnet`."""
        return await self._api.add_magnet(uri, save_path, category, paused)

    async def add_torrent_file(
        self,
        path_or_bytes: Union[str, os.PathLike[str], bytes, bytearray, memoryview],
        *,
        save_path: Optional[str] = None,
        category: Optional[CategoryRef] = None,
        paused: bool = False,
    ) -> str:
        """See :meth:`Client.add_torrent_file`."""
        return await self._api.add_torrent_file(path_or_bytes, save_path, category, paused)

    async def pause(self, id: TorrentRef) -> None:
        """See :meth:`Client.pause`."""
        await self._api.pause(id)

    async def resume(self, id: TorrentRef) -> None:
        """See :meth:`Client.resume`."""
        await self._api.resume(id)

    async def recheck(self, id: TorrentRef) -> None:
        """See :meth:`Client.recheck`."""
        await self._api.recheck(id)

    async def remove(self, id: TorrentRef, *, delete_data: bool = False) -> None:
        """See :meth:`Client.remove`."""
        await self._api.remove(id, delete_data)

    async def set_category(self, id: TorrentRef, category: Optional[CategoryRef]) -> None:
        """See :meth:`Client.set_category`."""
        await self._api.set_category(id, category)

    async def set_priorities(
        self, id: TorrentRef, priorities: Mapping[int, Union[Priority, str]]
    ) -> None:
        """See :meth:`Client.set_priorities`."""
        await self._api.set_priorities(id, priorities)

    async def move(self, id: TorrentRef, save_path: str) -> None:
        """See :meth:`Client.move`."""
        await self._api.move(id, save_path)

    async def focus(self, id: TorrentRef, tabs: Iterable[Tab] = ALL_TABS) -> None:
        """See :meth:`Client.focus`."""
        await self._api.focus(id, tabs)

    async def clear_focus(self) -> None:
        """See :meth:`Client.clear_focus`."""
        await self._api.clear_focus()

    async def stats(self) -> Stats:
        """See :meth:`Client.stats`."""
        return await self._api.stats()

    async def wait_completed(
        self,
        id: TorrentRef,
        *,
        timeout: Optional[float] = None,
        on_progress: Optional[Callable[[Torrent], object]] = None,
    ) -> Torrent:
        """See :meth:`Client.wait_completed`; ``on_progress`` may also be a
        coroutine function."""
        id = torrent_id(id)
        watch = Watch(id, timeout)

        async def report(row: Torrent) -> None:
            if on_progress is not None:
                reported = on_progress(row)
                if inspect.isawaitable(reported):
                    await reported

        if not (await self.torrent(id)).completed:
            async with self.events() as events:
                while not watch.completed:
                    try:
                        event = await events.next(watch.remaining())
                    except TimeoutError:
                        raise watch.timed_out() from None
                    if event is None:
                        raise watch.ended()
                    row = watch.see(event)
                    if row is not None:
                        await report(row)

        # Completion can show as an event before any list row does.
        final = watch.final_row()
        if final is None:
            final = pick(await self.torrents(), id)
            await report(final)
        return final

    # Categories.

    async def categories(self) -> list[Category]:
        """See :meth:`Client.categories`."""
        return await self._api.categories()

    async def create_category(
        self, name: str, *, save_path: str = "", color: Optional[str] = None
    ) -> int:
        """See :meth:`Client.create_category`."""
        return await self._api.create_category(name, save_path, color)

    async def update_category(
        self,
        id: CategoryRef,
        *,
        name: Optional[str] = None,
        save_path: Optional[str] = None,
        color: Optional[str] = None,
    ) -> None:
        """See :meth:`Client.update_category`."""
        await self._api.update_category(id, name, save_path, color)

    async def delete_category(self, id: CategoryRef) -> None:
        """See :meth:`Client.delete_category`."""
        await self._api.delete_category(id)

    # Settings.

    async def save_path(self) -> str:
        """See :meth:`Client.save_path`."""
        return await self._api.save_path()

    async def set_save_path(self, path: str) -> None:
        """See :meth:`Client.set_save_path`."""
        await self._api.set_save_path(path)

    async def limits(self) -> SpeedLimits:
        """See :meth:`Client.limits`."""
        return await self._api.limits()

    async def set_limits(
        self,
        *,
        down_kbps: Optional[int] = None,
        up_kbps: Optional[int] = None,
        alt_down_kbps: Optional[int] = None,
        alt_up_kbps: Optional[int] = None,
        alt_active: Optional[bool] = None,
    ) -> None:
        """See :meth:`Client.set_limits`."""
        await self._api.set_limits(
            down_kbps=down_kbps,
            up_kbps=up_kbps,
            alt_down_kbps=alt_down_kbps,
            alt_up_kbps=alt_up_kbps,
            alt_active=alt_active,
        )

    async def toggle_alt_speed(self) -> bool:
        """See :meth:`Client.toggle_alt_speed`."""
        return await self._api.toggle_alt_speed()

    async def connection_settings(self) -> ConnectionSettings:
        """See :meth:`Client.connection_settings`."""
        return await self._api.connection_settings()

    async def set_connection_settings(
        self,
        *,
        listen_port: Optional[int] = None,
        dht_enabled: Optional[bool] = None,
        max_peers_per_torrent: Optional[int] = None,
        upnp_enabled: Optional[bool] = None,
    ) -> None:
        """See :meth:`Client.set_connection_settings`."""
        await self._api.set_connection_settings(
            listen_port=listen_port,
            dht_enabled=dht_enabled,
            max_peers_per_torrent=max_peers_per_torrent,
            upnp_enabled=upnp_enabled,
        )

    async def web_settings(self) -> WebSettings:
        """See :meth:`Client.web_settings`."""
        return await self._api.web_settings()

    async def set_web_settings(
        self,
        *,
        host_names: Optional[Iterable[str]] = None,
        session_ttl_secs: Optional[int] = None,
    ) -> None:
        """See :meth:`Client.set_web_settings`."""
        await self._api.set_web_settings(host_names, session_ttl_secs)

    async def change_password(self, old_password: str, new_password: str) -> None:
        """See :meth:`Client.change_password`."""
        await self._api.change_password(old_password, new_password)

    async def rotate_api_key(self) -> str:
        """See :meth:`Client.rotate_api_key`."""
        return await self._api.rotate_api_key()

    async def blocklist(self) -> Blocklist:
        """See :meth:`Client.blocklist`."""
        return await self._api.blocklist()

    async def set_blocklist(
        self, *, url: Optional[str] = None, enabled: Optional[bool] = None
    ) -> None:
        """See :meth:`Client.set_blocklist`."""
        await self._api.set_blocklist(url, enabled)

    async def refresh_blocklist(self) -> None:
        """See :meth:`Client.refresh_blocklist`."""
        await self._api.refresh_blocklist()

    async def updater_settings(self) -> UpdaterSettings:
        """See :meth:`Client.updater_settings`."""
        return await self._api.updater_settings()

    async def set_updater_settings(
        self,
        *,
        enabled: Optional[bool] = None,
        channel: Optional[str] = None,
        feed_url: Optional[str] = None,
    ) -> None:
        """See :meth:`Client.set_updater_settings`."""
        await self._api.set_updater_settings(enabled=enabled, channel=channel, feed_url=feed_url)

    async def check_update(self) -> UpdateInfo:
        """See :meth:`Client.check_update`."""
        return await self._api.check_update()

    async def install_update(self) -> None:
        """See :meth:`Client.install_update`."""
        await self._api.install_update()

    # Access.

    async def version(self) -> str:
        """See :meth:`Client.version`."""
        return await self._api.version()

    async def login(self) -> None:
        """See :meth:`Client.login`."""
        await self._api.login()

    async def logout(self) -> None:
        """See :meth:`Client.logout`."""
        await self._api.logout()

    def events(self, *, delta: bool = False) -> AsyncEventStream:
        """See :meth:`Client.events`; iterate with ``async for``."""
        return AsyncEventStream(self._api.native.events(delta=delta))
