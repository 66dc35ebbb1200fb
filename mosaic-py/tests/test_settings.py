"""Settings methods, with each client. Each test puts back what it
changed on the shared server, or uses a server of its own."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any, Callable

import pytest

import mosaic

from support.server import MosaicServer
from support.updates import FeedServer


def test_save_path_is_read_and_changed(api: Any, server: MosaicServer, tmp_path: Path) -> None:
    # Proves save_path()/set_save_path() round trip, and a relative path is a BadRequestError.
    assert api.save_path() == str(server.save_path)
    api.set_save_path(str(tmp_path))
    assert api.save_path() == str(tmp_path)
    with pytest.raises(mosaic.BadRequestError):
        api.set_save_path("relative/path")
    api.set_save_path(str(server.save_path))


def test_limits_change_only_the_given_fields(api: Any) -> None:
    # Proves set_limits() keeps the fields it is not given, and toggle_alt_speed() flips alt_active.
    before = api.limits()
    assert isinstance(before, mosaic.SpeedLimits)
    api.set_limits(down_kbps=512, alt_up_kbps=64)
    assert api.limits() == dataclasses.replace(before, down_kbps=512, alt_up_kbps=64)

    active = api.toggle_alt_speed()
    assert active is (not before.alt_active) and api.limits().alt_active is active
    api.toggle_alt_speed()
    api.set_limits(
        down_kbps=before.down_kbps,
        up_kbps=before.up_kbps,
        alt_down_kbps=before.alt_down_kbps,
        alt_up_kbps=before.alt_up_kbps,
        alt_active=before.alt_active,
    )
    assert api.limits() == before


def test_connection_settings_are_stored(api: Any) -> None:
    # Proves set_connection_settings() stores the given fields and keeps the rest.
    before = api.connection_settings()
    api.set_connection_settings(max_peers_per_torrent=before.max_peers_per_torrent + 7)
    after = api.connection_settings()
    assert after == dataclasses.replace(
        before, max_peers_per_torrent=before.max_peers_per_torrent + 7
    )
    api.set_connection_settings(max_peers_per_torrent=before.max_peers_per_torrent)


def test_web_settings_change_host_names_and_lifetime(api: Any) -> None:
    # Proves web_settings() shows user and key hint; set_web_settings() changes names and TTL.
    before = api.web_settings()
    assert before.username == "admin" and len(before.api_key_hint) == 4
    api.set_web_settings(host_names=["mosaic.test"], session_ttl_secs=3600)
    after = api.web_settings()
    assert (after.host_names, after.session_ttl_secs) == (("mosaic.test",), 3600)
    with pytest.raises(mosaic.BadRequestError):
        api.set_web_settings(session_ttl_secs=5)
    api.set_web_settings(
        host_names=list(before.host_names), session_ttl_secs=before.session_ttl_secs
    )
    assert api.web_settings() == before


def test_blocklist_settings_and_a_refused_refresh(api: Any) -> None:
    # Proves set_blocklist() stores URL and switch; a refused refresh (502) is a ServerError.
    api.set_blocklist(url="http://127.0.0.1:9/list.txt", enabled=False)
    stored = api.blocklist()
    assert (stored.url, stored.enabled) == ("http://127.0.0.1:9/list.txt", False)
    # Loopback targets are refused (no --allow-private-fetch): nothing is fetched.
    with pytest.raises(mosaic.ServerError) as failed:
        api.refresh_blocklist()
    assert failed.value.status == 502
    assert failed.value.message is not None
    assert failed.value.message.startswith("blocklist refresh failed: refused to fetch")
    assert api.blocklist().error is not None
    api.set_blocklist(url="")
    assert api.blocklist().url == ""


def test_updater_settings_are_stored(api: Any) -> None:
    # Proves set_updater_settings() stores the given fields and refuses an unknown channel locally.
    api.set_updater_settings(channel="beta", feed_url="https://127.0.0.1:9/feed.json")
    stored = api.updater_settings()
    assert (stored.enabled, stored.channel, stored.feed_url) == (
        False,
        "beta",
        "https://127.0.0.1:9/feed.json",
    )
    with pytest.raises(ValueError, match="unknown update channel 'nightly'"):
        api.set_updater_settings(channel="nightly")
    api.set_updater_settings(channel="stable", feed_url="")


def test_update_check_and_install(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer], feed: FeedServer
) -> None:
    # Proves check_update() reads a signed feed; install_update() finds nothing newer to install.
    server = make_server("--allow-private-fetch", "--release-public-key", feed.public_key)
    api = api_for(server)
    with pytest.raises(mosaic.BadRequestError, match="no release feed url"):
        api.check_update()

    api.set_updater_settings(feed_url=feed(version="0.0.1"))
    info = api.check_update()
    assert isinstance(info, mosaic.UpdateInfo)
    assert (info.available, info.latest_version, info.current_version) == (
        False,
        "0.0.1",
        api.version(),
    )
    with pytest.raises(mosaic.ConflictError) as none:
        api.install_update()
    assert none.value.message == "no update available"

    api.set_updater_settings(feed_url=feed(version="99.0.0"))
    newer = api.check_update()
    assert (newer.available, newer.latest_version, newer.release_notes) == (
        True,
        "99.0.0",
        "release 99.0.0",
    )
    assert api.updater_settings().last_checked_at == newer.checked_at
