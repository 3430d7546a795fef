"""README.md is run, not trusted: every ``python`` block runs, in order, in one namespace,
and every result a comment states is checked (conventions: :mod:`tests.readme_blocks`).

The one fixture that gives the README a world to run in is :func:`readme`, made by
:func:`tests.doc_world.doc_world`, which documents each placeholder and what stands in for
it (the documentation pages run in the same world: tests/test_docs.py).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from .doc_world import PLACEHOLDERS, DocWorld, doc_world, run_pytest_block
from .readme_blocks import Block, ReadmeError, ReadmeMismatch, Session, blocks, run_console
from .servers import s3_test_credentials

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = blocks(README.read_text(encoding="utf-8"))
RUN = [b for b in BLOCKS if b.runs]
PYTEST = [b for b in BLOCKS if b.is_pytest]


@pytest.fixture(scope="module")
def readme(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DocWorld]:
    """The world README.md runs in (:func:`tests.doc_world.doc_world`), made once for all
    its blocks."""
    with doc_world(tmp_path_factory.mktemp("readme"), RUN, "README.md") as world:
        assert set(world.session.swaps) == set(PLACEHOLDERS)
        yield world


@pytest.fixture
def in_readme_world(readme: DocWorld, monkeypatch: pytest.MonkeyPatch) -> DocWorld:
    """:func:`readme`'s environment, set again for each test (conftest resets it)."""
    for name, value in readme.env.items():
        monkeypatch.setenv(name, value)
    s3_test_credentials(monkeypatch)
    monkeypatch.chdir(readme.cwd)
    return readme


# ---------------------------------------------------------------------- the README
@pytest.mark.parametrize("block", RUN, ids=[f"line{b.line}-{b.heading}" for b in RUN])
def test_readme_block(in_readme_world: DocWorld, block: Block) -> None:
    in_readme_world.run_through(block)


@pytest.mark.parametrize("block", PYTEST, ids=[f"line{b.line}" for b in PYTEST])
def test_readme_pytest_block(pytester: pytest.Pytester, block: Block) -> None:
    """A ``python pytest`` block is a test file: pytest runs it and all its tests pass."""
    run_pytest_block(pytester, block)


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


# ---------------------------------------------------------------------- console blocks
def _console(code: str, env: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ) | (env or {})
    run_console(Session({}, {"PLACEHOLDER": "swapped"}), Block(1, "console", code, "t"), env, ".")
    return env


def test_console_blocks_compare_stdout_with_ellipses() -> None:
    env = _console(
        "$ export GREETING=hello\n"
        "$ echo $GREETING PLACEHOLDER; echo second line\n"
        "hello ...\n"
        "...\n"
        "$ printf 'a  \\nb\\n'\n"  # trailing spaces are not compared
        "a\n"
        "b\n"
        "$ echo to stderr >&2\n"
    )
    assert env["GREETING"] == "hello"


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("$ echo one\ntwo\n", ReadmeMismatch),  # stale output
        ("$ echo one; echo two\none\n", ReadmeMismatch),  # a line too many
        ("$ false\n", ReadmeMismatch),  # a failing command
        ("echo one\n", ReadmeError),  # no '$ '
        ("$ curl https://connect.example.com\n", ReadmeError),  # no stand-in
    ],
    ids=["stale", "extra-line", "exit-code", "no-prompt", "placeholder-left"],
)
def test_console_blocks_fail(code: str, error: type[Exception]) -> None:
    with pytest.raises(error):
        _console(code)
