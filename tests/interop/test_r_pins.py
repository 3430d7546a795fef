"""R pins 1.1.0, run live: it reads the boards we write and we read the boards it writes,
on a folder and on Posit Connect (the emulator, which R's ``board_connect`` talks to).

Needs ``Rscript`` and R pins 1.1.0 in an R library (:mod:`tests.rpins`); skipped, with
how to install them, otherwise. R pins 1.1.0 knows the types rds, json, csv, arrow and qs
(arrow and qs need R packages of those names); it has no parquet type, so our parquet
files are read there with ``arrow::read_parquet`` on ``pin_download``'s path.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pins
from pins.testing import ConnectServer

from ..peers import PeerUnavailable
from ..rpins import RPins, find_r_pins, r_str

pytestmark = pytest.mark.r_interop

FRAME = pd.DataFrame(
    {
        "city": ["Zürich", "Oslo", "Lima", "Nara"],
        "n": [1, 2, 3, 4],
        "share": [0.5, math.nan, 2.25, -1.0],
    }
)


@pytest.fixture(scope="session")
def r_found(tmp_path_factory: pytest.TempPathFactory) -> RPins:
    try:
        return find_r_pins(tmp_path_factory.mktemp("r-probe"))
    except PeerUnavailable as exc:
        pytest.skip(str(exc))


@pytest.fixture
def r(r_found: RPins, tmp_path: Path) -> RPins:
    """R pins, running its scripts in this test's own folder."""
    return RPins(r_found.rscript, r_found.library, r_found.packages, tmp_path / "r-work")


