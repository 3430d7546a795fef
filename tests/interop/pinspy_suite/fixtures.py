"""``pins.tests.conftest`` for pins-python's test modules, written for this package: the
paths of the example boards that ship with pins-python, and the fixtures its tests ask
for (``backend``, ``df``, ``tmp_cache``, ``tmp_data_dir``, ``snapshot``,
``http_example_board_path``). Registered as a pytest plugin by :mod:`.plugin`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .helpers import BoardBuilder, RscBoardBuilder, Snapshot, rm_env
from .servers import SERVERS

#: pins-python's package folder, as the harness copied its data files
#: (``importlib_resources.files("pins")`` in those tests).
PINS_DATA = Path(os.environ["PINS_PINSPY_SUITE_DATA"])

EXAMPLE_REL_PATH = "pins/tests/pins-compat"
PATH_TO_EXAMPLE_BOARD = PINS_DATA / "tests" / "pins-compat"
PATH_TO_EXAMPLE_VERSION = PATH_TO_EXAMPLE_BOARD / "df_csv" / "20220214T163720Z-9bfad"
PATH_TO_MANIFEST_BOARD = PINS_DATA / "tests" / "pin-board"
#: Databricks is never reached from here (its tests are skipped).
PATH_TO_EXAMPLE_BOARD_DBC = "/Volumes/unreachable"
EXAMPLE_PIN_NAME = "df_csv"

_m = pytest.mark
BACKENDS = [
    pytest.param(lambda: BoardBuilder("file"), id="file", marks=_m.fs_file),
    pytest.param(lambda: BoardBuilder("s3"), id="s3", marks=_m.fs_s3),
    pytest.param(lambda: BoardBuilder("gcs"), id="gcs", marks=_m.fs_gcs),
    pytest.param(lambda: BoardBuilder("abfs"), id="abfs", marks=_m.fs_abfs),
    pytest.param(lambda: BoardBuilder("dbc"), id="dbc", marks=_m.fs_dbc),
    pytest.param(lambda: RscBoardBuilder("rsc"), id="rsc", marks=_m.fs_rsc),
]


@pytest.fixture(params=BACKENDS, scope="session")
def backend(request: pytest.FixtureRequest) -> Iterator[Any]:
    builder = request.param()
    yield builder
    builder.teardown()


@pytest.fixture(scope="session")
def http_example_board_path() -> str:
    """The example board over HTTP: served from 127.0.0.1 (pins-python's tests read it
    from GitHub, which cannot be reached from here)."""
    return SERVERS.http_folder(PATH_TO_EXAMPLE_BOARD)


@pytest.fixture
def snapshot(request: pytest.FixtureRequest) -> Snapshot:
    return Snapshot(PINS_DATA / "tests" / "_snapshots" / request.node.originalname)


@pytest.fixture
def df() -> Any:
    import pandas as pd

    return pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "c"]})


def _env_folder(name: str) -> Iterator[Path]:
    with rm_env(name), tempfile.TemporaryDirectory(prefix="pinspy-suite-") as folder:
        os.environ[name] = folder
        yield Path(folder)


@pytest.fixture
def tmp_cache() -> Iterator[Path]:
    """``PINS_CACHE_DIR`` is a new empty folder during the test."""
    yield from _env_folder("PINS_CACHE_DIR")


@pytest.fixture
def tmp_data_dir() -> Iterator[Path]:
    """``PINS_DATA_DIR`` is a new empty folder during the test."""
    yield from _env_folder("PINS_DATA_DIR")
