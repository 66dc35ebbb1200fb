"""A real ``mosaic-server`` process on 127.0.0.1, over TLS with its own
self-signed certificate, as a user runs it."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from typing import Any, Optional

import mosaic

from .net import REPO

START_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0


def server_binary() -> Path:
    """``MOSAIC_SERVER``, else the workspace's debug build."""
    path = Path(os.environ.get("MOSAIC_SERVER", REPO / "target/debug/mosaic-server"))
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: build it with `cargo build -p mosaic-server`")
    return path


class MosaicServer:
    """One server process with its own data directory and save path.

    Started by the constructor; ``stop()`` ends it (SIGTERM, as a user
    would), ``start()`` runs it again on the same directory and port.
    """

    def __init__(
        self,
        root: Path,
        *args: str,
        plain_http: bool = False,
        executable: Optional[Path] = None,
    ) -> None:
        self.root = root
        self.data_dir = root / "data"
        self.save_path = root / "downloads"
        self.save_path.mkdir(parents=True, exist_ok=True)
        self.executable = executable or server_binary()
        self.extra_args = list(args) + (["--plain-http"] if plain_http else [])
        self.listen = "127.0.0.1:0"
        self.process: Optional[subprocess.Popen[bytes]] = None
        self.starts = 0
        self.api_key = ""
        self.password = ""
        self.url = ""
        self.peers = ""
        self.start()

    # Running.

    def start(self) -> None:
        """Starts the process and waits for its ``listening:`` line."""
        self.starts += 1
        self.stdout = self.root / f"stdout-{self.starts}.txt"
        self.stderr = self.root / f"stderr-{self.starts}.txt"
        command = [
            str(self.executable),
            "--data-dir", str(self.data_dir),
            "--save-path", str(self.save_path),
            "--listen", self.listen,
            "--peer-listen", "127.0.0.1:0",
            "--no-dht",
            *self.extra_args,
        ]  # fmt: skip
        with open(self.stdout, "wb") as out, open(self.stderr, "wb") as err:
            self.process = subprocess.Popen(command, stdout=out, stderr=err, env=_server_env())
        self._read_startup()
        # Later starts reuse the port, so that clients find the server again.
        self.listen = self.url.split("://", 1)[1].rstrip("/")

    def _read_startup(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            text = self.stdout.read_text(errors="replace")
            if "listening: " in text:
                self._parse(text)
                return
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"mosaic-server did not start:\n{self.logs()}")

    def _parse(self, text: str) -> None:
        fields = dict(re.findall(r"^(api key|password|listening|peers): (\S+)$", text, re.M))
        self.api_key = fields.get("api key", self.api_key)
        self.password = fields.get("password", self.password)
        self.url = fields["listening"]
        self.peers = fields["peers"]

    def stop(self) -> None:
        """Stops the process gracefully (SIGTERM), killing it if it hangs."""
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def admin(self, *args: str, stdin: str = "") -> str:
        """Runs ``mosaic-server --data-dir D admin ARGS`` and returns stdout."""
        done = subprocess.run(
            [str(self.executable), "--data-dir", str(self.data_dir), "admin", *args],
            input=stdin.encode(),
            capture_output=True,
            check=True,
        )
        return done.stdout.decode()

    # What clients need.

    @property
    def cert(self) -> Path:
        return self.data_dir / "tls/cert.pem"

    @property
    def port(self) -> int:
        return int(self.url.rstrip("/").rsplit(":", 1)[1])

    def fingerprint(self) -> str:
        """The certificate's SHA-256 as the server logs it at start."""
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            found = re.search(r'tls certificate sha256="?([0-9A-F:]{95})', self.stderr.read_text())
            if found:
                return found.group(1)
            time.sleep(0.05)
        raise RuntimeError(f"no certificate fingerprint in the log:\n{self.logs()}")

    def client(self, **options: Any) -> mosaic.Client:
        """A client with the API key, trusting the server's certificate."""
        options.setdefault("verify", str(self.cert))
        if "username" not in options:
            options.setdefault("api_key", self.api_key)
        return mosaic.Client(self.url, **options)

    def async_client(self, **options: Any) -> mosaic.AsyncClient:
        options.setdefault("verify", str(self.cert))
        if "username" not in options:
            options.setdefault("api_key", self.api_key)
        return mosaic.AsyncClient(self.url, **options)

    def logs(self) -> str:
        parts: list[str] = []
        for path in (self.stdout, self.stderr):
            if path.exists():
                tail = path.read_text(errors="replace")[-4000:]
                parts.append(f"--- {path.name}\n{tail}")
        return "\n".join(parts)


def _server_env() -> dict[str, str]:
    env = dict(os.environ)
    # The servers' logs are read for the fingerprint, which is logged at
    # info; a caller's RUST_LOG could hide it.
    env["RUST_LOG"] = "info"
    for name in list(env):
        if name.startswith("MOSAIC_"):
            del env[name]
    return env
