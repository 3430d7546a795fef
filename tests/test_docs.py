"""The documentation site (docs/, mkdocs.yml): it builds with no warning (a reference that
does not resolve is one), and its code blocks run as the README's do, each page in a
world of its own (tests/doc_world.py; conventions: tests/readme_blocks.py)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
import zlib
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from .doc_world import DocWorld, doc_world, run_pytest_block
from .readme_blocks import Block, blocks
from .servers import s3_test_credentials

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = {
    str(p.relative_to(DOCS)): blocks(p.read_text(encoding="utf-8"))
    for p in sorted(DOCS.rglob("*.md"))
}
#: The modules a user imports. The modules below pins.boards, pins.drivers, pins.cli and
#: pins.testing.connect_server are those packages' parts: what they offer users is
#: exported by the package (or named below), and the board classes the constructors
#: return are on the board API's page.
PUBLIC_MODULES = (
    "pins", "pins.boards", "pins.cache", "pins.config", "pins.connect", "pins.drivers",
    "pins.errors", "pins.hashing", "pins.messages", "pins.meta", "pins.names",
    "pins.testing", "pins.testing.contract", "pins.testing.contract_tables",
)  # fmt: skip
BOARD_CLASSES = (
    "pins.boards.folder.FolderBoard", "pins.boards.connect.ConnectBoard",
    "pins.boards.url.UrlBoard", "pins.boards.fsspec_board.FsspecBoard",
    "pins.boards.fsspec_board.GithubBoard",
)  # fmt: skip
RUN = [(page, b) for page, found in PAGES.items() for b in found if b.runs or b.is_console]
PYTEST = [(page, b) for page, found in PAGES.items() for b in found if b.is_pytest]


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, DocWorld]]:
    """One world per page, made when its first block runs."""
    made: dict[str, DocWorld] = {}
    with ExitStack() as stack:

        class Lazy(dict[str, DocWorld]):
            def __missing__(self, page: str) -> DocWorld:
                runs = [b for b in PAGES[page] if b.runs or b.is_console]
                root = tmp_path_factory.mktemp("doc")
                world = stack.enter_context(doc_world(root, runs, f"docs/{page}"))
                self[page] = world
                return world

        yield Lazy(made)


@pytest.mark.parametrize(("page", "block"), RUN, ids=[f"{p}:{b.line}" for p, b in RUN])
def test_doc_block(
    worlds: dict[str, DocWorld], page: str, block: Block, monkeypatch: pytest.MonkeyPatch
) -> None:
    world = worlds[page]
    for name, value in world.env.items():
        monkeypatch.setenv(name, value)
    s3_test_credentials(monkeypatch)
    monkeypatch.chdir(world.cwd)
    world.run_through(block)


@pytest.mark.parametrize(("page", "block"), PYTEST, ids=[f"{p}:{b.line}" for p, b in PYTEST])
def test_doc_pytest_block(pytester: pytest.Pytester, page: str, block: Block) -> None:
    """A ``python pytest`` block is a test file: pytest runs it and all its tests pass."""
    run_pytest_block(pytester, block)


def test_every_block_is_tagged() -> None:
    tags = {b.info for found in PAGES.values() for b in found}
    assert tags <= {"python", "python pytest", "console", "sh", "text"}, tags


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None,
    reason="the documentation tools are not installed: they need Python 3.11 or newer "
    "(pip install -e '.[docs]'); make test builds the site",
)
def test_the_site_builds_without_a_warning(tmp_path: Path) -> None:
    """``mkdocs build --strict``: a warning (a broken link or reference, a docstring
    mkdocstrings cannot read, a page left out of the navigation) fails the build."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    assert (tmp_path / "site" / "reference" / "board" / "index.html").is_file()
    documented = _inventory(tmp_path / "site" / "objects.inv")
    public = [
        f"{name}.{member}"
        for name in PUBLIC_MODULES
        for member in importlib.import_module(name).__all__
    ]
    missing = [path for path in [*public, *BOARD_CLASSES] if path not in documented]
    assert not missing, f"public names the API reference leaves out: {missing}"


def _inventory(path: Path) -> set[str]:
    """The objects the site documents, from the inventory mkdocstrings writes."""
    _, _, compressed = path.read_bytes().partition(b"zlib.\n")
    return {line.split()[0] for line in zlib.decompress(compressed).decode().splitlines()}
