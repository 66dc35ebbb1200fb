"""Each exception class, raised by a real answer (or a real silence), with
each client."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Callable

import pytest

import mosaic

from support.net import free_port
from support.proxy import HostRewritingProxy
from support.server import MosaicServer


def test_the_tree_subclasses_the_fitting_builtins() -> None:
    # Proves every class is a MosaicError and also the builtin a Python caller would expect.
    expected = {
        mosaic.AuthError: PermissionError,
        mosaic.ForbiddenError: PermissionError,
        mosaic.NotFoundError: LookupError,
        mosaic.BadRequestError: ValueError,
        mosaic.ConfigError: ValueError,
        mosaic.ConnectionError: ConnectionError,
        mosaic.TlsError: ConnectionError,
        mosaic.TimeoutError: TimeoutError,
    }
    for cls, builtin in expected.items():
        assert issubclass(cls, mosaic.MosaicError) and issubclass(cls, builtin), cls
    for cls in (mosaic.ConflictError, mosaic.RateLimitedError, mosaic.ServerError):
        assert issubclass(cls, mosaic.MosaicError)


def test_unauthorized_is_auth_error(api_for: Callable[..., Any], server: MosaicServer) -> None:
    # Proves a wrong key answers 401 unauthorized as AuthError.
    api = api_for(server, api_key="not-the-key")
    with pytest.raises(mosaic.AuthError) as refused:
        api.torrents()
    assert (refused.value.status, refused.value.message) == (401, "unauthorized")
    assert str(refused.value) == "server answered 401: unauthorized"


def test_unknown_torrent_is_not_found(api: Any) -> None:
    # Proves 404 torrent not found is NotFoundError, which is also a LookupError.
    with pytest.raises(LookupError) as missing:
        api.torrent("0" * 40)
    assert isinstance(missing.value, mosaic.NotFoundError)
    assert (missing.value.status, missing.value.message) == (404, "torrent not found")


def test_invalid_magnet_is_bad_request(api: Any) -> None:
    # Proves the seed's "400 from POST /torrents/magnet" is BadRequestError (a ValueError).
    with pytest.raises(ValueError) as refused:
        api.add_magnet("magnet:?dn=no-hash-here")
    assert isinstance(refused.value, mosaic.BadRequestError) and refused.value.status == 400


def test_a_taken_category_name_is_a_conflict(api: Any) -> None:
    # Proves 409 is ConflictError with the server's message.
    name = f"conflict-test-{api.is_async}"
    id = api.create_category(name)
    with pytest.raises(mosaic.ConflictError, match="category already exists"):
        api.create_category(name)
    api.delete_category(id)


def test_too_many_sign_ins_are_rate_limited(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves the sign-in limiter's 429 is RateLimitedError with retry_after from Retry-After.
    server = make_server()
    api = api_for(server, username="admin", password="wrong password")
    for _ in range(5):
        with pytest.raises(mosaic.AuthError):
            api.login()
    with pytest.raises(mosaic.RateLimitedError) as limited:
        api.login()
    assert (limited.value.status, limited.value.message) == (429, "too many login attempts")
    assert limited.value.retry_after is not None and 0 < limited.value.retry_after <= 12


def test_a_failed_fetch_by_the_server_is_a_server_error(api: Any) -> None:
    # Proves a 5xx (the blocklist refresh's 502) is ServerError with the reason.
    api.set_blocklist(url="http://127.0.0.1:9/blocklist.txt")
    with pytest.raises(mosaic.ServerError) as failed:
        api.refresh_blocklist()
    assert failed.value.status == 502 and "blocklist refresh failed" in str(failed.value)
    api.set_blocklist(url="")


@pytest.fixture
def proxy(
    make_server: Callable[..., MosaicServer],
) -> Iterator[tuple[HostRewritingProxy, MosaicServer]]:
    """A plain-HTTP server behind a proxy that rewrites ``Host`` to the
    server's own address (a proxy left at its defaults)."""
    server = make_server(plain_http=True)
    proxy = HostRewritingProxy(server.port)
    yield proxy, server
    proxy.stop()


def test_origin_mismatch_behind_a_rewriting_proxy_is_forbidden(
    api_for: Callable[..., Any], proxy: tuple[HostRewritingProxy, MosaicServer]
) -> None:
    # Proves the seed's "403 origin mismatch" arrives as ForbiddenError with that message.
    front, server = proxy
    api = api_for(front.url, username="admin", password=server.password)
    # Reads pass; a cookie write carries our Origin, which no longer names the Host the server sees.
    assert api.torrents() == []
    with pytest.raises(mosaic.ForbiddenError) as refused:
        api.create_category("behind-a-proxy")
    assert (refused.value.status, refused.value.message) == (403, "origin mismatch")
    assert isinstance(refused.value, PermissionError)


def test_nothing_listening_is_a_connection_error(api_for: Callable[..., Any]) -> None:
    # Proves a refused connection is ConnectionError (also the builtin), with no status.
    api = api_for(f"https://127.0.0.1:{free_port()}", api_key="k", verify=False)
    with pytest.raises(ConnectionError) as refused:
        api.torrents()
    assert isinstance(refused.value, mosaic.ConnectionError)
    assert refused.value.status is None and "cannot connect" in str(refused.value)


def test_a_wrong_pin_is_a_tls_error(api_for: Callable[..., Any], server: MosaicServer) -> None:
    # Proves a fingerprint that is not the server's certificate fails the handshake as TlsError.
    api = api_for(server, verify=True, fingerprint="AB" * 32)
    with pytest.raises(mosaic.TlsError) as refused:
        api.version()
    assert isinstance(refused.value, mosaic.ConnectionError)


def test_a_server_that_does_not_answer_is_a_timeout(
    api_for: Callable[..., Any], silent_port: int
) -> None:
    # Proves the `timeout` option: a silent server is TimeoutError (also the builtin) after it.
    api = api_for(f"https://127.0.0.1:{silent_port}", api_key="k", verify=False, timeout=0.5)
    with pytest.raises(TimeoutError) as late:
        api.torrents()
    assert isinstance(late.value, mosaic.TimeoutError) and "timed out" in str(late.value)
