"""Interoperability: pins-python 0.9.2's Connect board against the emulator.

pins-python runs in its own virtual environment (``tests/pinspy.py``); it talks to the emulator
over loopback, so every answer it accepts came through the real HTTP stack.
"""

from __future__ import annotations

from pathlib import Path
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
    pinspy: PinsPy, pins_connect_server: ConnectServer
) -> None:
    env = {"EMU_URL": pins_connect_server.url, "EMU_KEY": pins_connect_server.api_key("susan")}
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
    assert all(r.status < 500 for r in pins_connect_server.requests)


MORE = r"""
import json, os, warnings
import pandas as pd
import pins

warnings.simplefilter("ignore")
url = os.environ["EMU_URL"]
susan = pins.board_rsconnect(
    server_url=url, api_key=os.environ["EMU_KEY"], cache=None, allow_pickle_read=True
)
derek = pins.board_connect(server_url=url, api_key=os.environ["EMU_VIEWER_KEY"], cache=None)
out = {}

susan.pin_write({"model": [1, 2]}, "susan/model", type="joblib", title="a model")
out["joblib"] = susan.pin_read("susan/model")

for i in range(3):
    susan.pin_write(pd.DataFrame({"i": [i]}), "susan/pruned", type="csv")
susan.pin_versions_prune("susan/pruned", n=1)
out["pruned"] = len(susan.pin_versions("susan/pruned"))
out["pruned_value"] = susan.pin_read("susan/pruned")["i"].tolist()

susan.pin_write(pd.DataFrame({"v": [1]}), "susan/unversioned", type="csv", versioned=False)
susan.pin_write(pd.DataFrame({"v": [2]}), "susan/unversioned", type="csv", versioned=False)
out["unversioned"] = len(susan.pin_versions("susan/unversioned"))

susan.pin_write(pd.DataFrame({"p": [1]}), "susan/public", type="csv", access_type="all")
susan.pin_write(pd.DataFrame({"s": [1]}), "susan/secret", type="csv")
try:
    derek.pin_read("susan/secret")
    out["viewer_secret"] = "read"
except Exception as exc:
    out["viewer_secret"] = type(exc).__name__
out["viewer_public"] = derek.pin_read("susan/public")["p"].tolist()
try:
    derek.pin_write(pd.DataFrame({"d": [1]}), "derek/mine", type="csv")
    out["viewer_write"] = "written"
except Exception as exc:
    out["viewer_write"] = type(exc).__name__
print(json.dumps(out))
"""


def test_pins_python_more_operations_and_rights(
    pinspy: PinsPy, pins_connect_server: ConnectServer
) -> None:
    env = {
        "EMU_URL": pins_connect_server.url,
        "EMU_KEY": pins_connect_server.api_key("susan"),
        "EMU_VIEWER_KEY": pins_connect_server.api_key("derek"),
    }
    out: dict[str, Any] = pinspy.run(MORE, env=env)
    assert out["joblib"] == {"model": [1, 2]}
    assert out["pruned"] == 1 and out["pruned_value"] == [2]
    assert out["unversioned"] == 1
    # susan's acl content is not in derek's content list, so pins-python says it does not exist
    assert out["viewer_secret"] == "PinsError"
    assert out["viewer_public"] == [1]
    assert out["viewer_write"] == "RsConnectApiRequestError"  # code 22: viewers create nothing
    refusals = [r for r in pins_connect_server.requests if r.status == 403]
    assert [(r.method, r.path) for r in refusals] == [("POST", "/__api__/v1/content")]


FAULTY = r"""
import json, os, warnings
import pandas as pd
import pins

warnings.simplefilter("ignore")
board = pins.board_connect(
    server_url=os.environ["EMU_URL"], api_key=os.environ["EMU_KEY"], cache=None
)
board.pin_write(pd.DataFrame({"x": [1]}), "susan/slow", type="csv")
out = {"read": board.pin_read("susan/slow")["x"].tolist()}
print(json.dumps(out))
"""


def test_pins_python_polls_slow_tasks(pinspy: PinsPy, pins_connect_server: ConnectServer) -> None:
    pins_connect_server.faults.task_polls = 3
    env = {"EMU_URL": pins_connect_server.url, "EMU_KEY": pins_connect_server.api_key("susan")}
    assert pinspy.run(FAULTY, env=env) == {"read": [1]}
    polls = [r for r in pins_connect_server.requests if r.path.startswith("/__api__/v1/tasks/")]
    assert len(polls) == 4  # three unfinished answers, then the finished one


def test_pins_python_sees_a_failed_deploy(
    pinspy: PinsPy, pins_connect_server: ConnectServer
) -> None:
    pins_connect_server.faults.fail_deploys = True
    env = {"EMU_URL": pins_connect_server.url, "EMU_KEY": pins_connect_server.api_key("susan")}
    # the failed task (finished, code 1) is how Connect reports it; pins-python raises on it
    with pytest.raises(AssertionError, match=r"RsConnectApiRequestError.*injected fault"):
        pinspy.run(FAULTY, env=env)


CACHED = r"""
import json, os, warnings
import pandas as pd
import pins
import requests

warnings.simplefilter("ignore")
url = os.environ["EMU_URL"]
board = pins.board_connect(server_url=url, api_key=os.environ["EMU_KEY"])  # with a cache
board.pin_write(pd.DataFrame({"x": [1]}), "susan/cached", type="csv")
requests.get(url + "/__ping__?mark=first-read")
board.pin_read("susan/cached")
requests.get(url + "/__ping__?mark=cached-read")
board.pin_read("susan/cached")
print(json.dumps({"ok": True}))
"""


def test_counting_pins_python_requests_per_read(
    pinspy: PinsPy, pins_connect_server: ConnectServer, tmp_path: Path
) -> None:
    """The request log is how tests count requests per operation (SPEC's request budget)."""
    env = {
        "EMU_URL": pins_connect_server.url,
        "EMU_KEY": pins_connect_server.api_key("susan"),
        "PINS_CACHE_DIR": str(tmp_path / "pinspy-cache"),
    }
    assert pinspy.run(CACHED, env=env) == {"ok": True}
    log = pins_connect_server.requests
    marks = [i for i, r in enumerate(log) if r.query.startswith("mark=")]
    first_read = log[marks[0] + 1 : marks[1]]
    cached_read = log[marks[1] + 1 :]
    assert all(r.status == 200 for r in first_read + cached_read)
    # pins-python 0.9.2 resolves user, content and bundles again even when its cache is warm:
    # 15 requests for a cached read (33 for the first one)
    assert len(cached_read) == 15
    assert len(first_read) > len(cached_read)
