"""A real swarm on loopback: data and ``.torrent`` files made by Debian's
``mktorrent``, Debian's ``opentracker`` (whitelist mode) as the tracker,
and ``aria2c`` seeding.

Debian builds opentracker to serve only the info hashes in its whitelist,
reread on SIGHUP; started as root it chroots into its ``-d`` folder and
drops to ``nobody``, so that folder and its files are world-readable.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .net import free_port, wait_for


@dataclass(frozen=True)
class TorrentFile:
    path: Path
    info_hash: str

    def magnet(self, name: str, tracker: Optional[str] = None) -> str:
        link = f"magnet:?xt=urn:btih:{self.info_hash}&dn={urllib.parse.quote(name)}"
        if tracker:
            link += f"&tr={urllib.parse.quote(tracker, safe='')}"
        return link


def make_data(folder: Path, files: dict[str, int], seed: int = 7) -> Path:
    """Writes files of pseudo-random bytes (sizes in bytes) under
    ``folder`` and returns it."""
    state = hashlib.sha256(str(seed).encode()).digest()
    for name, size in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        chunks = []
        made = 0
        while made < size:
            state = hashlib.sha256(state).digest()
            chunk = state * 2048
            chunks.append(chunk)
            made += len(chunk)
        path.write_bytes(b"".join(chunks)[:size])
    return folder


def make_torrent(source: Path, announce: str, out: Path, piece_exp: int = 16) -> TorrentFile:
    """``mktorrent`` of a file or folder."""
    subprocess.run(
        ["mktorrent", "-a", announce, "-l", str(piece_exp), "-o", str(out), str(source)],
        check=True,
        capture_output=True,
    )
    return TorrentFile(out, info_hash(out.read_bytes()))


def info_hash(torrent: bytes) -> str:
    """The v1 info hash: SHA-1 of the bencoded ``info`` value as it is."""
    start, end = _dict_value_span(torrent, b"info")
    return hashlib.sha1(torrent[start:end]).hexdigest()


def _dict_value_span(data: bytes, key: bytes) -> tuple[int, int]:
    if data[:1] != b"d":
        raise ValueError("not a bencoded dictionary")
    at = 1
    while data[at : at + 1] != b"e":
        found_key, at = _string(data, at)
        value_start = at
        at = _skip(data, at)
        if found_key == key:
            return value_start, at
    raise KeyError(key)


def _string(data: bytes, at: int) -> tuple[bytes, int]:
    colon = data.index(b":", at)
    length = int(data[at:colon])
    return data[colon + 1 : colon + 1 + length], colon + 1 + length


def _skip(data: bytes, at: int) -> int:
    kind = data[at : at + 1]
    if kind == b"i":
        return data.index(b"e", at) + 1
    if kind in (b"l", b"d"):
        at += 1
        while data[at : at + 1] != b"e":
            at = _skip(data, at)
        return at + 1
    return _string(data, at)[1]


def _bencoded_int(body: bytes, key: bytes) -> int:
    at = body.find(key)
    if at < 0:
        return 0
    start = at + len(key) + 1
    return int(body[start : body.index(b"e", start)])


class Tracker:
    """opentracker on a free TCP port of 127.0.0.1, whitelist empty."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        (root / "opentracker.conf").write_text("access.whitelist whitelist.txt\n")
        (root / "whitelist.txt").write_text("")
        os.chmod(root, 0o755)
        for name in ("opentracker.conf", "whitelist.txt"):
            os.chmod(root / name, 0o644)

        self.port = free_port()
        self.log = open(root.parent / "opentracker.log", "wb")
        self.process = subprocess.Popen(
            ["opentracker", "-f", str(root / "opentracker.conf"), "-i", "127.0.0.1",
             "-p", str(self.port), "-d", str(root), "-u", "nobody"],
            stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_for(self._listening, 10, "opentracker listening")

    @property
    def announce_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/announce"

    def _listening(self) -> Optional[bool]:
        if self.process.poll() is not None:
            raise RuntimeError("opentracker exited")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
            return True
        except OSError:
            return None

    def whitelist(self, hash_hex: str) -> None:
        """Allows ``hash_hex`` and waits until announces for it are accepted."""
        with open(self.root / "whitelist.txt", "a") as whitelist:
            whitelist.write(hash_hex + "\n")
        self.process.send_signal(signal.SIGHUP)
        wait_for(lambda: self._accepts(hash_hex), 10, "opentracker whitelist reload")
        self._announce(hash_hex, "&event=stopped")

    def _accepts(self, hash_hex: str) -> Optional[bool]:
        return None if b"failure reason" in self._announce(hash_hex, "") else True

    def _announce(self, hash_hex: str, extra: str) -> bytes:
        hash_q = urllib.parse.quote(bytes.fromhex(hash_hex), safe="")
        query = (
            f"info_hash={hash_q}&peer_id=-MOSAICPYPROBE-00000&port=1"
            f"&uploaded=0&downloaded=0&left=1&numwant=0&compact=1{extra}"
        )
        return self._get(f"http://127.0.0.1:{self.port}/announce?{query}")

    def seeders(self, hash_hex: str) -> int:
        hash_q = urllib.parse.quote(bytes.fromhex(hash_hex), safe="")
        body = self._get(f"http://127.0.0.1:{self.port}/scrape?info_hash={hash_q}")
        return _bencoded_int(body, b"8:complete")

    def wait_seeders(self, hash_hex: str, count: int, timeout: float = 60) -> None:
        wait_for(
            lambda: True if self.seeders(hash_hex) >= count else None,
            timeout,
            f"{count} seeder(s) at the tracker",
        )

    @staticmethod
    def _get(url: str) -> bytes:
        # No proxy: the tracker is on loopback.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(url, timeout=10) as answer:
            body: bytes = answer.read()
            return body

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.log.close()


class Aria2Seeder:
    """aria2c seeding one torrent from existing data on loopback, with no
    peer source but the torrent's tracker."""

    def __init__(self, torrent: Path, data_parent: Path, logs: Path) -> None:
        self.port = free_port()
        self.log = open(logs / "aria2.log", "wb")
        args: list[str] = [
            "aria2c", "--no-conf=true", "--enable-dht=false", "--enable-dht6=false",
            "--bt-enable-lpd=false", "--enable-peer-exchange=false",
            "--bt-external-ip=127.0.0.1", "--interface=127.0.0.1", "--disable-ipv6=true",
            "--file-allocation=none", "--auto-file-renaming=false",
            "--show-console-readout=false", "--summary-interval=0",
            "--console-log-level=notice", f"--listen-port={self.port}",
            f"--stop-with-process={os.getpid()}",
            # Seed forever, and only data verified against the torrent.
            "--seed-ratio=0.0", "--check-integrity=true", "--bt-seed-unverified=false",
            f"--dir={data_parent}", str(torrent),
        ]  # fmt: skip
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()
        self.log.close()
