"""Boards in hosted services, on their fsspec filesystems: a GitHub repository (read
only) and a Databricks Unity Catalog volume.

* :func:`board_github` reads a board folder in a repository through fsspec's
  ``GithubFileSystem`` (no extra package: it speaks the GitHub API with requests).
  GitHub's API cannot commit files, so the board is read-only.
* :func:`board_databricks` reads and writes a board in a volume through the
  ``fsspec-databricks`` filesystem (``pip install "pins[databricks]"``), which
  authenticates as the Databricks SDK does (``DATABRICKS_HOST`` and
  ``DATABRICKS_TOKEN``, or a profile).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import PinsArgumentError, PinsArgumentTypeError
from ._args import DEFAULT, CacheArg, check_flag, check_versioned
from .object_stores import build_board, recipe, require_package

if TYPE_CHECKING:
    from .fsspec_board import FsspecBoard, GithubBoard

__all__ = ["board_databricks", "board_github"]


def board_github(
    org: str,
    repo: str,
    path: str = "",
    token: str | None = None,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    username: str | None = None,
    sha: str | None = None,
    offline: bool | None = None,
    frame: str = "pandas",
) -> GithubBoard:
    """A read-only board in a folder of a GitHub repository.

    Parameters
    ----------
    org, repo
        The repository, as in ``https://github.com/<org>/<repo>``.
    path
        The board's folder in the repository (``""``: its root).
    token
        A GitHub token, for private repositories and a higher rate limit. It goes to
        the filesystem only, never into a repr, a log or the cache.
    versioned
        Kept for pins-python's order of arguments; the board cannot be written.
    cache, allow_pickle_read
        As for :func:`pins.board_fsspec`.
    username
        The user the token belongs to (GitHub takes the token with any user name; the
        ``org`` by default).
    sha
        A branch, tag or commit to read; the repository's default branch by default.
    offline, frame
        As for :func:`pins.board_fsspec`.
    """
    import fsspec

    from .fsspec_board import GithubBoard

    call = "board_github(org, repo, path, token, versioned, cache, allow_pickle_read)"
    for what, value in (("org", org), ("repo", repo), ("path", path)):
        if not isinstance(value, str):
            raise PinsArgumentTypeError(
                f"{what} must be a string, not {value!r}. The call is {call}."
            )
    if token is not None and not isinstance(token, str):
        raise PinsArgumentTypeError(f"token must be a string. The call is {call}.")
    check_versioned(versioned, call)  # before the filesystem asks GitHub anything
    check_flag(allow_pickle_read, "allow_pickle_read", call)
    auth = {"username": username or org, "token": token} if token else {}
    fs = fsspec.filesystem("github", org=org, repo=repo, sha=sha, **auth)
    root = path.strip("/")
    board_id = f"github://{org}/{repo}@{sha or 'HEAD'}/{root}"
    keep = {"path": root} if root else {}
    if sha is not None:
        keep["sha"] = sha
    board = build_board(
        fs,
        root,
        board_id=board_id,
        cache=cache,
        versioned=versioned,
        allow_pickle_read=allow_pickle_read,
        offline=offline,
        recipe=("board_github", (org, repo), keep),
        call=call,
        board_class=GithubBoard,
        frame=frame,
    )
    assert isinstance(board, GithubBoard)
    return board


def board_databricks(
    path: str,
    versioned: bool = True,
    cache: CacheArg = DEFAULT,
    allow_pickle_read: bool | None = None,
    *,
    offline: bool | None = None,
    frame: str = "pandas",
    **storage_options: Any,
) -> FsspecBoard:
    """A board in a Databricks Unity Catalog volume, such as
    ``"/Volumes/my-catalog/my-schema/my-volume/pins"``.

    Parameters
    ----------
    path
        The board's folder in the volume.
    versioned, cache, allow_pickle_read, offline, frame
        As for :func:`pins.board_fsspec`.
    **storage_options
        Passed to ``fsspec_databricks.DatabricksFileSystem``: ``host``, ``token``,
        ``profile`` ...; without them the Databricks SDK's environment variables and
        configuration file are used.
    """
    module = require_package("fsspec_databricks", "databricks")
    if not isinstance(path, str) or not path.strip("/"):
        raise PinsArgumentError(
            f"board_databricks needs the board's folder, such as "
            f"'/Volumes/catalog/schema/volume/pins', not {path!r}."
        )
    fs = module.DatabricksFileSystem(**storage_options)
    root = "/" + path.removeprefix("dbfs:").strip("/")
    host = storage_options.get("host")
    return build_board(
        fs,
        root,
        board_id=f"dbfs://{root}" + (f" at {host}" if host else ""),
        cache=cache,
        versioned=versioned,
        allow_pickle_read=allow_pickle_read,
        offline=offline,
        recipe=recipe("board_databricks", path, storage_options, ("host", "profile")),
        call="board_databricks(path, versioned, cache, allow_pickle_read, *, offline, **options)",
        frame=frame,
    )
