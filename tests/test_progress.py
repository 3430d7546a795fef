"""Progress bars: when they show (pins._progress), and on each transfer: Connect upload and
download, URL and object-store downloads, object-store uploads, hashing. The bar in a real
terminal is tests/test_progress_terminal.py."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

import pins
from pins import _progress
from pins.testing import ConnectServer

from .moto_s3 import moto_s3
from .servers import FolderServer, s3_test_credentials

BIG = _progress.MIN_BYTES + 1024


@pytest.fixture
def big_file(tmp_path: Path) -> Path:
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(BIG))
    return path


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal
    assert not _progress.enabled(BIG)
    monkeypatch.setenv("PINS_PROGRESS", "1")
    assert _progress.enabled(BIG) and not _progress.enabled(_progress.MIN_BYTES)
    assert not _progress.enabled(None)  # an unknown size shows none
    monkeypatch.setattr("sys.stderr", _Terminal())
    monkeypatch.delenv("PINS_PROGRESS")
    assert _progress.enabled(BIG)
    monkeypatch.setenv("PINS_PROGRESS", "0")
    assert not _progress.enabled(BIG)
    monkeypatch.setattr("sys.stderr", None)  # pythonw, or closed
    monkeypatch.delenv("PINS_PROGRESS")
    assert not _progress.enabled(BIG)


def test_no_bar_hands_back_what_it_was_given(monkeypatch: pytest.MonkeyPatch) -> None:
    chunks = [b"a", b"b"]
    assert _progress.chunks(chunks, BIG, "x") is chunks
    handle = io.BytesIO(b"abc")
    with _progress.reading(handle, BIG, "x") as body:
        assert body is handle
    monkeypatch.setenv("PINS_PROGRESS", "1")
    assert list(_progress.chunks(iter(chunks), BIG, "x")) == chunks
    with _progress.reading(io.BytesIO(b"abc"), BIG, "x") as body:
        assert len(body) == BIG and body.read() == b"abc"  # type: ignore[arg-type]


def _bar_lines(text: str, what: str) -> list[str]:
    return [line for line in text.replace("\r", "\n").splitlines() if line.startswith(what)]


def test_connect_upload_and_download(
    big_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    with ConnectServer(users=["susan:publisher:k"]) as server:
        board = pins.board_connect(server.url, api_key="k", cache=tmp_path / "cache")
        board.pin_upload(big_file, "quiet_one")
        assert "%|" not in capsys.readouterr().err  # stderr is no terminal here
        monkeypatch.setenv("PINS_PROGRESS", "1")
        board.pin_upload(big_file, "big_one")
        err = capsys.readouterr().err
        assert _bar_lines(err, f"upload to {server.url}")[-1].startswith(
            f"upload to {server.url}: 100%"
        )
        assert _bar_lines(err, "hash big.bin")  # the write hashes it first
        fresh = pins.board_connect(server.url, api_key="k", cache=tmp_path / "cache2")
        path = fresh.pin_download("susan/big_one")[0]
        assert Path(path).read_bytes() == big_file.read_bytes()
        assert "100%" in _bar_lines(capsys.readouterr().err, "download big.bin")[-1]


def test_url_board_download(
    big_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    served = pins.board_folder(tmp_path / "www")
    served.pin_upload(big_file, "big")
    served.write_board_manifest()
    server = FolderServer(tmp_path / "www")
    try:
        monkeypatch.setenv("PINS_PROGRESS", "1")
        capsys.readouterr()
        path = pins.board_url(server.url, cache=tmp_path / "cache").pin_download("big")[0]
        assert Path(path).stat().st_size == BIG
        assert "100%" in _bar_lines(capsys.readouterr().err, "download big.bin")[-1]
    finally:
        server.stop()


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with moto_s3("progress-bucket") as endpoint:
        yield endpoint


def test_object_store_upload_and_download(
    big_file: Path,
    tmp_path: Path,
    s3_endpoint: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    s3_test_credentials(monkeypatch)
    monkeypatch.setenv("PINS_PROGRESS", "1")
    board = pins.board_s3("progress-bucket/pins", endpoint_url=s3_endpoint, cache=tmp_path / "c")
    board.pin_upload(big_file, "big")
    assert "100%" in _bar_lines(capsys.readouterr().err, "upload big.bin")[-1]
    assert Path(board.pin_download("big")[0]).stat().st_size == BIG
    assert "100%" in _bar_lines(capsys.readouterr().err, "download big.bin")[-1]


def test_a_local_copy_shows_no_upload_bar(
    big_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("PINS_PROGRESS", "1")
    board = pins.board_fsspec(f"file://{tmp_path / 'fs'}", cache=tmp_path / "c")
    board.pin_upload(big_file, "big")
    err = capsys.readouterr().err
    assert _bar_lines(err, "hash big.bin") and not _bar_lines(err, "upload")
