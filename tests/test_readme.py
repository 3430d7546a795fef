"""README.md is run, not trusted: every ``python`` block runs, in order, in one namespace,
and every result a comment states is checked (conventions: :mod:`tests.readme_blocks`).

The one fixture that gives the README a world to run in is :func:`readme`; it documents
each placeholder and what stands in for it.
"""

from __future__ import annotations

import ast
import shlex
import sys
import types
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from pins.testing import ConnectServer

from .moto_s3 import moto_s3
from .readme_blocks import Block, ReadmeError, ReadmeMismatch, Session, blocks
from .servers import FolderServer, s3_test_credentials

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = blocks(README.read_text(encoding="utf-8"))
RUN = [b for b in BLOCKS if b.runs]
PYTEST = [b for b in BLOCKS if b.is_pytest]

#: The README's placeholders; :func:`readme` says what replaces each.
PLACEHOLDERS = (
    "https://connect.example.com",
    "https://example.org/",
    "/srv/www/pins",
    "key=..., secret=...",
)


class ReadmeWorld:
    """What :func:`readme` made: the session and the environment the blocks run in."""

    def __init__(self, session: Session, env: dict[str, str], cwd: Path) -> None:
        self.session = session
        self.env = env
        self.cwd = cwd
        self.outcome: dict[int, BaseException | None] = {}  # block line -> its error

    def run_through(self, block: Block) -> None:
        """Run ``block``, after the blocks above it that did not run yet (so that a test
        selected alone still sees the names the README defined before it)."""
        for earlier in RUN[: RUN.index(block)]:
            if earlier.line not in self.outcome:
                self._run(earlier)
            if self.outcome[earlier.line] is not None:
                pytest.fail(f"the block at README.md line {earlier.line} failed first")
        self._run(block)
        error = self.outcome[block.line]
        if error is not None:
            raise error

    def _run(self, block: Block) -> None:
        try:
            self.session.run(block)
        except Exception as exc:
            self.outcome[block.line] = exc
        else:
            self.outcome[block.line] = None


@contextmanager
def _gcsfs_stand_in() -> Iterator[None]:
    """gcsfs, when it is not installed: fsspec's memory filesystem under its name."""
    try:
        import gcsfs  # noqa: F401
    except ImportError:
        from fsspec.implementations.memory import MemoryFileSystem

        module = types.ModuleType("gcsfs")
        module.GCSFileSystem = MemoryFileSystem  # type: ignore[attr-defined]
        sys.modules["gcsfs"] = module
        try:
            yield
        finally:
            del sys.modules["gcsfs"]
    else:
        yield


@pytest.fixture(scope="module")
def readme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ReadmeWorld]:
    """The world README.md runs in, made once for all its blocks.

    Placeholders, replaced in the code before it runs:

    * ``https://connect.example.com``: a Connect emulator (``pins.testing.ConnectServer``)
      with users susan (publisher) and derek (viewer);
    * ``https://example.org/``: a local HTTP server serving a temporary folder ``www``,
      and ``/srv/www/pins``: that folder's ``pins`` subfolder (so ``.../pins/`` is served);
    * ``key=..., secret=...`` (S3): moto's test credentials and the endpoint of a moto S3
      server on loopback that has the bucket ``my-bucket``.

    Names the blocks use without defining them: ``key`` and ``api_key`` (susan's API key)
    and ``server`` (the emulator's URL). ``~`` is a temporary home folder; the working
    folder is a temporary folder holding ``report.pdf`` and ``notes.md``; the pins cache
    and data folders are temporary. gcsfs, when not installed, is fsspec's memory
    filesystem (``board_gcs`` then builds a board on it).
    """
    root = tmp_path_factory.mktemp("readme")
    work = root / "work"
    work.mkdir()
    (work / "report.pdf").write_bytes(b"%PDF-1.4\n% a stand-in report\n")
    (work / "notes.md").write_text("# Notes\n\nSales were up.\n", encoding="utf-8")
    (root / "www" / "pins").mkdir(parents=True)
    (root / "home").mkdir()
    env = {
        "HOME": str(root / "home"),
        "PINS_CACHE_DIR": str(root / "cache"),
        "PINS_DATA_DIR": str(root / "data"),
    }
    with ExitStack() as stack:
        connect = stack.enter_context(ConnectServer(users=["susan:publisher", "derek:viewer"]))
        www = FolderServer(root / "www")
        stack.callback(www.stop)
        s3 = stack.enter_context(moto_s3("my-bucket"))
        stack.enter_context(_gcsfs_stand_in())
        key = connect.api_key("susan")
        swaps = {
            "https://connect.example.com": connect.url,
            "https://example.org/": www.url,
            "/srv/www/pins": str(root / "www" / "pins"),
            "key=..., secret=...": f'key="test", secret="test", endpoint_url="{s3}"',
        }
        assert set(swaps) == set(PLACEHOLDERS)
        namespace = {"__name__": "__readme__", "key": key, "api_key": key, "server": connect.url}
        yield ReadmeWorld(Session(namespace, swaps), env, work)


