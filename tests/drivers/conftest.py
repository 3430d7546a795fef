"""Shared helpers for the driver tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

import pins.drivers as registry
from pins.meta import Meta

from ..conftest import FIXTURES

__all__ = ["FIXTURES", "make_meta"]


def make_meta(type_name: str, file: str | list[str] = "x.csv") -> Meta:
    """A minimal v1 Meta, as a board hands it to ``Driver.load``."""
    return Meta(
        title=None,
        description=None,
        created="20240101T000000Z",
        pin_hash="0" * 16,
        file=file,
        file_size=1,
        type=type_name,
        name="a-pin",
    )


@pytest.fixture
def meta() -> Callable[..., Meta]:
    return make_meta


@pytest.fixture
def fresh_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A registry holding only the built-ins, entry points not yet read; restored after."""
    monkeypatch.setattr(registry, "_specs", dict(registry._BUILTINS))
    monkeypatch.setattr(registry, "_instances", {})
    monkeypatch.setattr(registry, "_entry_points_read", False)
    yield
