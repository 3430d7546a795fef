"""The differences from pins-python 0.9.2's public signatures that pins keeps on purpose.

``test_signatures.py`` reads pins-python's signatures with ``inspect`` in its own virtual
environment and compares them with ours: ours must accept every parameter name, in the
same positional order. Each difference it finds must be listed here, keyed by
``(target, parameter)`` (``"*"`` for a whole missing target), with the reason a
pins-python user would accept; a listed difference that is no longer one fails too.
README's "Moving from pins-python" section sums these up.
"""

from __future__ import annotations

_CONNECT_ORDER = (
    "Read by kind, not by place: a bool second is pins-python's versioned (then api_key, "
    "cache, allow_pickle_read, in pins-python's order), a string second is the API key, "
    "as the first pins package's users call board_rsconnect(server, key). Every "
    "parameter name is accepted by keyword; a second argument of another kind is a "
    "PinsArgumentError."
)

_PATH_HELPER = (
    "An internal helper of pins-python's board class, which maps pins onto fsspec paths. "
    "Boards here are built over a narrow set of storage primitives (a Posit Connect pin is "
    "a content item, not a path), so there is no path to construct; the pin API itself is "
    "complete."
)

DIFFERENCES: dict[tuple[str, str], str] = {
    (f"pins.{function}", parameter): _CONNECT_ORDER
    for function in ("board_connect", "board_rsconnect")
    for parameter in ("versioned", "api_key", "cache", "allow_pickle_read")
}
DIFFERENCES |= {
    ("pins.board", "board_factory"): (
        "pins-python calls board_factory(path, fs, versioned) to build one of its own board "
        "classes, which do not exist here. Subclass pins.Board (or pass any fsspec "
        "filesystem to pins.board_fsspec) instead."
    ),
    ("Board.prepare_pin_version", "*"): (
        "An internal step of pins-python's write (stage the files and data.txt in a "
        "folder). Here staging, hashing and committing are one step of pin_write, so that a "
        "version is never half written; pin_write and pin_upload do all of it."
    ),
}

_HELPERS = (
    "construct_path",
    "keep_final_path_component",
    "path_to_deploy_version",
    "path_to_pin",
    "sort_pin_versions",
)
for _owner in ("Board", "ConnectBoard", "UrlBoard"):
    for _helper in _HELPERS:
        DIFFERENCES[(f"{_owner}.{_helper}", "*")] = _PATH_HELPER
    DIFFERENCES.setdefault((f"{_owner}.prepare_pin_version", "*"), _PATH_HELPER)
