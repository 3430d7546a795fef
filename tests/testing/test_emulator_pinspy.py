"""Interoperability: pins-python 0.9.2's Connect board against the emulator.

pins-python runs in its own virtual environment (``tests/pinspy.py``); it talks to the emulator
over loopback, so every answer it accepts came through the real HTTP stack.
"""

from __future__ import annotations

from typing import Any

import pytest

from pins.testing import ConnectServer
from tests.pinspy import PinsPy

pytestmark = pytest.mark.interop

SCRIPT = r"""
import json, os, warnings
import pandas as pd
import pins

warnings.simplefilter("ignore")
board = pins.board_connect(
    server_url=os.environ["EMU_URL"], api_key=os.environ["EMU_KEY"], cache=None
)
df = pd.DataFrame({"x": [1, 2, 3], "y": ["a", "b", "é"]})
out = {}

meta_csv = board.pin_write(df, "susan/cars-csv", type="csv", title="Cars as CSV")
meta_pq = board.pin_write(df, "susan/cars-parquet", type="parquet", description="parquet")
meta_js = board.pin_write({"a": [1, 2], "b": "ü"}, "susan/cars-json", type="json")
out["write_versions"] = [m.version.version for m in (meta_csv, meta_pq, meta_js)]

out["read_csv"] = board.pin_read("susan/cars-csv").to_dict(orient="list")
out["read_parquet"] = board.pin_read("susan/cars-parquet").to_dict(orient="list")
out["read_json"] = board.pin_read("susan/cars-json")
out["meta_title"] = board.pin_meta("susan/cars-csv").title

board.pin_write(df.assign(x=[4, 5, 6]), "susan/cars-csv", type="csv", title="Cars v2")
versions = board.pin_versions("susan/cars-csv")
out["versions"] = versions["version"].tolist()
out["read_latest"] = board.pin_read("susan/cars-csv")["x"].tolist()
out["read_first"] = board.pin_read("susan/cars-csv", version=out["versions"][0])["x"].tolist()
out["exists"] = [board.pin_exists("susan/cars-csv"), board.pin_exists("susan/nope-nope")]

out["list"] = sorted(board.pin_list())
found = board.pin_search("parquet", as_df=True)
out["search"] = sorted(found["name"].tolist())
out["search_all"] = len(board.pin_search(as_df=True))

try:
    board.pin_version_delete("susan/cars-csv", out["versions"][-1])
    out["delete_active"] = "deleted"
except pins.errors.PinsError as exc:
    out["delete_active"] = "refused"
board.pin_version_delete("susan/cars-csv", out["versions"][0])
out["versions_after_delete"] = board.pin_versions("susan/cars-csv")["version"].tolist()

board.pin_delete("susan/cars-json")
out["list_after_delete"] = sorted(board.pin_list())
out["exists_after_delete"] = board.pin_exists("susan/cars-json")
print(json.dumps(out))
"""


def test_pins_python_board_connect_round_trip(
    pinspy: PinsPy, connect_server: ConnectServer
) -> None:
    env = {"EMU_URL": connect_server.url, "EMU_KEY": connect_server.api_key("susan")}
    out: dict[str, Any] = pinspy.run(SCRIPT, env=env)

    first, second, third = (int(v) for v in out["write_versions"])
    assert first < second < third
    assert out["read_csv"] == {"x": [1, 2, 3], "y": ["a", "b", "é"]}
    assert out["read_parquet"] == {"x": [1, 2, 3], "y": ["a", "b", "é"]}
    assert out["read_json"] == {"a": [1, 2], "b": "ü"}
    assert out["meta_title"] == "Cars as CSV"

    assert out["versions"] == [str(first), str(third + 1)]
    assert out["read_latest"] == [4, 5, 6]
    assert out["read_first"] == [1, 2, 3]
    assert out["exists"] == [True, False]

    expected = ["susan/cars-csv", "susan/cars-json", "susan/cars-parquet"]
    assert out["list"] == expected
    assert out["search"] == ["susan/cars-parquet"]
    assert out["search_all"] == 3

    assert out["delete_active"] == "refused"
    assert out["versions_after_delete"] == [str(third + 1)]
    assert out["list_after_delete"] == ["susan/cars-csv", "susan/cars-parquet"]
    assert out["exists_after_delete"] is False

    # every request pins-python made was answered without a server error
    assert all(r.status < 500 for r in connect_server.requests)