@pytest.fixture
def in_readme_world(readme: ReadmeWorld, monkeypatch: pytest.MonkeyPatch) -> ReadmeWorld:
    """:func:`readme`'s environment, set again for each test (conftest resets it)."""
    for name, value in readme.env.items():
        monkeypatch.setenv(name, value)
    s3_test_credentials(monkeypatch)
    monkeypatch.chdir(readme.cwd)
    return readme


# ---------------------------------------------------------------------- the README
@pytest.mark.parametrize("block", RUN, ids=[f"line{b.line}-{b.heading}" for b in RUN])
def test_readme_block(in_readme_world: ReadmeWorld, block: Block) -> None:
    in_readme_world.run_through(block)


@pytest.mark.parametrize("block", PYTEST, ids=[f"line{b.line}" for b in PYTEST])
def test_readme_pytest_block(pytester: pytest.Pytester, block: Block) -> None:
    """A ``python pytest`` block is a test file: pytest runs it and all its tests pass."""
    tests = [
        node.name
        for node in ast.parse(block.code).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
    ]
    pytester.makepyfile(test_readme_block=block.code)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=len(tests))
    assert tests


def test_every_block_is_tagged_and_every_placeholder_used() -> None:
    assert [b.line for b in BLOCKS if not b.info] == []
    assert {b.info.split()[0] for b in BLOCKS} <= {"python", "sh"}
    python = "".join(b.code for b in RUN)
    assert [p for p in PLACEHOLDERS if p not in python] == []
    assert len(RUN) >= 6 and PYTEST


def test_the_emulator_command_line_parses() -> None:
    """The README's shell command for the emulator, and the options it names after it."""
    from pins.testing.connect_server.__main__ import parser

    (block,) = [b for b in BLOCKS if "pins.testing.connect_server" in b.code]
    words = shlex.split(block.code.replace("\\\n", " "))
    args = parser().parse_args(words[words.index("pins.testing.connect_server") + 1 :])
    assert (args.port, args.data_dir) == (3939, "/tmp/connect")
    assert args.user == ["susan:publisher", "admin:administrator:my-admin-key"]
    text = README.read_text(encoding="utf-8")
    section = text[text.index("From the shell") : text.index("From pytest")]
    named = {word.strip("`,.;") for word in section.split() if word.strip("`").startswith("--")}
    known = {option for action in parser()._actions for option in action.option_strings}
    assert named and named <= known


# ---------------------------------------------------------------------- the checker itself
def _run(code: str) -> None:
    Session({}, {}).run(Block(1, "python", code, "test"))


@pytest.mark.parametrize(
    "code",
    [
        "x = {'owner': 'ana'}\nx  # -> {}\n",  # a stale value
        "1.0  # -> 1\n",  # equal, but not the same type
        "import pandas as pd\npd.DataFrame({'x': [1]})  # -> pd.DataFrame({'x': [2]})\n",
        "int('1')  # raises ValueError\n",  # raises nothing
        "import warnings\nwarnings.warn('x', UserWarning)  # warns DeprecationWarning\n",
        "for i in range(2):\n    i  # -> 0\n",  # checked inside blocks too
    ],
    ids=["value", "type", "frame", "raises", "warns", "nested"],
)
def test_a_stale_comment_fails(code: str) -> None:
    """The comment states something else than the code gives: the check fails."""
    with pytest.raises(ReadmeMismatch):
        _run(code)


@pytest.mark.parametrize(
    "code",
    [
        "x = {'owner': 'ana'}\nx  # {'owner': 'ana'}\n",  # a result stated without ->
        "x = 1  # -> 1\n",  # -> on a statement that is not an expression
        "x = 2\nx  # raises somehow\n",
        "import requests\nrequests.get('https://connect.example.com')\n",  # no stand-in
    ],
    ids=["value-without-arrow", "arrow-on-assignment", "unknown-claim", "placeholder-left"],
)
def test_a_comment_that_is_not_checkable_is_an_error(code: str) -> None:
    with pytest.raises(ReadmeError):
        _run(code)


def test_true_comments_pass_and_prose_is_prose() -> None:
    code = (
        "import io, pandas as pd, warnings\n"
        "df = pd.DataFrame({'x': [1, 2]})  # a frame\n"
        "df.head(1)  # -> df.iloc[:1]\n"
        "{'a': 1}['a']; 2 + 2  # -> 4\n"
        "int('x')  # raises ValueError\n"
        "warnings.warn('old', DeprecationWarning)  # warns DeprecationWarning\n"
        "with io.StringIO() as f:  # a header comment is prose\n"
        "    f.write('ab')  # -> 2\n"
        "PLACEHOLDER  # -> 'swapped'\n"
    )
    session = Session({}, {"PLACEHOLDER": "'swapped'"})
    session.run(Block(10, "python", code, "test"))
    assert session.used == {"PLACEHOLDER"}


def test_errors_point_at_the_readme_line() -> None:
    with pytest.raises(ReadmeMismatch, match=r"README\.md line 12: x gave 1"):
        Session({}, {}).run(Block(11, "python", "x = 1\nx  # -> 2\n", "test"))


def test_blocks_are_found_with_their_lines_and_headings() -> None:
    text = "# Title\n## Part\n```python\na = 1\n```\n```sh\nls\n```\n"
    assert blocks(text) == [
        Block(4, "python", "a = 1\n", "Part"),
        Block(7, "sh", "ls\n", "Part"),
    ]
