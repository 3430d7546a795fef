"""The driver registry: which :class:`Driver` reads and writes each pin ``type``.

Built-in drivers are listed as ``"module:Class"`` strings and imported on first use;
third-party packages add types through the ``pins.drivers`` entry-point group (the
entry point's name is the type, its value ``"module:Class"``), read once, lazily. Code
can also call :func:`register_driver`. One instance of each driver is kept.

>>> get_driver("csv").extension
'csv'
>>> "parquet" in registered_types()
True
"""

from __future__ import annotations

import importlib
import threading

from ..errors import PinsMissingDependencyError, PinsTypeError, PinsUnsupportedTypeError
from ..messages import warn
from ._common import is_arrow_table, is_pandas_frame, is_polars_frame
from ._stream import as_stream, is_stream
from .base import Driver

__all__ = [
    "Driver",
    "as_stream",
    "driver_for_write",
    "get_driver",
    "infer_type",
    "register_driver",
    "registered_types",
]

_BUILTINS: dict[str, str] = {
    "arrow": "pins.drivers.arrow:ArrowDriver",
    "csv": "pins.drivers.csv:CsvDriver",
    "feather": "pins.drivers.arrow:FeatherDriver",
    "file": "pins.drivers.file:FileDriver",
    "joblib": "pins.drivers.joblib:JoblibDriver",
    "json": "pins.drivers.json:JsonDriver",
    "parquet": "pins.drivers.parquet:ParquetDriver",
    "rds": "pins.drivers.rds:RdsDriver",
    "table": "pins.drivers.table:TableDriver",
}
# Types that are read under their own name but written as another type.
_WRITE_AS = {"feather": "arrow"}
_ENTRY_POINT_GROUP = "pins.drivers"

_specs: dict[str, str | type[Driver] | Driver] = dict(_BUILTINS)
_instances: dict[str, Driver] = {}
_entry_points_read = False
_lock = threading.RLock()


def _read_entry_points() -> None:
    """Add the types of installed third-party drivers, once; built-ins keep their name."""
    global _entry_points_read
    with _lock:
        if _entry_points_read:
            return
        _entry_points_read = True
        import importlib.metadata  # only when a type is looked up: import pins stays fast

        for entry in importlib.metadata.entry_points(group=_ENTRY_POINT_GROUP):
            if entry.name in _specs:
                warn(
                    f"Ignoring the {_ENTRY_POINT_GROUP!r} entry point {entry.name!r} = "
                    f"{entry.value!r}: the type {entry.name!r} is already registered.",
                )
                continue
            _specs[entry.name] = entry.value.split("[")[0].strip()


def registered_types() -> list[str]:
    """The names of every known pin type, sorted (built-ins and third-party)."""
    _read_entry_points()
    with _lock:
        return sorted(_specs)


def register_driver(
    type_name: str, driver: str | type[Driver] | Driver, *, replace: bool = False
) -> None:
    """Register the driver of ``type_name``.

    Parameters
    ----------
    type_name
        The pin type, as recorded in data.txt.
    driver
        A :class:`Driver` instance or subclass, or a ``"module:Class"`` string imported
        on first use.
    replace
        Allow replacing a type that is already registered (a built-in included).

    Raises
    ------
    ValueError
        If the type is already registered and ``replace`` is false, or the driver
        declares a different ``type``.
    TypeError
        If ``driver`` is neither a Driver nor a ``"module:Class"`` string.
    """
    if isinstance(driver, str):
        if ":" not in driver:
            raise ValueError(f"A driver spec is 'module:Class', not {driver!r}.")
    elif isinstance(driver, Driver) or (isinstance(driver, type) and issubclass(driver, Driver)):
        if getattr(driver, "type", type_name) != type_name:
            raise ValueError(f"The driver {driver!r} has type {driver.type!r}, not {type_name!r}.")
    else:
        raise TypeError(f"Expected a Driver or a 'module:Class' string, got {driver!r}.")
    _read_entry_points()
    with _lock:
        if type_name in _specs and not replace:
            raise ValueError(
                f"The pin type {type_name!r} is already registered; pass replace=True to "
                "replace its driver."
            )
        _specs[type_name] = driver
        _instances.pop(type_name, None)


