"""A pins-python user's local pins: what pins-python 0.9.2 writes with ``board_local()``
is what our ``board_local()`` reads, with no setting, and the other way round."""

from __future__ import annotations

from pathlib import Path

import pytest

import pins

from ..pinspy import PinsPy

pytestmark = pytest.mark.interop


def test_board_local_is_shared_with_pinspy(
    pinspy: PinsPy, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PINS_DATA_DIR")
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path / "home")}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    script = """
    import json, os
    import pins
    assert "PINS_DATA_DIR" not in os.environ
    board = pins.board_local()
    board.pin_write({"from": "pins-python"}, "theirs", type="json")
    print(json.dumps({"path": str(board.board), "ours": board.pin_read("ours")}))
    """
    pins.board_local().pin_write({"from": "pins"}, "ours")
    answer = pinspy.run(script, env=env)
    assert Path(answer["path"]) == pins.board_local().path == tmp_path / "data" / "pins-py"
    assert answer["ours"] == {"from": "pins"}
    assert pins.board_local().pin_read("theirs") == {"from": "pins-python"}
