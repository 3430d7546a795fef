"""Our Connect board and pins-python 0.9.2's, on the same emulator: each reads what the
other writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pins
from pins.testing import ConnectServer
from tests.pinspy import PinsPy

pytestmark = pytest.mark.interop

FRAME = pd.DataFrame({"x": [1, 2, 3], "y": [0.5, None, 2.5], "s": ["a", "é", "日本"]})

READ_OURS = r"""
import json, os, warnings
import pins
warnings.simplefilter("ignore")
board = pins.board_connect(server_url=os.environ["URL"], api_key=os.environ["KEY"], cache=None)
out = {"list": sorted(board.pin_list())}
for name in ["susan/frame_csv", "susan/frame_parquet", "susan/frame_arrow"]:
    df = board.pin_read(name)
    out[name] = {"shape": list(df.shape), "s": df["s"].tolist(), "x": df["x"].tolist()}
out["cfg"] = board.pin_read("susan/cfg")
meta = board.pin_meta("susan/cfg")
out["cfg_meta"] = {"title": meta.title, "user": dict(meta.user), "type": meta.type}
versions = board.pin_versions("susan/cfg")["version"].tolist()
out["cfg_versions"] = versions
out["cfg_first"] = board.pin_read("susan/cfg", version=versions[0])
print(json.dumps(out))
"""

WRITE_THEIRS = r"""
import json, os, warnings
import pandas as pd
import pins
warnings.simplefilter("ignore")
board = pins.board_connect(server_url=os.environ["URL"], api_key=os.environ["KEY"], cache=None)
df = pd.DataFrame({"x": [1, 2, 3], "s": ["a", "é", "日本"]})
metas = [
    board.pin_write(df, "susan/py_csv", type="csv", title="from pins-python"),
    board.pin_write(df, "susan/py_parquet", type="parquet", metadata={"k": [1, 2]}),
    board.pin_write({"v": 1}, "susan/py_json", type="json"),
    board.pin_write({"v": 2}, "susan/py_json", type="json"),
]
print(json.dumps([[m.pin_hash, m.version.version] for m in metas]))
"""


def test_pins_python_reads_our_connect_pins(
    pinspy: PinsPy, pins_connect_server: ConnectServer, tmp_path: Path
) -> None:
    key = pins_connect_server.api_key("susan")
    board = pins.board_connect(pins_connect_server.url, api_key=key, cache=tmp_path / "c")
    for pin_type in ("csv", "parquet", "arrow"):
        board.pin_write(FRAME, f"frame_{pin_type}", type=pin_type)
    first = board.pin_write({"alpha": 0.05, "note": "é"}, "cfg", metadata={"owner": "ana"})
    board.pin_write({"alpha": 0.01}, "cfg", title="Settings", metadata={"owner": "bo"})

    out: dict[str, Any] = pinspy.run(READ_OURS, env={"URL": pins_connect_server.url, "KEY": key})

    assert out["list"] == sorted(
        ["susan/cfg", "susan/frame_arrow", "susan/frame_csv", "susan/frame_parquet"]
    )
    for pin_type in ("csv", "parquet", "arrow"):
        got = out[f"susan/frame_{pin_type}"]
        assert got == {"shape": [3, 3], "s": ["a", "é", "日本"], "x": [1, 2, 3]}
    assert out["cfg"] == {"alpha": 0.01}
    assert out["cfg_meta"] == {"title": "Settings", "user": {"owner": "bo"}, "type": "json"}
    assert first.version is not None
    assert out["cfg_versions"][0] == first.version.version
    assert out["cfg_first"] == {"alpha": 0.05, "note": "é"}


def test_we_read_pins_python_connect_pins(
    pinspy: PinsPy, pins_connect_server: ConnectServer, tmp_path: Path
) -> None:
    key = pins_connect_server.api_key("susan")
    written = pinspy.run(WRITE_THEIRS, env={"URL": pins_connect_server.url, "KEY": key})
    board = pins.board_connect(pins_connect_server.url, api_key=key, cache=tmp_path / "c")

    assert board.pin_list() == ["susan/py_csv", "susan/py_json", "susan/py_parquet"]
    expected = pd.DataFrame({"x": [1, 2, 3], "s": ["a", "é", "日本"]})
    pd.testing.assert_frame_equal(board.pin_read("susan/py_csv"), expected, check_dtype=False)
    pd.testing.assert_frame_equal(
        board.pin_read("py_parquet", hash=written[1][0]), expected, check_dtype=False
    )
    assert board.pin_meta("py_parquet").user == {"k": [1, 2]}
    assert board.pin_meta("py_csv").title == "from pins-python"
    assert board.pin_read("py_json") == {"v": 2}
    versions = board.pin_versions("py_json", as_df=False)
    assert [v.version for v in versions] == [written[2][1], written[3][1]]
    assert board.pin_read("py_json", version=written[2][1]) == {"v": 1}
    # and we can add a version to a pin pins-python created
    board.pin_write({"v": 3}, "py_json")
    assert board.pin_read("py_json") == {"v": 3}
