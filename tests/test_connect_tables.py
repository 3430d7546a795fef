"""Tables on Posit Connect (the emulator on loopback): bundles of compressed files are
gzip streams of stored blocks, others are compressed at the fastest level; scans read
the checked copy in the cache."""

from __future__ import annotations

import gzip
import io
import subprocess
import sys
import tarfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest
import requests

import pins
from pins.testing import ConnectServer


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ConnectServer]:
    with ConnectServer(users=["susan:publisher"], data_dir=tmp_path / "connect") as srv:
        yield srv


def _bundle(server: ConnectServer, board: pins.Board, name: str) -> bytes:
    """The archive of the pin's latest version, as the server keeps it."""
    headers = {"Authorization": f"Key {server.api_key('susan')}"}
    (content,) = requests.get(
        f"{server.url}/__api__/v1/content", params={"name": name}, headers=headers, timeout=30
    ).json()
    version = board.pin_meta(name).version
    assert version is not None
    response = requests.get(
        f"{server.url}/__api__/v1/content/{content['guid']}/bundles/{version.version}/download",
        headers=headers,
        timeout=30,
    )
    response.raise_for_status()
    return response.content


def test_bundle_gzip_level_follows_the_files(server: ConnectServer, tmp_path: Path) -> None:
    board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=None)
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({"x": rng.random(20_000), "s": ["same text"] * 20_000})
    board.pin_write(frame, "as_parquet")
    board.pin_write(frame, "as_csv", type="csv")
    for name, stored in (("as_parquet", True), ("as_csv", False)):
        archive = _bundle(server, board, name)
        tar_bytes = gzip.decompress(archive)
        with tarfile.open(fileobj=io.BytesIO(tar_bytes)) as tar:
            assert {"data.txt", "manifest.json", "index.html"} < set(tar.getnames())
        if stored:  # stored blocks: the gzip stream is the tar plus a few bytes per 64 KiB
            assert len(tar_bytes) < len(archive) < len(tar_bytes) * 1.01
        else:
            assert len(archive) < len(tar_bytes) / 2


def test_a_scan_of_a_connect_pin_reads_the_cached_copy(
    server: ConnectServer, tmp_path: Path
) -> None:
    writer = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=None)
    writer.pin_write(pd.DataFrame({"i": range(100)}), "scanned")
    board = pins.board_connect(server.url, api_key=server.api_key("susan"), cache=tmp_path / "c")
    lazy = board.pin_scan("susan/scanned", frame="polars")
    assert lazy.filter(pl.col("i") > 97).collect()["i"].to_list() == [98, 99]
    files = board.pin_files("susan/scanned")
    assert files.uris[0].startswith((tmp_path / "c").as_uri())
    offline = pins.board_connect(
        server.url, api_key=server.api_key("susan"), cache=tmp_path / "c", offline=True
    )
    assert offline.pin_scan("susan/scanned", frame="polars").collect().height == 100


def _kb(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field}")


@pytest.mark.skipif(not Path("/proc/self/clear_refs").exists(), reason="needs Linux /proc")
def test_a_big_upload_takes_constant_memory_on_both_sides(tmp_path: Path) -> None:
    """A 128 MB file goes to the emulator (a process of its own): neither the client nor
    the server holds it in memory (a 2 GB upload is in benchmarks/tables.py)."""
    source = tmp_path / "big.bin"
    with open(source, "wb") as out:
        for _ in range(8):
            out.write(np.random.default_rng(1).bytes(16 << 20))
    key = "k" * 32
    server = subprocess.Popen(
        [sys.executable, "-m", "pins.testing.connect_server", "--port", "0",
         "--data-dir", str(tmp_path / "connect"), "--user", f"susan:publisher:{key}"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split(" at ", 1)[1].strip()
        board = pins.board_connect(url, api_key=key, cache=tmp_path / "cache")
        board.pin_read  # noqa: B018 - the board is made before the baselines
        baselines = {}
        for pid in ("self", server.pid):
            Path(f"/proc/{pid}/clear_refs").write_text("5")
            baselines[pid] = _kb(pid, "VmRSS")
        meta = board.pin_upload(source, "big_file")
        extra = {pid: (_kb(pid, "VmHWM") - base) / 1024 for pid, base in baselines.items()}
        assert meta.file_size == source.stat().st_size
        assert extra["self"] < 48 and extra[server.pid] < 48, extra  # MB, for 128 MB sent
    finally:
        server.terminate()
        server.wait(30)
