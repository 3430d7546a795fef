"""Constructors of boards on object stores and other fsspec filesystems.

Each store needs its fsspec package, an optional extra of pins: ``s3fs``
(``pip install "pins[s3]"``), ``gcsfs`` (``pins[gcs]``) or ``adlfs`` (``pins[azure]``).
Credentials go to the filesystem only: they are never part of a board's repr or of
its identity in the cache.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..errors import PinsArgumentError, PinsArgumentTypeError, PinsMissingDependencyError
from ._args import DEFAULT, CacheArg, cache_for, check_flag, check_versioned, tie_cache, with_frame
from ._store_options import PLACE_OPTIONS, place_options

if TYPE_CHECKING:  # fsspec is imported by the first call, not by ``import pins``
    from .fsspec_board import FsspecBoard, Recipe

__all__ = [
    "board_azure",
    "board_fsspec",
    "board_gcs",
    "board_memory",
    "board_s3",
    "build_board",
    "recipe",
    "require_package",
]

#: protocol -> (package, extra) for the filesystems pins knows how to install.
_PACKAGES = {
    "s3": ("s3fs", "s3"),
    "s3a": ("s3fs", "s3"),
    "gs": ("gcsfs", "gcs"),
    "gcs": ("gcsfs", "gcs"),
    "abfs": ("adlfs", "azure"),
    "az": ("adlfs", "azure"),
    "abfss": ("adlfs", "azure"),
}

#: Storage options that name a place or a mode, never a secret: what board_deparse keeps.
_SAFE_OPTIONS = {
    "board_s3": PLACE_OPTIONS["s3"],
    "board_gcs": PLACE_OPTIONS["gs"],
    "board_azure": PLACE_OPTIONS["abfs"],
}


def require_package(package: str, extra: str) -> ModuleType:
    try:
        return importlib.import_module(package)
    except ImportError as exc:
        raise PinsMissingDependencyError(
            f'This board needs the {package} package: pip install "pins[{extra}]".'
        ) from exc


def build_board(
    fs: Any,
    root: str,
    *,
    board_id: str | None,
    cache: CacheArg,
    versioned: object,
    allow_pickle_read: object,
    offline: object,
    recipe: Recipe | None = None,
    call: str,
    board_class: type[FsspecBoard] | None = None,
    frame: object = "pandas",
) -> FsspecBoard:
    """The board with the cache asked for (``cache=None``: a temporary one it owns),
    after checking the kinds of the common arguments."""
    from .fsspec_board import FsspecBoard, fs_url

    identity = board_id if board_id is not None else fs_url(fs, root)
    store, tmp = cache_for(identity, cache, call)
    board = (board_class or FsspecBoard)(
        fs,
        root,
        cache=store,
        versioned=check_versioned(versioned, call),
        allow_pickle_read=check_flag(allow_pickle_read, "allow_pickle_read", call),
        board_id=identity,
        offline=check_flag(offline, "offline", call),
        recipe=recipe,
    )
    return tie_cache(with_frame(board, frame, call), tmp)


def recipe(constructor: str, path: str, options: dict[str, Any], safe: tuple[str, ...]) -> Recipe:
    """The call that makes the board again (for :func:`pins.board_deparse`), with only
    the storage options in ``safe``: never a credential."""
    return constructor, (path,), place_options(options, safe)


def _root(path: object, protocols: tuple[str, ...], what: str) -> str:
    if not isinstance(path, str):
        raise PinsArgumentTypeError(
            f"{what} needs a path such as 'bucket/folder' (a string), not {path!r}."
        )
    for protocol in protocols:
        if path.startswith(f"{protocol}://"):
            path = path[len(protocol) + 3 :]
    root = path.strip("/")
    if not root:
        raise PinsArgumentError(f"{what} needs a path such as 'bucket/folder', not {path!r}.")
    return root


def board_fsspec(
    fs_or_url: Any,
    path: str | None = None,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
    **storage_options: Any,
) -> FsspecBoard:
    """A board on any fsspec filesystem.

    Parameters
    ----------
    fs_or_url
        An ``fsspec.AbstractFileSystem``, or a URL such as ``"s3://bucket/pins"`` or
        ``"memory://pins"``.
    path
        The board's folder on the filesystem (below the URL's path, if both are given).
    versioned
        Whether writes keep earlier versions by default.
    cache
        Where versions read are kept: the user's cache folder by default
        (``PINS_CACHE_DIR``), a folder, a :class:`pins.cache.PinsCache`, or ``None`` for
        a temporary one that lasts as long as the board.
    allow_pickle_read
        Whether joblib pins may be read; ``None`` defers to ``PINS_ALLOW_PICKLE_READ``.
    offline
        Answer from the cache only; ``PINS_OFFLINE`` by default. When the store cannot
        be reached, reads fall back to the newest cached version with a warning.
    frame
        The library ``pin_read`` returns tables in when a call does not say:
        ``"pandas"`` (the default), ``"polars"`` or ``"pyarrow"``.
    **storage_options
        Passed to the filesystem when ``fs_or_url`` is a URL.

    Examples
    --------
    >>> board = board_fsspec("memory://doctest-board", cache=None)
    >>> board.pin_write({"a": 1}, "settings").type
    'json'
    >>> board.pin_read("settings")
    {'a': 1}
    >>> board.pin_delete("settings")
    """
    import fsspec

    if isinstance(fs_or_url, str):
        protocol = fs_or_url.split("://", 1)[0] if "://" in fs_or_url else "file"
        if protocol in _PACKAGES:
            require_package(*_PACKAGES[protocol])
        try:
            fs, root = fsspec.core.url_to_fs(fs_or_url, **storage_options)
        except ImportError as exc:
            raise PinsMissingDependencyError(
                f"fsspec cannot open {protocol}:// URLs without another package: {exc}"
            ) from exc
        root = str(root)
    elif isinstance(fs_or_url, fsspec.AbstractFileSystem):
        if storage_options:
            raise PinsArgumentError(
                "storage_options are for a URL; this filesystem is already made."
            )
        fs, root = fs_or_url, ""
    else:
        raise PinsArgumentTypeError(f"board_fsspec needs a filesystem or a URL, not {fs_or_url!r}.")
    if path is not None and not isinstance(path, str):
        raise PinsArgumentTypeError(
            f"path must be a string, not {path!r}. The call is board_fsspec(fs_or_url, path, "
            "versioned, cache, allow_pickle_read, *, offline)."
        )
    if path is not None:
        root = f"{root.rstrip('/')}/{path.lstrip('/')}" if root else path
    if not root.strip("/"):
        raise PinsArgumentError(
            "board_fsspec needs the board's folder: pass path= or a URL with a path."
        )
    return build_board(
        fs,
        root,
        board_id=None,
        cache=cache,
        versioned=versioned,
        allow_pickle_read=allow_pickle_read,
        offline=offline,
        recipe=(
            ("board_fsspec", (fs_or_url,), {} if path is None else {"path": path})
            if isinstance(fs_or_url, str)
            else None
        ),
        call="board_fsspec(fs_or_url, path, versioned, cache, allow_pickle_read, *, offline)",
        frame=frame,
    )


def _store_board(
    constructor: str,
    path: str,
    versioned: object,
    cache: CacheArg,
    allow_pickle_read: object,
    offline: object,
    storage_options: dict[str, Any],
    frame: object = "pandas",
) -> FsspecBoard:
    """An object-store board: ``constructor`` names the package, the filesystem class,
    the URL schemes of ``path`` and how the board's identity is written."""
    package, extra, class_name, schemes = _STORES[constructor]
    module = require_package(package, extra)
    root = _root(path, schemes, constructor)
    options = (
        _s3_defaults(_s3_options(storage_options)) if constructor == "board_s3" else storage_options
    )
    fs = getattr(module, class_name)(**options)
    client = storage_options.get("client_kwargs")
    where = storage_options.get("endpoint_url") or (
        client.get("endpoint_url") if isinstance(client, dict) else None
    )
    if constructor == "board_azure":
        account = getattr(fs, "account_name", None) or storage_options.get("account_name")
        board_id = f"abfs://{root}" if not account else f"abfs://{account}/{root}"
    else:
        board_id = f"{schemes[0]}://{root}" + (f" at {where}" if where else "")
    return build_board(
        fs,
        root,
        board_id=board_id,
        cache=cache,
        versioned=versioned,
        allow_pickle_read=allow_pickle_read,
        offline=offline,
        recipe=recipe(constructor, path, storage_options, _SAFE_OPTIONS[constructor]),
        call=f"{constructor}(path, versioned, cache, allow_pickle_read, **storage_options)",
        frame=frame,
    )


