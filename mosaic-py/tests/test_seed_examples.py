"""The user's own Python examples (``seed-api-examples.txt``), cut from that
file (never retyped) and run with requests and websocket-client against a
real server: the compatibility check. What they did is then read back with
this package, so both speak the same API.

mosaic-server/tests/seed_scripts.rs runs the same snippets from Rust.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from typing import Any, Callable

import pytest

import mosaic

from conftest import Swarm
from support.net import SEED
from support.server import MosaicServer
from support.updates import FeedServer


def seed() -> str:
    return SEED.read_text()


def block(text: str, first: str, last: str) -> str:
    """The seed's lines from the first starting with ``first`` through the
    first after it starting with ``last``."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(first))
    end = next(i for i in range(start, len(lines)) if lines[i].startswith(last))
    return "\n".join(lines[start : end + 1]) + "\n"


def header(text: str) -> str:
    """Imports, BASE, KEY, HEAD and the requests session."""
    return block(
        text,
        "# pip install requests websocket-client",
        "import urllib3; urllib3.disable_warnings()",
    )


def functions(text: str) -> str:
    """add_magnet, list_torrents, focus and set_priorities."""
    return block(
        text,
        'def add_magnet(uri, save_path=""):',
        '    S.post(f"{BASE}/api/torrents/file_priorities"',
    )


def seed_environment(server: MosaicServer) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MOSAIC=f"https://localhost:{server.port}",
        MOSAIC_API_KEY=server.api_key,
        PYTHONUNBUFFERED="1",
    )
    # requests lets these override `S.verify = False`, which the seed relies
    # on; a user's shell rarely sets them, this machine's does.
    env.pop("REQUESTS_CA_BUNDLE", None)
    env.pop("CURL_CA_BUNDLE", None)
    return env


def run(server: MosaicServer, program: str, *args: str) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", program, *args],
        env=seed_environment(server),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_seed_still_has_its_python_examples() -> None:
    # Proves the blocks these tests cut are where they were, so a changed seed fails loudly.
    text = seed()
    assert "S.verify = False" in header(text)
    assert "def set_priorities(infohash, prios):" in functions(text)
    assert block(text, "def on_message(ws, raw):", "ws.run_forever(").count("elif t ==") == 3


def test_seed_functions_add_a_magnet_and_set_priorities_once_metadata_resolves(
    server: MosaicServer, swarm: Swarm
) -> None:
    # Proves section 1 as written: add a magnet served by a real seeder, set priorities, focus.
    text = seed()
    driver = (
        "import sys, time\n"
        "infohash = add_magnet(sys.argv[1])\n"
        "print('added', infohash)\n"
        "while True:\n"
        "    row = next(t for t in list_torrents() if t['id'] == infohash)\n"
        "    if row['total_bytes']:\n"
        "        break\n"
        "    time.sleep(0.2)\n"
        "set_priorities(infohash, {0: 'max', 2: 'skip'})\n"
        "focus(infohash, ['files'])\n"
        "print('resolved', row['name'])\n"
    )
    magnet = swarm.torrent.magnet("payload", swarm.tracker.announce_url)
    out = run(server, header(text) + functions(text) + driver, magnet)
    assert out == [f"added {swarm.torrent.info_hash}", "resolved payload"]

    # What the seed's script did, read back with this package.
    with server.client() as client:
        files = {f.path: f.priority for f in client.torrent(swarm.torrent.info_hash).files or ()}
        # mktorrent lists files by path: big.bin, extra/tail.bin, small.bin.
        assert files == {
            "big.bin": mosaic.Priority.MAX,
            "extra/tail.bin": mosaic.Priority.NORMAL,
            "small.bin": mosaic.Priority.SKIP,
        }
        client.remove(swarm.torrent.info_hash, delete_data=True)


@pytest.fixture
def updating_server(
    make_server: Callable[..., MosaicServer], feed: FeedServer
) -> Iterator[MosaicServer]:
    server = make_server("--allow-private-fetch", "--release-public-key", feed.public_key)
    with server.client() as client:
        client.set_updater_settings(feed_url=feed(version="99.0.0"))
    yield server


def test_seed_websocket_handler_prints_every_frame_it_reads(
    updating_server: MosaicServer, make_torrent_file: Callable[..., Any]
) -> None:
    # Proves section 2 as written: websocket-client sees ticks, stats, the inspector, an update.
    server = updating_server
    text = seed()
    program = (
        header(text) + functions(text) + block(text, "def on_message(ws, raw):", "ws.run_forever(")
    )
    with server.client() as client:
        id = client.add_torrent_file(make_torrent_file(name="watched").path, paused=True)

        child = subprocess.Popen(
            [sys.executable, "-c", program],
            env=seed_environment(server),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line.rstrip("\n")) for line in child.stdout or ()],
            daemon=True,
        ).start()

        def expect(prefix: str) -> str:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                try:
                    line = lines.get(timeout=deadline - time.monotonic())
                except queue.Empty:
                    break
                if line.startswith(prefix):
                    return line
            child.kill()
            raise AssertionError(
                f"no line starting with {prefix!r}; stderr: {child.communicate()[1]}"
            )

        try:
            assert expect("[tick]") == "[tick] 1 torrents"
            assert expect("[stats]") == "[stats] dl 0.0 KB/s  ul 0.0 KB/s"
            client.focus(id, ["overview"])
            assert expect("[inspect]") == "[inspect] watched: 0.0%"
            info = client.check_update()
            update = expect("[update]")
            assert update.startswith(f"[update] {info.current_version}") and update.endswith(
                "99.0.0"
            )
        finally:
            child.kill()
            child.communicate()


def test_seed_cookie_sign_in_and_the_origin_rule(make_server: Callable[..., MosaicServer]) -> None:
    # Proves the sign-in snippet: login, a cookie GET, a POST with Origin (ok), without (403).
    server = make_server()
    server.admin("password", stdin="hunter2\n")
    text = seed()
    login = block(text, 'r = S.post(f"{BASE}/api/login"', 'S.get(f"{BASE}/api/torrents")')
    with_origin = block(
        text, 'S.post(f"{BASE}/api/torrents/magnet",', '       headers={"Origin": BASE})'
    )
    program = (
        header(text)
        + login
        + "print('login', r.status_code, r.json(), sorted(S.cookies.keys()))\n"
        + "uri = 'magnet:?xt=urn:btih:dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c&dn=Big+Buck+Bunny'\n"
        + "p = "
        + with_origin
        + "print('with-origin', p.status_code, p.json())\n"
        + "n = S.post(f'{BASE}/api/torrents/magnet', json={'magnet': uri, 'save_path': ''})\n"
        + "print('without-origin', n.status_code, n.json())\n"
    )
    assert run(server, program) == [
        "login 200 {'ok': True} ['mosaic_session']",
        "with-origin 200 {'id': 'dd8255ecdc7ca55fb0bbf81323d87062db1f6d1c'}",
        "without-origin 403 {'error': 'missing origin'}",
    ]
    # The same user, signing in with this package.
    with server.client(username="admin", password="hunter2") as client:
        assert [t.name for t in client.torrents()] == ["Big Buck Bunny"]
