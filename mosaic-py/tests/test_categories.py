"""Category methods, with each client."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

import mosaic


def test_categories_are_created_updated_and_deleted(api: Any, tmp_path: Path) -> None:
    # Proves create answers the id, update changes only the given fields, delete removes it.
    name = f"linux-{time.monotonic_ns()}"
    id = api.create_category(name, save_path=str(tmp_path / "iso"), color="#12ab34")
    assert isinstance(id, int)
    created = next(c for c in api.categories() if c.id == id)
    assert created == mosaic.Category(id, name, str(tmp_path / "iso"), "#12ab34")

    api.update_category(created, name=name + "-2")
    updated = next(c for c in api.categories() if c.id == id)
    assert (updated.name, updated.default_save_path, updated.color) == (
        name + "-2",
        str(tmp_path / "iso"),
        "#12ab34",
    )
    api.update_category(id, save_path=str(tmp_path / "other"), color="#000000")
    assert next(c for c in api.categories() if c.id == id).to_dict() == {
        "id": id,
        "name": name + "-2",
        "default_save_path": str(tmp_path / "other"),
        "color": "#000000",
    }

    api.delete_category(id)
    assert id not in {c.id for c in api.categories()}


def test_category_names_are_unique(api: Any) -> None:
    # Proves a taken name is refused with ConflictError (409) and the server's message.
    name = f"dup-{time.monotonic_ns()}"
    id = api.create_category(name)
    with pytest.raises(mosaic.ConflictError) as taken:
        api.create_category(name)
    assert (taken.value.status, taken.value.message) == (409, "category already exists")
    api.delete_category(id)


def test_categories_come_sorted_by_name(api: Any) -> None:
    # Proves categories() keeps the server's order (by name) and a default grey colour.
    stamp = time.monotonic_ns()
    ids = [api.create_category(f"zz-{stamp}-{letter}") for letter in "ba"]
    names = [c.name for c in api.categories() if c.id in ids]
    assert names == [f"zz-{stamp}-a", f"zz-{stamp}-b"]
    assert all(c.color.startswith("#") for c in api.categories())
    for id in ids:
        api.delete_category(id)
