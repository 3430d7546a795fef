"""Run the code blocks of a Markdown file and check the results their comments state.

The conventions (README.md follows them; ``tests/test_readme.py`` runs it):

* A fenced block tagged ``python`` runs. The blocks run in order in one namespace, as
  a reader would paste them into one session. ``python pytest`` marks a test file: pytest
  runs it and every test in it must pass. Other tags (``sh``, ``text`` ...) mark blocks
  that are not Python and do not run; a block without a tag is an error.
* A comment on the last line of a statement may state its result:

  ``expr  # -> value``
      ``expr`` equals the Python expression ``value`` (evaluated after ``expr``, in the
      same namespace). Frames compare by content; anything else by ``==`` and by type,
      so that ``1`` is not ``1.0``.
  ``stmt  # raises Name``
      the statement raises ``Name`` (looked up in the namespace, then in
      :mod:`pins.errors`, then in the builtins).
  ``stmt  # warns Name``
      the statement emits a warning of that category.

  Any other comment is prose. A comment that looks like a value (``# {'a': 1}``, ``# 3``,
  ``# 'x'``, ``# None`` ...) is an error: a result is stated with ``->`` or not at all.
* Placeholders (``https://connect.example.com`` ...) are replaced by the values the
  caller gives before a block runs; an ``example.com``/``example.org`` URL left over is
  an error, so a block never reaches for the internet.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import re
import tokenize
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import pins.errors

__all__ = ["Block", "ReadmeError", "ReadmeMismatch", "Session", "blocks"]

_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`]*)$")
_LOOKS_LIKE_VALUE = re.compile(r"""^([\[{('"]|-?\d|(True|False|None)\b)""")
_CLAIM = re.compile(r"^(?P<kind>raises|warns)\s+(?P<name>[A-Za-z_][\w.]*)$")
_LEFTOVER = re.compile(r"https?://[\w.-]*example\.(?:com|org)\S*")
_COMPOUND = (
    ast.With, ast.AsyncWith, ast.For, ast.AsyncFor, ast.While, ast.If, ast.Try,
    ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Match,
)  # fmt: skip


class ReadmeError(Exception):
    """A block breaks the conventions (no tag, a value stated without ``->`` ...)."""


class ReadmeMismatch(AssertionError):
    """A stated result is not what the code gives."""


@dataclass(frozen=True)
class Block:
    """One fenced code block."""

    line: int  # the file's line number of the block's first line of code
    info: str  # the fence's info string: "python", "python pytest", "sh" ...
    code: str
    heading: str  # the nearest heading above it

    @property
    def runs(self) -> bool:
        return self.info == "python"

    @property
    def is_pytest(self) -> bool:
        return self.info == "python pytest"


def blocks(text: str) -> list[Block]:
    """Every fenced block of a Markdown text, in order."""
    found: list[Block] = []
    heading = ""
    fence: str | None = None
    info, start, lines = "", 0, []
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line)
        if fence is None and match:
            fence, info, start, lines = match["fence"], match["info"].strip(), number + 1, []
        elif fence is not None and line.strip() == fence:
            found.append(Block(start, info, "".join(f"{x}\n" for x in lines), heading))
            fence = None
        elif fence is not None:
            lines.append(line)
        elif line.startswith("#"):
            heading = line.lstrip("#").strip()
    return found


@dataclass(frozen=True)
class _Claim:
    kind: str  # "->", "raises" or "warns"
    text: str


def _claims(code: str, first_line: int) -> dict[int, _Claim]:
    """The result-stating comments of a block, by line (counted within the block)."""
    claims = {}
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        line, text = token.start[0], token.string[1:].strip()
        where = f"line {first_line + line - 1}"
        if text.startswith("->"):
            claims[line] = _Claim("->", text[2:].strip())
        elif match := _CLAIM.match(text):
            claims[line] = _Claim(match["kind"], match["name"])
        elif _LOOKS_LIKE_VALUE.match(text) or text.split(" ", 1)[0] in ("raises", "warns"):
            raise ReadmeError(
                f"{where}: '# {text}' looks like a stated result; write it as "
                "'# -> value', '# raises Name' or '# warns Name' so that it is checked."
            )
    return claims


class _Rewrite:
    """Wrap each statement that carries a claim into the check of that claim."""

    def __init__(self, claims: dict[int, _Claim], offset: int) -> None:
        self.claims = claims
        self.offset = offset  # block line -> file line
        self.used: set[int] = set()

    def module(self, tree: ast.Module) -> ast.Module:
        self._descend(tree)
        return ast.fix_missing_locations(tree)

    def _descend(self, node: ast.AST) -> None:
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            children = getattr(node, field, None)
            if not isinstance(children, list):
                continue
            if field in ("handlers", "cases"):
                for child in children:
                    self._descend(child)
                continue
            rewritten: list[ast.stmt] = []
            for stmt in reversed(children):  # of statements sharing a line, the last one
                taken = any(s.lineno == stmt.end_lineno for s in rewritten)
                if isinstance(stmt, _COMPOUND):
                    self._descend(stmt)
                elif not taken:
                    stmt = self._statement(stmt)
                rewritten.insert(0, stmt)
            setattr(node, field, rewritten)

    def _statement(self, stmt: ast.stmt) -> ast.stmt:
        last = stmt.end_lineno or stmt.lineno
        claim = self.claims.get(last)
        if claim is None:
            return stmt
        self.used.add(last)
        line = ast.Constant(last + self.offset)
        if claim.kind == "->":
            if not isinstance(stmt, ast.Expr):
                raise ReadmeError(f"line {last + self.offset}: '# ->' needs an expression")
            expected = ast.parse(claim.text, mode="eval").body
            source = ast.Constant(ast.unparse(stmt.value))
            call = ast.Call(
                ast.Name("__readme_equal__", ast.Load()), [line, source, stmt.value, expected], []
            )
            return ast.copy_location(ast.Expr(call), stmt)
        check = ast.Call(
            ast.Name(f"__readme_{claim.kind}__", ast.Load()), [line, ast.Constant(claim.text)], []
        )
        return ast.copy_location(ast.With([ast.withitem(check)], [stmt]), stmt)


def _same(actual: Any, expected: Any) -> bool:
    import pandas as pd

    if isinstance(actual, pd.DataFrame) or isinstance(expected, pd.DataFrame):
        try:
            pd.testing.assert_frame_equal(actual, expected, check_dtype=False)
        except (AssertionError, TypeError):
            return False
        return True
    return type(actual) is type(expected) and bool(actual == expected)


class Session:
    """Runs blocks in one namespace, with placeholders replaced (see the module doc).

    Parameters
    ----------
    namespace
        The names the blocks may use without defining them.
    swaps
        Placeholder text -> what replaces it, applied to each block's code.
    filename
        The name tracebacks give the file (their line numbers are the file's).
    """

    def __init__(
        self, namespace: dict[str, Any], swaps: Mapping[str, str], filename: str = "README.md"
    ) -> None:
        self.namespace = namespace
        self.swaps = dict(sorted(swaps.items(), key=lambda kv: -len(kv[0])))
        self.filename = filename
        self.used: set[str] = set()
        namespace["__readme_equal__"] = self._equal
        namespace["__readme_raises__"] = self._raises
        namespace["__readme_warns__"] = self._warns

    def swap(self, code: str) -> str:
        for placeholder, value in self.swaps.items():
            if placeholder in code:
                self.used.add(placeholder)
                code = code.replace(placeholder, value)
        return code

    def compile(self, block: Block) -> Any:
        code = self.swap(block.code)
        leftover = _LEFTOVER.findall(code)
        if leftover:
            raise ReadmeError(f"line {block.line}: no stand-in for {', '.join(leftover)}")
        tree = ast.parse(code, self.filename)
        claims = _claims(code, block.line)
        rewrite = _Rewrite(claims, block.line - 1)
        tree = rewrite.module(tree)
        for line in set(claims) - rewrite.used:
            raise ReadmeError(
                f"line {line + block.line - 1}: a stated result belongs on the last line "
                "of a simple statement"
            )
        ast.increment_lineno(tree, block.line - 1)
        return compile(tree, self.filename, "exec")

    def run(self, block: Block) -> None:
        exec(self.compile(block), self.namespace)

    # ------------------------------------------------------------------ the checks
    def _name(self, line: int, name: str) -> type:
        for where in (self.namespace, vars(pins.errors), vars(builtins)):
            found = where.get(name)
            if isinstance(found, type):
                return found
        raise ReadmeError(f"line {line}: {name} names no class")

    def _equal(self, line: int, source: str, actual: Any, expected: Any) -> None:
        if not _same(actual, expected):
            raise ReadmeMismatch(
                f"{self.filename} line {line}: {source} gave {actual!r}, "
                f"and the comment says {expected!r}"
            )

    @contextlib.contextmanager
    def _raises(self, line: int, name: str) -> Iterator[None]:
        wanted = self._name(line, name)
        try:
            yield
        except wanted:
            return
        raise ReadmeMismatch(f"{self.filename} line {line}: raised no {name}")

    @contextlib.contextmanager
    def _warns(self, line: int, name: str) -> Iterator[None]:
        wanted = self._name(line, name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        if not any(issubclass(w.category, wanted) for w in caught):
            raise ReadmeMismatch(f"{self.filename} line {line}: warned no {name}")
