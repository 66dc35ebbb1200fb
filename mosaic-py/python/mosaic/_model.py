"""What every answer class shares: built from the server's JSON, frozen,
and turned back into that JSON by ``to_dict()``; and the enums of the
wire contract."""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from typing import Any, Callable, ClassVar, TypeVar

__all__ = ["Priority", "TorrentState"]


class Priority(str, enum.Enum):
    """How eagerly a file is downloaded. Methods take the enum or its string.

    The engine stages files rather than weighting them: ``max`` files are
    fetched first, ``high`` ones when every ``max`` file is complete, then
    ``normal`` ones; ``skip`` files are not fetched.
    """

    SKIP = "skip"
    NORMAL = "normal"
    HIGH = "high"
    MAX = "max"

    def __str__(self) -> str:
        return self.value


class TorrentState(str, enum.Enum):
    """What a torrent is doing. Compares equal to its string."""

    METADATA = "metadata"
    CHECKING = "checking"
    DOWNLOADING = "downloading"
    SEEDING = "seeding"
    PAUSED = "paused"
    QUEUED = "queued"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


W = TypeVar("W", bound="Wire")

Converters = Mapping[str, Callable[[Any], Any]]
"""Per field: how to build its value from JSON (nested classes, enums).
Fields not named take the JSON value as it is."""


class Wire:
    """Base of the frozen answer classes (each one a dataclass)."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    _convert: ClassVar[Converters] = {}

    @classmethod
    def _from_wire(cls: type[W], data: Mapping[str, Any]) -> W:
        values = {}
        for field in dataclasses.fields(cls):
            if field.name not in data:
                continue
            value = data[field.name]
            convert = cls._convert.get(field.name)
            values[field.name] = value if convert is None or value is None else convert(value)
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        """The object as the server's JSON: plain dicts, lists, strings and
        numbers, ready for ``json.dumps``."""
        return {field.name: _plain(getattr(self, field.name)) for field in dataclasses.fields(self)}


def tuple_of(cls: type[W]) -> Callable[[Any], tuple[W, ...]]:
    """A converter for a JSON array of ``cls`` objects."""
    return lambda items: tuple(cls._from_wire(item) for item in items)


def _plain(value: Any) -> Any:
    if isinstance(value, Wire):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value
