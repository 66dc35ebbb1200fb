"""Who the client is: version, signing in and out, the password, the API
key, closing. Servers of the tests' own, since these change credentials."""

from __future__ import annotations

from typing import Any, Callable

import pytest

import mosaic

from support.server import MosaicServer


def test_version_needs_no_credentials(api_for: Callable[..., Any], server: MosaicServer) -> None:
    # Proves version() answers x.y.z without a key, while other routes need one.
    anonymous = api_for(server, api_key=None)
    version = anonymous.version()
    assert len(version.split(".")) == 3
    with pytest.raises(mosaic.AuthError):
        anonymous.torrents()


def test_a_session_signs_in_lazily_renews_and_logs_out(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves a session: login() checks it, writes pass the origin check, logout() ends it.
    server = make_server()
    api = api_for(server, username="admin", password=server.password)
    api.login()
    assert api.torrents() == []
    id = api.create_category("by-session")
    api.delete_category(id)

    # After logout, the next request signs in again by itself.
    api.logout()
    assert api.categories() == []


def test_wrong_credentials_are_auth_errors(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves a wrong password is AuthError (401, "invalid credentials"), also a PermissionError.
    server = make_server()
    api = api_for(server, username="admin", password="not the password")
    with pytest.raises(mosaic.AuthError) as refused:
        api.login()
    assert (refused.value.status, refused.value.message) == (401, "invalid credentials")
    assert isinstance(refused.value, PermissionError)


def test_password_change_keeps_this_session_usable(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves change_password() needs the old password, and the new one signs in.
    server = make_server()
    api = api_for(server)
    with pytest.raises(mosaic.AuthError):
        api.change_password("wrong old password", "a new password")
    with pytest.raises(mosaic.BadRequestError):
        api.change_password(server.password, "short")
    api.change_password(server.password, "a new password")
    signed_in = api_for(server, username="admin", password="a new password")
    signed_in.login()
    assert signed_in.web_settings().username == "admin"


def test_rotating_the_key_switches_this_client_and_locks_out_the_old_key(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves rotate_api_key() answers the new key, keeps this client working, kills the old key.
    server = make_server()
    api = api_for(server)
    other = api_for(server)
    new_key = api.rotate_api_key()
    assert len(new_key) == 43 and new_key != server.api_key
    assert api.torrents() == []
    with pytest.raises(mosaic.AuthError):
        other.torrents()
    assert api_for(server, api_key=new_key).web_settings().api_key_hint == new_key[:4]


def test_a_closed_client_refuses_calls(api_for: Callable[..., Any], server: MosaicServer) -> None:
    # Proves close()/aclose() end the client: `closed` turns true and later calls raise MosaicError.
    api = api_for(server)
    assert not api.closed
    api.aclose() if api.is_async else api.close()
    assert api.closed
    with pytest.raises(mosaic.MosaicError, match="the client is closed"):
        api.torrents()