#: botocore's settings of board_s3 unless given in config_kwargs: a short connect
#: timeout and one retry, so that an unreachable store is found out in about a second
#: (botocore's defaults, 60 s and up to five tries with back-off, took 6 to 10 s before
#: a read could fall back to the cache); s3fs still retries throttling ("SlowDown").
_S3_CONFIG = {"connect_timeout": 5, "retries": {"mode": "standard", "total_max_attempts": 2}}


def _s3_defaults(storage_options: dict[str, Any]) -> dict[str, Any]:
    """``storage_options`` with :data:`_S3_CONFIG` under what the caller gave."""
    given = storage_options.get("config_kwargs", {})
    if not isinstance(given, dict):
        return storage_options  # s3fs says what is wrong with it
    return {**storage_options, "config_kwargs": {**_S3_CONFIG, **given}}


#: constructor -> (package, extra, filesystem class, URL schemes of its paths)
_STORES = {
    "board_s3": ("s3fs", "s3", "S3FileSystem", ("s3", "s3a")),
    "board_gcs": ("gcsfs", "gcs", "GCSFileSystem", ("gs", "gcs")),
    "board_azure": ("adlfs", "azure", "AzureBlobFileSystem", ("abfs", "abfss", "az")),
}


def board_s3(
    path: str,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
    **storage_options: Any,
) -> FsspecBoard:
    """A board in an S3 bucket (or any S3-compatible store: MinIO, R2, Ceph ...).

    Parameters
    ----------
    path
        ``"bucket/folder"`` (``s3://`` optional).
    versioned, cache, allow_pickle_read, offline, frame
        As for :func:`board_fsspec`.
    **storage_options
        Passed to ``s3fs.S3FileSystem``: ``key``, ``secret``, ``token``, ``profile``,
        ``endpoint_url`` (another S3-compatible service), ``anon``, ``client_kwargs`` ...
        Without them the usual AWS environment variables and files are used. Unless
        ``config_kwargs`` says otherwise, botocore gets a 5-second connect timeout and
        one retry, so that a store that cannot be reached is found out at once and
        reads fall back to the cache.
    """
    return _store_board(
        "board_s3", path, versioned, cache, allow_pickle_read, offline, storage_options, frame
    )


