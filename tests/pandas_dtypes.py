"""Dtype names as the installed pandas gives them.

The fixtures' expected dtypes were recorded under pandas 3, whose text columns are
``str``; pandas 2 reads the same columns as ``object`` (as pins-python does under it).
"""

from __future__ import annotations

import pandas as pd

TEXT = str(pd.Series(["text"]).dtype)


def as_this_pandas(dtypes: dict[str, str]) -> dict[str, str]:
    """``dtypes`` recorded under pandas 3, named as the installed pandas names them."""
    return {column: TEXT if name == "str" else name for column, name in dtypes.items()}
