"""Read-only dicts and lists, for what a frozen :class:`~pins.meta.Meta` holds.

They are a ``dict`` and a ``list`` (so ``json.dumps``, ``==`` and ``isinstance`` work as
with plain data), but every method that would change them raises ``TypeError``: the
metadata a board returned cannot be changed behind its back. ``dict(x)`` and
``list(x)`` (or :func:`thaw`) give changeable copies.

>>> user = freeze({"owner": "ana", "tags": ["a"]})
>>> user == {"owner": "ana", "tags": ["a"]}
True
>>> user["owner"] = "bob"
Traceback (most recent call last):
...
TypeError: this metadata is read-only; change a copy (dict(x) or list(x))
"""

from __future__ import annotations

from typing import Any, NoReturn

__all__ = ["FrozenDict", "FrozenList", "freeze", "thaw"]

_MESSAGE = "this metadata is read-only; change a copy (dict(x) or list(x))"


def _refuse(*args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError(_MESSAGE)


class FrozenDict(dict[str, Any]):
    """A dict that refuses every change."""

    __setitem__ = __delitem__ = __ior__ = _refuse
    clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[type[FrozenDict], tuple[dict[str, Any]]]:
        return type(self), (dict(self),)

    def __copy__(self) -> FrozenDict:
        return self


class FrozenList(list[Any]):
    """A list that refuses every change."""

    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse

    def __reduce__(self) -> tuple[type[FrozenList], tuple[list[Any]]]:
        return type(self), (list(self),)

    def __copy__(self) -> FrozenList:
        return self


def freeze(value: Any) -> Any:
    """``value`` with every dict and list in it made read-only (a new object)."""
    if isinstance(value, dict):
        return FrozenDict({key: freeze(item) for key, item in value.items()})
    if isinstance(value, list):
        return FrozenList(freeze(item) for item in value)
    return value


def thaw(value: Any) -> Any:
    """Plain, changeable copies of the dicts and lists in ``value``."""
    if isinstance(value, dict):
        return {key: thaw(item) for key, item in value.items()}
    if isinstance(value, list):
        return [thaw(item) for item in value]
    return value
