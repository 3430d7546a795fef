"""The one list of pins-python 0.9.2 tests that are expected to fail, or are skipped,
when its suite runs against this package; each with the reason a pins-python user
would accept.

``EXPECTED`` maps a selector to an :class:`Expect`. A selector is a test's node id,
where ``*`` stands for any text (``test_boards.py::test_x[*rsc*]``), or ``mark:<name>``
for every test with that marker (the backend of a parametrized test is one:
``fs_file``, ``fs_s3``, ``fs_rsc``, ...). A module's file name alone (``test_meta.py``)
names a module that cannot be collected.

- ``fail``: every test the selector picks must fail (or error); one that passes fails
  the check, so the list stays honest.
- ``skip``: the harness skips these tests before they run (services that cannot be
  reached from here).

Any test not in the list must pass (or end as pins-python's own tests say: its own
``skip`` and ``xfail``). Every entry must select at least one test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..pinspy_api_differences import DIFFERENCES


@dataclass(frozen=True)
class Expect:
    outcome: str  # "fail" or "skip"
    reason: str  # a key of REASONS


REASONS = {
    "unreachable": (
        "Needs a service that cannot be reached from the test machine (Google Cloud "
        "Storage, Azure, Databricks, GitHub): these boards are tested here with stand-ins "
        "of their filesystems (tests/test_more_constructors.py)."
    ),
    "internals": (
        "Tests a part of pins-python's implementation, not its API: modules, classes and "
        "helpers a script does not call (pins._adaptors, the drivers' save_data/load_data, "
        "MetaFactory, pins.versions, the cache's CachePruner and touch_access_time, the "
        "Connect HTTP client pins.rsconnect, pins.utils.inform and pins_options, "
        "config.get_allow_pickle_read). pins is built differently; what those parts do "
        "for users is tested through the public API, here and in pins' own suite."
    ),
    "path_helpers": DIFFERENCES[("Board.path_to_pin", "*")]
    + " (Tested: path_to_pin, prepare_pin_version, construct_path, and boards built "
    "directly on pins-python's own filesystem classes.)",
    "connect_constructor": (
        "Builds its board with pins-python's internal BoardRsConnect(path, RsConnectFs); a "
        "Connect board here is made by pins.board_connect(server_url, api_key=...), which "
        "refuses that call with a PinsArgumentTypeError. What these tests check (full "
        "names owner/name, access_type, the title, a public pin read by URL) is tested "
        "through board_connect in tests/test_connect_board.py."
    ),
    "api_key": (
        "Reads the API key back from the board (board.fs.api.api_key) to build another "
        "board. pins never gives the key out: not in an attribute, repr, log, pickle or "
        "file."
    ),
    "utc": (
        "Times are UTC and timezone-aware: Version.created and Meta.created are datetimes "
        "in UTC (pins-python gives a naive datetime, and Meta.created as the data.txt "
        "text, which meta.to_pin_dict()['created'] still gives). Every other field of "
        "the pin's metadata is pins-python's."
    ),
    "always_cached": (
        "Every remote board has a cache (a temporary one with cache=None), so pin_download "
        "works on it; pins-python's board without a cache raised PinsError."
    ),
    "cache_layout": (
        "Looks inside pins-python's cache: its folder names (http_<hash>), its file "
        "count, board._get_cache_path. The cache here has its own layout, with a record "
        "of each file's verified hash; pin_download returns the cached files' paths."
    ),
    "connect_prune_days": (
        "pin_versions_prune(name, days=...) works on Posit Connect here (the bundles' "
        "times); pins-python raised NotImplementedError."
    ),
    "own_words": (
        "Looks for pins-python's exact sentence about an unchanged hash on stderr. pins "
        "says the same in its own words (Pin 'name': the hash has not changed, so nothing "
        "was stored; the latest version is still ...), and stores nothing, as the test's "
        "other assertion checks."
    ),
    "unversioned_converges": (
        "pin_write(..., versioned=False) on a pin with several versions keeps the new "
        "version and deletes the others once it is committed (issue 9: a pin left with "
        "several versions by a crash or concurrent writers must not refuse every "
        "unversioned write); pins-python raised PinsVersionError."
    ),
}


def _fail(reason: str) -> Expect:
    return Expect("fail", reason)


def _skip(reason: str) -> Expect:
    return Expect("skip", reason)


_BACKENDS = ("file", "s3", "rsc")

EXPECTED: dict[str, Expect] = {
    # ---------------------------------------------------------------- not reachable
    "mark:fs_gcs": _skip("unreachable"),
    "mark:fs_abfs": _skip("unreachable"),
    "mark:fs_dbc": _skip("unreachable"),
    "test_constructors.py::test_constructor_board_github": _skip("unreachable"),
    "test_boards.py::test_board_manual_http_file_download": _skip("unreachable"),
    "test_boards.py::test_board_manual_pin_read": _skip("unreachable"),
    # ---------------------------------------------------------------- internals
    "test_adaptors.py": _fail("internals"),
    "test_cache.py": _fail("internals"),
    "test_drivers.py": _fail("internals"),
    "test_meta.py": _fail("internals"),
    "test_rsconnect_api.py": _fail("internals"),
    "test_utils.py": _fail("internals"),
    "test_versions.py": _fail("internals"),
    "test_config.py::test_allow_pickle_read_*": _fail("internals"),
    "test_boards.py::test_board_validate_pin_name_root[*]": _fail("path_helpers"),
    "test_boards.py::test_board_pin_write_prepare_pin[*]": _fail("path_helpers"),
    "test_boards.py::test_board_pin_write_rsc_index_html[rsc]": _fail("path_helpers"),
    "test_boards.py::test_board_base_pin_meta_cache_touch": _fail("path_helpers"),
    "test_boards.py::test_board_manual_construct_path": _fail("path_helpers"),
    # ---------------------------------------------------------------- Posit Connect
    **{
        f"test_boards.py::{test}": _fail("connect_constructor")
        for test in (
            "test_board_pin_write_rsc_full_name",
            "test_board_pin_search_admin_user",
            "test_board_rsc_pin_write_title_update",
            "test_board_pin_meta_is_full_name",
            "test_board_rsc_path_to_pin_safe",
            "test_board_rsc_require_full_pin_name",
            "test_board_rsc_pin_write_other_user_fails",
            "test_board_rsc_pin_write_acl",
            "test_board_rsc_pin_read_public",
        )
    },
    **{
        f"test_boards.py::{test}[rsc]": _fail("api_key")
        for test in (
            "test_board_pin_download",
            "test_board_pin_download_filename",
            "test_board_pin_download_filename_many_suffixes",
            "test_board_pin_download_filename_no_suffixes",
            "test_board_pin_download_filename_multifile",
            "test_board_pin_upload_path_list",
        )
    },
    "test_constructors.py::test_constructor_boards[rsc]": _fail("api_key"),
    "test_constructors.py::test_board_deparse[rsc]": _fail("api_key"),
    "test_boards.py::test_board_pin_versions_prune_days[rsc-*]": _fail("connect_prune_days"),
    "test_boards.py::test_board_pin_versions_prune_days_protect_most_recent[rsc]": _fail(
        "connect_prune_days"
    ),
    # ---------------------------------------------------------------- deliberate differences
    **{f"test_compat.py::test_compat_pin_meta[{b}]": _fail("utc") for b in _BACKENDS},
    **{
        f"test_boards.py::test_board_versioned_pin_write_unversioned[{b}]": _fail(
            "unversioned_converges"
        )
        for b in _BACKENDS
    },
    **{
        f"test_boards.py::test_board_pin_write_force_identical_write_msg[{b}]": _fail("own_words")
        for b in _BACKENDS
    },
    "test_boards.py::test_board_pin_download_no_cache_error[s3]": _fail("always_cached"),
    "test_boards.py::test_board_pin_download_no_cache_error[rsc]": _fail("always_cached"),
    "test_constructors.py::test_constructor_board_url_file": _fail("cache_layout"),
    "test_constructors.py::test_constructor_boards[s3]": _fail("cache_layout"),
}


def reason_of(expect: Expect) -> str:
    return f"{expect.reason}: {REASONS[expect.reason]}"


def selects(selector: str, nodeid: str, marks: list[str]) -> bool:
    """Whether ``selector`` picks the test ``nodeid`` (with these markers)."""
    if selector.startswith("mark:"):
        return selector[len("mark:") :] in marks
    pattern = ".*".join(re.escape(part) for part in selector.split("*"))
    return re.fullmatch(pattern, nodeid) is not None