@pytest.fixture
def connect() -> Iterator[ConnectServer]:
    with ConnectServer(users=["susan:publisher", "derek:viewer"]) as server:
        yield server


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A frame as JSON records, missing values as None (R's ``NA`` comes back as null)."""
    rows: list[dict[str, Any]] = (
        frame.astype(object).where(frame.notna(), None).to_dict(orient="records")
    )
    return rows


# ---------------------------------------------------------------------- R reads ours
def test_r_reads_a_folder_board_we_wrote(r: RPins, tmp_path: Path) -> None:
    board = pins.board_folder(tmp_path / "board")
    first = board.pin_write(
        FRAME,
        "cities",
        type="csv",
        title="Cities",
        description="Four cities.",
        metadata={"owner": "ana", "rows": 4},
        tags=["geo", "demo"],
    )
    second = board.pin_write(FRAME.head(2), "cities", type="csv", metadata={"rows": 2})
    settings = {"alpha": 0.05, "methods": ["lm", "glm"], "nested": {"a": 1, "b": "é"}}
    board.pin_write(settings, "settings", type="json")
    (tmp_path / "notes.txt").write_text("line one\nligne deux é\n", encoding="utf-8")
    board.pin_upload(tmp_path / "notes.txt", "notes")
    assert first.version is not None and second.version is not None

    seen = r.run(f"""
        b <- board_folder({r_str(board.path)})
        versions <- pin_versions(b, "cities")$version
        meta <- pin_meta(b, "cities", version = versions[[1]])
        emit(list(
          pins = pin_list(b),
          versions = versions,
          # R hashes the files itself and compares with the hash given
          first = pin_read(b, "cities", version = versions[[1]], hash = {r_str(first.pin_hash)}),
          latest = pin_read(b, "cities", hash = {r_str(second.pin_hash)}),
          meta = list(title = meta$title, description = meta$description, user = meta$user,
                      tags = I(meta$tags), type = meta$type, hash = meta$pin_hash),
          latest_user = pin_meta(b, "cities")$user,
          settings = pin_read(b, "settings"),
          notes = readLines(pin_download(b, "notes"), encoding = "UTF-8")
        ))
    """)
    assert seen["pins"] == ["cities", "notes", "settings"]
    assert seen["versions"] == [first.version.version, second.version.version]
    assert seen["first"] == records(FRAME)
    assert seen["latest"] == records(FRAME.head(2))
    assert seen["meta"] == {
        "title": "Cities",
        "description": "Four cities.",
        "user": {"owner": "ana", "rows": 4},
        "tags": ["geo", "demo"],
        "type": "csv",
        "hash": first.pin_hash,
    }
    assert seen["latest_user"] == {"rows": 2}
    assert seen["settings"] == settings
    assert seen["notes"] == ["line one", "ligne deux é"]


@pytest.mark.parametrize("kind", ["arrow", "parquet"])
def test_r_reads_our_arrow_and_parquet_files(r: RPins, tmp_path: Path, kind: str) -> None:
    if "arrow" not in r.packages:
        pytest.skip(
            f"R's arrow package is not installed (needed by R to read {kind}): "
            f"install.packages('arrow') (from CRAN) into {r.library}"
        )
    board = pins.board_folder(tmp_path / "board")
    meta = board.pin_write(FRAME, "frame", type=kind)
    read = (
        "pin_read(b, 'frame')"
        if kind == "arrow"
        else "arrow::read_parquet(pin_download(b, 'frame'))"
    )
    seen = r.run(f"""
        b <- board_folder({r_str(board.path)})
        emit(list(data = as.data.frame({read}), hash = pin_meta(b, "frame")$pin_hash))
    """)
    assert seen == {"data": records(FRAME), "hash": meta.pin_hash}


# ---------------------------------------------------------------------- we read R's
def test_we_read_a_folder_board_r_writes(r: RPins, tmp_path: Path) -> None:
    path = tmp_path / "r-board"
    written = r.run(f"""
        b <- board_folder({r_str(path)}, versioned = TRUE)
        cars <- mtcars[1:5, c("mpg", "cyl", "wt")]
        rownames(cars) <- NULL
        pin_write(b, cars, "cars", type = "csv", title = "Cars", description = "Five cars.",
                  metadata = list(source = "R", rows = 5L), tags = c("cars", "demo"))
        Sys.sleep(1.1)  # a new second: version names sort in write order
        pin_write(b, cars[1:2, ], "cars", type = "csv", metadata = list(source = "R", rows = 2L))
        air <- head(airquality, 6)
        pin_write(b, air, "air_rds", type = "rds", title = "Air quality")
        pin_write(b, air, "air_json", type = "json")
        pin_write(b, list(alpha = 0.05, methods = c("lm", "glm")), "settings", type = "json")
        notes <- file.path(tempdir(), "notes.txt")
        writeLines(c("line one", "ligne deux \\u00e9"), notes, useBytes = FALSE)
        pin_upload(b, notes, "notes")
        flat <- board_folder({r_str(path)}, versioned = FALSE)
        pin_write(flat, cars[1:3, ], "unversioned", type = "csv")
        pin_write(flat, cars[1:4, ], "unversioned", type = "csv")
        v <- pin_versions(b, "cars")$version
        emit(list(
          pins = pin_list(b),
          cars_versions = v,
          cars_hashes = unname(vapply(v, function(x) pin_meta(b, "cars", x)$pin_hash, "")),
          unversioned = I(pin_versions(b, "unversioned")$version),
          cars = cars, air = air
        ))
    """)
    board = pins.board_folder(path)
    assert board.pin_list() == written["pins"]
    versions = board.pin_versions("cars", as_df=False)
    assert [v.version for v in versions] == written["cars_versions"]
    hashes = [board.pin_meta("cars", version=v.version).pin_hash for v in versions]
    assert hashes == written["cars_hashes"]

    meta = board.pin_meta("cars", version=written["cars_versions"][0])
    assert (meta.title, meta.description, meta.type) == ("Cars", "Five cars.", "csv")
    assert meta.user == {"source": "R", "rows": 5} and meta.tags == ["cars", "demo"]
    assert meta.api_version == 1.0  # R pins 1.1.0 writes 1.0 too
    assert board.pin_meta("cars").user == {"source": "R", "rows": 2}
    first = board.pin_read("cars", version=written["cars_versions"][0], hash=meta.pin_hash)
    assert records(first) == written["cars"]
    assert records(board.pin_read("cars")) == written["cars"][:2]

    air = written["air"]  # R's NA is null here
    assert records(board.pin_read("air_rds")) == air
    # R writes a frame as json records and leaves a missing value out of its record
    assert board.pin_read("air_json") == [
        {k: v for k, v in row.items() if v is not None} for row in air
    ]
    assert board.pin_read("settings") == {"alpha": 0.05, "methods": ["lm", "glm"]}
    (notes,) = board.pin_download("notes")
    assert Path(notes).read_text(encoding="utf-8") == "line one\nligne deux é\n"
    assert [v.version for v in board.pin_versions("unversioned", as_df=False)] == written[
        "unversioned"
    ]
    assert len(written["unversioned"]) == 1
    assert records(board.pin_read("unversioned")) == written["cars"][:4]


# ---------------------------------------------------------------------- Posit Connect
def test_r_and_we_share_pins_on_connect(r: RPins, connect: ConnectServer, tmp_path: Path) -> None:
    key = connect.api_key("susan")
    ours = pins.board_connect(connect.url, api_key=key, cache=tmp_path / "our-cache")
    mine = ours.pin_write(
        FRAME, "py_cities", type="csv", title="Cities", metadata={"owner": "ana"}, tags=["geo"]
    )
    ours.pin_write({"alpha": 0.05, "methods": ["lm", "glm"]}, "py_settings", type="json")

    seen = r.run(f"""
        b <- board_connect(auth = "manual", server = {r_str(connect.url)}, key = {r_str(key)},
                           cache = {r_str(tmp_path / "r-cache")})
        before <- sort(pin_list(b))
        meta <- pin_meta(b, "susan/py_cities")
        pin_write(b, data.frame(x = 1:3, y = c("a", "b", "c")), "r_frame", type = "csv",
                  title = "From R", metadata = list(source = "R"), tags = c("r", "demo"))
        pin_write(b, data.frame(x = 4:5, y = c("d", "e")), "r_frame", type = "csv",
                  metadata = list(source = "R again"))
        pin_write(b, list(beta = 2, name = "R \\u00e9t\\u00e9"), "r_settings", type = "json")
        emit(list(
          pins = before,
          cities = pin_read(b, "susan/py_cities", hash = {r_str(mine.pin_hash)}),
          meta = list(title = meta$title, user = meta$user, tags = I(meta$tags),
                      version = meta$local$version),
          settings = pin_read(b, "susan/py_settings"),
          r_versions = pin_versions(b, "susan/r_frame")$version
        ))
    """)
    assert seen["pins"] == ["susan/py_cities", "susan/py_settings"]
    assert seen["cities"] == records(FRAME)
    assert mine.version is not None
    assert seen["meta"] == {
        "title": "Cities",
        "user": {"owner": "ana"},
        "tags": ["geo"],
        "version": mine.version.version,
    }
    assert seen["settings"] == {"alpha": 0.05, "methods": ["lm", "glm"]}

    # and we read what R wrote there, every version
    assert sorted(ours.pin_list()) == [
        "susan/py_cities",
        "susan/py_settings",
        "susan/r_frame",
        "susan/r_settings",
    ]
    versions = [v.version for v in ours.pin_versions("susan/r_frame", as_df=False)]
    assert versions == seen["r_versions"] and len(versions) == 2
    old = ours.pin_meta("susan/r_frame", version=versions[0])
    assert (old.title, old.user, old.tags) == ("From R", {"source": "R"}, ["r", "demo"])
    assert ours.pin_meta("susan/r_frame").user == {"source": "R again"}
    expected_old = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]})
    assert records(ours.pin_read("susan/r_frame", version=versions[0])) == records(expected_old)
    assert records(ours.pin_read("susan/r_frame")) == [{"x": 4, "y": "d"}, {"x": 5, "y": "e"}]
    assert ours.pin_read("susan/r_settings") == {"beta": 2, "name": "R été"}
