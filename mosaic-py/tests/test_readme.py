"""The README's Python examples and ``examples/python/``, run as a user
would: a separate Python process, settings from the environment, a real
server and a real seeder."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from conftest import SWARM_FILES, Swarm
from support.net import REPO
from support.server import MosaicServer
from support.swarm import TorrentFile

EXAMPLES = REPO / "examples/python"


def readme_blocks() -> list[str]:
    """The ```python blocks of the README's "Python" section."""
    text = (REPO / "README.md").read_text()
    section = text.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def environment(server: MosaicServer) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        MOSAIC=server.url,
        MOSAIC_API_KEY=server.api_key,
        MOSAIC_FINGERPRINT=server.fingerprint(),
        PYTHONUNBUFFERED="1",
    )
    return env


def python(server: MosaicServer, args: list[str], cwd: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=cwd,
        env={**environment(server), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(child: subprocess.Popen[str], timeout: float = 120) -> list[str]:
    out, err = child.communicate(timeout=timeout)
    assert child.returncode == 0, err
    return out.splitlines()


def test_the_readme_has_a_sync_and_an_async_example() -> None:
    # Proves the section these tests run is there, so a rewritten README cannot skip them.
    blocks = readme_blocks()
    assert len(blocks) == 2
    assert "mosaic.Client()" in blocks[0] and "mosaic.AsyncClient()" in blocks[1]


def test_the_readme_sync_example_downloads(
    make_server: Callable[..., MosaicServer], swarm: Swarm, tmp_path: Path
) -> None:
    # Proves the README's first example as written: add, set priorities, wait with progress.
    server = make_server()
    shutil.copy(swarm.torrent.path, tmp_path / "some.torrent")
    lines = finished(python(server, ["-c", readme_blocks()[0]], tmp_path))
    wanted = SWARM_FILES["big.bin"] + SWARM_FILES["small.bin"]  # file 1, extra/tail.bin, is skipped
    assert lines[-1] == f"payload is complete: {wanted} bytes"
    assert lines[-2] == "100%" and all(line.endswith("%") for line in lines[:-1])


def test_the_readme_async_example_reports_a_completion(
    make_server: Callable[..., MosaicServer],
    make_torrent_file: Callable[..., TorrentFile],
    tmp_path: Path,
) -> None:
    # Proves the README's asyncio example as written: stats lines, then a completion, then it ends.
    server = make_server()
    child = python(server, ["-c", readme_blocks()[1]], tmp_path)
    time.sleep(2)  # the example connects and prints stats meanwhile
    made = make_torrent_file(name="present", where=server.save_path)
    with server.client() as client:
        client.add_torrent_file(made.path)
    lines = finished(child)
    assert lines[-1] == "present is complete"
    assert any(re.fullmatch(r"dl \d+\.\d KiB/s", line) for line in lines)


def test_example_add_and_watch(
    make_server: Callable[..., MosaicServer], swarm: Swarm, tmp_path: Path
) -> None:
    # Proves add_and_watch.py: the seed's flow on a real magnet, printing the seed's lines.
    server = make_server()
    with server.client() as client:
        # Slow enough for inspector frames to come before the end.
        client.set_limits(down_kbps=1024)
    magnet = swarm.torrent.magnet("payload", swarm.tracker.announce_url)
    script = str(EXAMPLES / "add_and_watch.py")
    lines = finished(python(server, [script, magnet, "0=max", "2=skip"], tmp_path))
    assert lines[0] == f"added {swarm.torrent.info_hash}"
    assert lines[1] == "files: big.bin=max, extra/tail.bin=normal, small.bin=skip"
    assert lines[-1] == "payload is complete"
    kinds = {line.split(" ", 1)[0] for line in lines[2:-1]}
    assert {"[tick]", "[stats]", "[inspect]"} <= kinds


def test_example_sign_in(make_server: Callable[..., MosaicServer], tmp_path: Path) -> None:
    # Proves sign_in.py: a session, the origin rule handled, a wrong password reported.
    server = make_server()
    script = str(EXAMPLES / "sign_in.py")
    magnet = "magnet:?xt=urn:btih:" + "ef" * 20 + "&dn=example"
    lines = finished(python(server, [script, magnet], tmp_path, MOSAIC_PASSWORD=server.password))
    assert lines == ["signed in as admin", "0 torrents", "added " + "ef" * 20]

    wrong = python(server, [script], tmp_path, MOSAIC_PASSWORD="not it")
    _, err = wrong.communicate(timeout=60)
    assert (wrong.returncode, err.strip()) == (1, "wrong password")


@pytest.mark.parametrize("script", sorted(p.name for p in EXAMPLES.glob("*.py")))
def test_examples_type_check(script: str) -> None:
    # Proves every example passes mypy --strict against the package's own types.
    mypy = pytest.importorskip("mypy.api")
    out, err, status = mypy.run(["--strict", str(EXAMPLES / script)])
    assert status == 0, out + err
