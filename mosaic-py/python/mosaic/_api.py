"""The requests both clients send, written once.

:class:`Api` checks and converts arguments, asks the native connection for
the request and pairs it with the conversion of its answer into the
package's classes. :class:`Client` waits for the result, :class:`AsyncClient`
awaits it; neither repeats any of this.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable, Mapping
from typing import Any, Callable, Generic, Literal, Optional, TypeVar, Union

from . import _mosaic
from ._errors import ConfigError
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

T = TypeVar("T")

Tab = Literal["overview", "files", "peers", "trackers", "pieces"]
"""An inspector tab: which parts of a :class:`Detail` live frames carry."""

ALL_TABS: tuple[Tab, ...] = ("overview", "files", "peers", "trackers", "pieces")

TorrentRef = Union[str, Torrent]
"""A torrent's id, or the torrent itself."""

CategoryRef = Union[int, Category]
"""A category's id, or the category itself."""

Verify = Union[bool, str, "os.PathLike[str]"]


class Call(Generic[T]):
    """A native request and how to turn its answer into ``T``."""

    __slots__ = ("_convert", "_native")

    def __init__(self, native: _mosaic.Call, convert: Callable[[Any], T]) -> None:
        self._native = native
        self._convert = convert

    def wait(self) -> T:
        return self._convert(self._native.wait())

    def __await__(self) -> Generator[Any, None, T]:
        answer = yield from self._native.__await__()
        return self._convert(answer)


def _none(_: Any) -> None:
    return None


def _list_of(cls: Any) -> Callable[[Any], list[Any]]:
    return lambda rows: [cls._from_wire(row) for row in rows]


def torrent_id(torrent: TorrentRef) -> str:
    """The id of a torrent given by id or as an object."""
    if isinstance(torrent, Torrent):
        return torrent.id
    if isinstance(torrent, str):
        return torrent
    raise TypeError(f"a torrent is its id (str) or a Torrent, not {type(torrent).__name__}")


def _category_id(category: Optional[CategoryRef]) -> Optional[int]:
    if isinstance(category, Category):
        return category.id
    if category is None or isinstance(category, int):
        return category
    raise TypeError(f"a category is its id (int) or a Category, not {type(category).__name__}")


def _priority(level: Union[Priority, str]) -> str:
    try:
        return Priority(level).value
    except ValueError:
        raise ValueError(
            f"unknown priority {level!r}: expected skip, normal, high or max"
        ) from None


def connect(
    base_url: Optional[str],
    *,
    api_key: Optional[str],
    username: Optional[str],
    password: Optional[str],
    fingerprint: Optional[str],
    verify: Verify,
    timeout: float,
) -> _mosaic.Connection:
    """The native connection, with the environment's defaults filled in:
    ``MOSAIC`` (base URL), ``MOSAIC_API_KEY`` (unless signing in with a
    password) and ``MOSAIC_FINGERPRINT`` (unless ``verify`` says otherwise)."""
    base_url = base_url or os.environ.get("MOSAIC")
    if not base_url:
        raise ConfigError("no server address: pass base_url or set MOSAIC")

    signs_in = username is not None or password is not None
    if signs_in and (username is None or password is None):
        raise ConfigError("username and password go together")
    if signs_in and api_key is not None:
        raise ConfigError("pass either api_key or username and password, not both")
    if not signs_in:
        api_key = api_key or os.environ.get("MOSAIC_API_KEY") or None

    if fingerprint is not None and verify is not True:
        raise ConfigError("fingerprint already says which certificate to trust: leave verify alone")
    if fingerprint is None and verify is True:
        fingerprint = os.environ.get("MOSAIC_FINGERPRINT") or None
    if isinstance(verify, bool):
        ca_file = None
    else:
        ca_file = os.fspath(verify)

    return _mosaic.Connection(
        base_url,
        api_key=api_key,
        username=username,
        password=password,
        fingerprint=fingerprint,
        ca_file=ca_file,
        accept_invalid_certs=verify is False,
        timeout=timeout,
    )


