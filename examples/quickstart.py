"""A tour of pins on a local folder board: run with `make demo`.

Pins a data frame in several types, a dict and a file, shows versions, metadata and a
read-back, and prints where the board lives.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

import pins


def main() -> None:
    where = Path(os.environ.get("PINS_DEMO_BOARD") or tempfile.mkdtemp(prefix="pins-demo-"))
    board = pins.board_folder(where)

    sales = pd.DataFrame(
        {
            "month": pd.date_range("2024-01-01", periods=6, freq="MS"),
            "region": ["north", "south", "north", "south", "north", "océan"],
            "revenue": [120.5, 98.25, 133.0, 101.75, 140.125, float("nan")],
            "units": [12, 9, 13, 10, 14, 3],
        }
    )

    # A data frame, in each of the table formats every pins implementation reads.
    for pin_type in ("parquet", "arrow", "csv"):
        meta = board.pin_write(
            sales,
            f"sales_{pin_type}",
            type=pin_type,
            title=f"Monthly sales ({pin_type})",
            metadata={"source": "quickstart", "rows": len(sales)},
        )
        assert meta.version is not None
        print(f"wrote {meta.name:14} {meta.type:8} version {meta.version.version}")

    # A dict is stored as json; writing it again makes a second version.
    board.pin_write({"alpha": 0.05, "methods": ["lm", "glm"]}, "settings", title="Model settings")
    board.pin_write({"alpha": 0.01, "methods": ["lm", "glm"]}, "settings", title="Model settings")
    # Writing identical content again is a no-op: no third version.
    board.pin_write({"alpha": 0.01, "methods": ["lm", "glm"]}, "settings")

    # Any files, pinned as they are.
    notes = Path(tempfile.mkdtemp()) / "notes.md"
    notes.write_text("# Notes\nRevenue for June is provisional.\n", encoding="utf-8")
    board.pin_upload(notes, "notes", title="Analyst notes")

    print("\npins on the board:", board.pin_list())
    print("\nversions of 'settings':")
    print(board.pin_versions("settings").to_string(index=False))

    first = board.pin_versions("settings", as_df=False)[0].version
    print("\nfirst version of settings:", board.pin_read("settings", version=first))
    print("latest version of settings:", board.pin_read("settings"))

    meta = board.pin_meta("sales_parquet")
    print(
        f"\nmetadata of sales_parquet: title={meta.title!r} hash={meta.pin_hash} "
        f"created={meta.created} user={meta.user}"
    )
    back = board.pin_read("sales_parquet", hash=meta.pin_hash[:5])  # checks the hash
    print("\nread back (parquet keeps every dtype):")
    print(back.dtypes.to_string())
    print("\nsearch 'sales':", list(board.pin_search("sales")["name"]))
    print("notes file:", board.pin_download("notes")[0])

    board.write_board_manifest()
    print(f"\nThe board lives in {board.path}")


if __name__ == "__main__":
    main()