def _s3_options(storage_options: dict[str, Any]) -> dict[str, Any]:
    """``storage_options`` for ``s3fs.S3FileSystem``, with ``endpoint_url`` moved into
    ``client_kwargs``: every s3fs takes it there, s3fs before 2023.3 only there (it has
    no keyword of its own), and a newer one gives it the same meaning in both places."""
    options = dict(storage_options)
    endpoint_url = options.pop("endpoint_url", None)
    if endpoint_url:
        options["client_kwargs"] = {
            **(options.get("client_kwargs") or {}),
            "endpoint_url": endpoint_url,
        }
    return options


def board_gcs(
    path: str,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
    **storage_options: Any,
) -> FsspecBoard:
    """A board in a Google Cloud Storage bucket.

    Parameters
    ----------
    path
        ``"bucket/folder"`` (``gs://`` optional).
    versioned, cache, allow_pickle_read, offline, frame
        As for :func:`board_fsspec`.
    **storage_options
        Passed to ``gcsfs.GCSFileSystem``: ``project``, ``token``, ``endpoint_url`` ...
    """
    return _store_board(
        "board_gcs", path, versioned, cache, allow_pickle_read, offline, storage_options, frame
    )


def board_azure(
    path: str,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
    **storage_options: Any,
) -> FsspecBoard:
    """A board in an Azure Blob Storage (or Data Lake Gen2) container.

    Parameters
    ----------
    path
        ``"container/folder"`` (``abfs://`` or ``az://`` optional).
    versioned, cache, allow_pickle_read, offline, frame
        As for :func:`board_fsspec`.
    **storage_options
        Passed to ``adlfs.AzureBlobFileSystem``: ``account_name``, ``account_key``,
        ``sas_token``, ``connection_string``, ``anon`` ...
    """
    return _store_board(
        "board_azure", path, versioned, cache, allow_pickle_read, offline, storage_options, frame
    )


def board_memory(
    path: str = "pins",
    versioned: bool = True,
    allow_pickle_read: bool | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
) -> FsspecBoard:
    """A board in fsspec's in-memory filesystem, shared by this process and gone at exit.

    Its cache is a temporary folder that lasts as long as the board. Handy in tests,
    also of what a remote board does offline: with ``offline=True`` it answers from its
    cache only, as the other remote boards do.

    Examples
    --------
    >>> board = board_memory("doctest-memory")
    >>> board.pin_write([1, 2], "numbers").version.version[-5:] == board.pin_meta(
    ...     "numbers"
    ... ).pin_hash[:5]
    True
    >>> board.pin_delete("numbers")
    """
    import fsspec

    fs = fsspec.filesystem("memory")
    root = "/" + _root(path, ("memory",), "board_memory")
    return build_board(
        fs,
        root,
        board_id=None,
        cache=None,
        versioned=versioned,
        allow_pickle_read=allow_pickle_read,
        offline=offline,
        recipe=("board_memory", (path,), {}),
        call="board_memory(path, versioned, allow_pickle_read, *, offline)",
        frame=frame,
    )