def _import(type_name: str, spec: str) -> type[Driver]:
    module_name, _, attr = spec.partition(":")
    try:
        obj: object = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError) as exc:
        raise PinsMissingDependencyError(
            f"The driver of the pin type {type_name!r} ({spec}) could not be imported: {exc}. "
            "Install the package that provides it."
        ) from exc
    if not (isinstance(obj, type) and issubclass(obj, Driver)):
        raise PinsTypeError(f"The driver of the pin type {type_name!r} ({spec}) is not a Driver.")
    return obj


def get_driver(type_name: str) -> Driver:
    """The driver that reads (and, where it can, writes) pins of ``type_name``.

    Raises
    ------
    PinsTypeError
        For an unknown type; the message lists the known ones.
    PinsMissingDependencyError
        When a third-party driver cannot be imported.
    """
    with _lock:
        cached = _instances.get(type_name)
        if cached is not None:
            return cached
    if type_name not in _specs:
        _read_entry_points()
    with _lock:
        spec = _specs.get(type_name)
        if spec is None:
            raise PinsUnsupportedTypeError(
                f"Unknown pin type {type_name!r}. Known types: {', '.join(sorted(_specs))}."
            )
        if isinstance(spec, Driver):
            driver = spec
        else:
            cls = _import(type_name, spec) if isinstance(spec, str) else spec
            driver = cls()
        _instances[type_name] = driver
        return driver


def infer_type(obj: object) -> str:
    """The type ``pin_write`` chooses for ``obj`` when none is given.

    >>> infer_type({"a": 1})
    'json'
    """
    if is_pandas_frame(obj) or is_arrow_table(obj) or is_polars_frame(obj) or is_stream(obj):
        return "parquet"  # pyarrow is a requirement of pins
    plain = obj is None or isinstance(obj, (dict, list, str, int, float, bool))
    if plain and get_driver("json").accepts(obj):
        return "json"
    return "joblib"


def driver_for_write(type_name: str | None, obj: object) -> Driver:
    """The driver that writes ``obj`` as ``type_name`` (inferred from ``obj`` when None).

    ``"feather"`` writes ``arrow``, with a :class:`DeprecationWarning` (as pins-python
    gives): the Arrow IPC file is the same, but the pin's type is ``arrow``.

    Raises
    ------
    PinsTypeError
        For an unknown or read-only type, or an object the type cannot hold.
    """
    if type_name is None:
        type_name = infer_type(obj)
    if type_name in _WRITE_AS:
        warn(
            f"type={type_name!r} is deprecated for writing: the pin is written as "
            f"type={_WRITE_AS[type_name]!r}, the same file that R and pins-python read.",
            DeprecationWarning,
        )
    driver = get_driver(_WRITE_AS.get(type_name, type_name))
    if not driver.writes:
        raise PinsUnsupportedTypeError(
            f"The pin type {type_name!r} is read only: pins reads it but does not write it. "
            f"Use type={infer_type(obj)!r} (or leave type unset) to write this object."
        )
    refusal = driver.refusal(obj)
    if refusal is not None and is_stream(obj):
        refusal = (
            f"The pin type {driver.type!r} does not write a table as it streams (an "
            "iterator of chunks, a RecordBatchReader, a polars LazyFrame)."
        )
    if refusal is not None:
        fits = infer_type(obj)
        advice = (
            f"Use type={fits!r} instead, or leave type unset to choose one from the object."
            if fits != driver.type
            else "Convert it to a type it can hold."
        )
        raise PinsTypeError(f"{refusal} {advice}")
    return driver