class Api:
    """Every route as a :class:`Call`."""

    __slots__ = ("native",)

    def __init__(self, native: _mosaic.Connection) -> None:
        self.native = native

    # Torrents.

    def torrents(self) -> Call[list[Torrent]]:
        return Call(self.native.torrents(), _list_of(Torrent))

    def torrent(self, torrent: TorrentRef) -> Call[Detail]:
        return Call(self.native.torrent(torrent_id(torrent)), Detail._from_wire)

    def add_magnet(
        self,
        uri: str,
        save_path: Optional[str],
        category: Optional[CategoryRef],
        paused: bool,
    ) -> Call[str]:
        native = self.native.add_magnet(
            uri, save_path=save_path, category_id=_category_id(category), paused=paused
        )
        return Call(native, str)

    def add_torrent_file(
        self,
        source: Union[str, os.PathLike[str], bytes, bytearray, memoryview],
        save_path: Optional[str],
        category: Optional[CategoryRef],
        paused: bool,
    ) -> Call[str]:
        options: Any = {
            "save_path": save_path,
            "category_id": _category_id(category),
            "paused": paused,
        }
        if isinstance(source, (bytes, bytearray, memoryview)):
            return Call(self.native.add_torrent(bytes(source), **options), str)
        if isinstance(source, (str, os.PathLike)):
            return Call(self.native.add_torrent_file(os.fspath(source), **options), str)
        raise TypeError(f"a .torrent is a path or its bytes, not {type(source).__name__}")

    def pause(self, torrent: TorrentRef) -> Call[None]:
        return Call(self.native.pause(torrent_id(torrent)), _none)

    def resume(self, torrent: TorrentRef) -> Call[None]:
        return Call(self.native.resume(torrent_id(torrent)), _none)

    def recheck(self, torrent: TorrentRef) -> Call[None]:
        return Call(self.native.recheck(torrent_id(torrent)), _none)

    def remove(self, torrent: TorrentRef, delete_data: bool) -> Call[None]:
        native = self.native.remove(torrent_id(torrent), delete_data=delete_data)
        return Call(native, _none)

    def set_category(self, torrent: TorrentRef, category: Optional[CategoryRef]) -> Call[None]:
        native = self.native.set_category(torrent_id(torrent), _category_id(category))
        return Call(native, _none)

    def set_priorities(
        self, torrent: TorrentRef, priorities: Mapping[int, Union[Priority, str]]
    ) -> Call[None]:
        levels = [(int(index), _priority(level)) for index, level in priorities.items()]
        return Call(self.native.set_priorities(torrent_id(torrent), levels), _none)

    def move(self, torrent: TorrentRef, save_path: str) -> Call[None]:
        return Call(self.native.move_torrent(torrent_id(torrent), save_path), _none)

    def focus(self, torrent: TorrentRef, tabs: Iterable[Tab]) -> Call[None]:
        names: list[str] = [tabs] if isinstance(tabs, str) else list(tabs)
        return Call(self.native.focus(torrent_id(torrent), names), _none)

    def clear_focus(self) -> Call[None]:
        return Call(self.native.clear_focus(), _none)

    def stats(self) -> Call[Stats]:
        return Call(self.native.stats(), Stats._from_wire)

    # Categories.

    def categories(self) -> Call[list[Category]]:
        return Call(self.native.categories(), _list_of(Category))

    def create_category(self, name: str, save_path: str, color: Optional[str]) -> Call[int]:
        native = self.native.create_category(name, save_path=save_path, color=color)
        return Call(native, int)

    def update_category(
        self,
        category: CategoryRef,
        name: Optional[str],
        save_path: Optional[str],
        color: Optional[str],
    ) -> Call[None]:
        native = self.native.update_category(
            _required_category(category), name=name, save_path=save_path, color=color
        )
        return Call(native, _none)

    def delete_category(self, category: CategoryRef) -> Call[None]:
        return Call(self.native.delete_category(_required_category(category)), _none)

    # Settings.

    def save_path(self) -> Call[str]:
        return Call(self.native.save_path(), str)

    def set_save_path(self, path: str) -> Call[None]:
        return Call(self.native.set_save_path(path), _none)

    def limits(self) -> Call[SpeedLimits]:
        return Call(self.native.limits(), SpeedLimits._from_wire)

    def set_limits(self, **changes: Any) -> Call[None]:
        return Call(self.native.set_limits(**changes), _none)

    def toggle_alt_speed(self) -> Call[bool]:
        return Call(self.native.toggle_alt_speed(), bool)

    def connection_settings(self) -> Call[ConnectionSettings]:
        return Call(self.native.connection_settings(), ConnectionSettings._from_wire)

    def set_connection_settings(self, **changes: Any) -> Call[None]:
        return Call(self.native.set_connection_settings(**changes), _none)

    def web_settings(self) -> Call[WebSettings]:
        return Call(self.native.web_settings(), WebSettings._from_wire)

    def set_web_settings(
        self, host_names: Optional[Iterable[str]], session_ttl_secs: Optional[int]
    ) -> Call[None]:
        names = None if host_names is None else list(host_names)
        native = self.native.set_web_settings(host_names=names, session_ttl_secs=session_ttl_secs)
        return Call(native, _none)

    def change_password(self, old_password: str, new_password: str) -> Call[None]:
        return Call(self.native.change_password(old_password, new_password), _none)

    def rotate_api_key(self) -> Call[str]:
        return Call(self.native.rotate_api_key(), str)

    def blocklist(self) -> Call[Blocklist]:
        return Call(self.native.blocklist(), Blocklist._from_wire)

    def set_blocklist(self, url: Optional[str], enabled: Optional[bool]) -> Call[None]:
        return Call(self.native.set_blocklist(url=url, enabled=enabled), _none)

    def refresh_blocklist(self) -> Call[None]:
        return Call(self.native.refresh_blocklist(), _none)

    def updater_settings(self) -> Call[UpdaterSettings]:
        return Call(self.native.updater_settings(), UpdaterSettings._from_wire)

    def set_updater_settings(self, **changes: Any) -> Call[None]:
        return Call(self.native.set_updater_settings(**changes), _none)

    def check_update(self) -> Call[UpdateInfo]:
        return Call(self.native.check_update(), UpdateInfo._from_wire)

    def install_update(self) -> Call[None]:
        return Call(self.native.install_update(), _none)

    # Access.

    def version(self) -> Call[str]:
        return Call(self.native.version(), str)

    def login(self) -> Call[None]:
        return Call(self.native.login(), _none)

    def logout(self) -> Call[None]:
        return Call(self.native.logout(), _none)


def _required_category(category: CategoryRef) -> int:
    found = _category_id(category)
    if found is None:
        raise TypeError("a category is its id (int) or a Category, not None")
    return found
