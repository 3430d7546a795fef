"""The world the README and the documentation pages run in: one emulator, web server, S3
server and stand-ins per document, with placeholders pointing at them (conventions of the
blocks: :mod:`tests.readme_blocks`)."""

from __future__ import annotations

import ast
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from pins import drivers
from pins.testing import ConnectServer

from . import standins
from .moto_s3 import moto_s3
from .readme_blocks import Block, Session, run_console
from .servers import MOTO_ENV, FolderServer

#: The placeholders of the documents; :func:`doc_world` says what replaces each.
PLACEHOLDERS = (
    "https://connect.example.com",
    "https://example.org/",
    "/srv/www/pins",
    "key=..., secret=...",
)
_S3 = "key=..., secret=..."


class DocWorld:
    """What :func:`doc_world` made: the session and the environment a document runs in."""

    def __init__(
        self, session: Session, env: dict[str, str], cwd: Path, blocks: Sequence[Block]
    ) -> None:
        self.session = session
        self.env = env
        self.cwd = cwd
        self.blocks = list(blocks)
        self.outcome: dict[int, BaseException | None] = {}  # block line -> its error
        self.console_env = dict(os.environ) | env
        self.console_env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
        for name in ("PINS_BOARD", "PINS_PROGRESS", "PINS_QUIET", "CONNECT_SERVER"):
            self.console_env.pop(name, None)

    def run_through(self, block: Block) -> None:
        """Run ``block``, after the blocks above it that did not run yet (so that a test
        selected alone still sees the names the document defined before it)."""
        for earlier in self.blocks[: self.blocks.index(block)]:
            if earlier.line not in self.outcome:
                self._run(earlier)
            if self.outcome[earlier.line] is not None:
                pytest.fail(
                    f"the block at {self.session.filename} line {earlier.line} failed first"
                )
        self._run(block)
        error = self.outcome[block.line]
        if error is not None:
            raise error

    def _run(self, block: Block) -> None:
        try:
            if block.is_console:
                run_console(self.session, block, self.console_env, self.cwd)
            else:
                self.session.run(block)
        except Exception as exc:
            self.outcome[block.line] = exc
        else:
            self.outcome[block.line] = None


@contextmanager
def doc_world(root: Path, blocks: Sequence[Block], filename: str) -> Iterator[DocWorld]:
    """The world a document runs in; ``blocks`` are the blocks that run, in order.

    Placeholders, replaced in the code before it runs:

    * ``https://connect.example.com``: a Connect emulator (``pins.testing.ConnectServer``)
      with users susan (publisher) and derek (viewer);
    * ``https://example.org/``: a local HTTP server serving a temporary folder ``www``,
      and ``/srv/www/pins``: that folder's ``pins`` subfolder (so ``.../pins/`` is served);
    * ``key=..., secret=...`` (S3): moto's test credentials and the endpoint of a moto S3
      server on loopback, in a process of its own, that has the bucket ``my-bucket``
      (started only for a document that uses it).

    Names the blocks use without defining them: ``key`` and ``api_key`` (susan's API key),
    ``viewer_key`` (derek's) and ``server`` (the emulator's URL). ``~`` is a temporary
    home folder; the working folder is a temporary folder holding ``report.pdf``,
    ``notes.md`` and ``sales.csv``; the pins cache and data folders are temporary.
    Console blocks run with the same
    environment and ``CONNECT_API_KEY`` set to susan's key. The filesystems of GCS,
    Azure, Databricks and GitHub are stand-ins on local folders (:mod:`tests.standins`);
    a GitHub repository ``org/repo`` is the folder ``~/src/org/repo``, as a clone would be.
    """
    work = root / "work"
    work.mkdir()
    (work / "report.pdf").write_bytes(b"%PDF-1.4\n% a stand-in report\n")
    (work / "notes.md").write_text("# Notes\n\nSales were up.\n", encoding="utf-8")
    (work / "sales.csv").write_text("month,amount\njan,10\nfeb,12\n", encoding="utf-8")
    (root / "www" / "pins").mkdir(parents=True)
    (root / "home").mkdir()
    env = {
        "HOME": str(root / "home"),
        "PINS_CACHE_DIR": str(root / "cache"),
        "PINS_DATA_DIR": str(root / "data"),
    }
    code = "".join(b.code for b in blocks)
    with ExitStack() as stack:
        connect = stack.enter_context(ConnectServer(users=["susan:publisher", "derek:viewer"]))
        www = FolderServer(root / "www")
        stack.callback(www.stop)
        patch = stack.enter_context(pytest.MonkeyPatch.context())
        standins.install(patch, root / "services")
        patch.setattr(standins.GithubStandIn, "base", root / "home" / "src")
        for name in ("_specs", "_instances"):  # types a document registers are its own
            patch.setattr(drivers, name, dict(getattr(drivers, name)))
        key = connect.api_key("susan")
        swaps = {
            "https://connect.example.com": connect.url,
            "https://example.org/": www.url,
            "/srv/www/pins": str(root / "www" / "pins"),
        }
        if _S3 in code:
            s3 = stack.enter_context(moto_s3("my-bucket", own_process=True))
            swaps[_S3] = f'key="test", secret="test", endpoint_url="{s3}"'
            env |= MOTO_ENV
        namespace = {
            "__name__": "__doc__",
            "key": key,
            "api_key": key,
            "viewer_key": connect.api_key("derek"),
            "server": connect.url,
        }
        world = DocWorld(Session(namespace, swaps, filename), env, work, blocks)
        world.console_env["CONNECT_API_KEY"] = key
        yield world


def run_pytest_block(pytester: pytest.Pytester, block: Block) -> None:
    """A ``python pytest`` block is a test file: pytest runs it and all its tests pass."""
    tests = [
        node.name
        for node in ast.parse(block.code).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    pytester.makepyfile(test_doc_block=block.code)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(tests))
    assert tests
