"""Meta <-> data.txt, plain metadata, name rules and the version-name format."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import numpy as np
import pytest
import yaml

from pins.errors import PinsMetadataError, PinsNameError
from pins.hashing import combine_hashes, hash_files
from pins.meta import Meta, plain_metadata
from pins.names import (
    as_utc,
    make_version_name,
    parse_created,
    parse_version_name,
    validate_pin_name,
    validate_version,
)

R_DATA_TXT = """\
file: iris.csv
file_size: 4026
pin_hash: 58ab158a1835682e
type: csv
title: Iris été
description: ~
tags: ~
created: 20261125T185700Z
api_version: 1.0
user:
  rows: 150
"""


def test_reads_r_data_txt() -> None:
    meta = Meta.from_yaml(R_DATA_TXT, name="iris")
    assert meta.api_version == 1.0 and isinstance(meta.api_version, float)
    assert meta.title == "Iris été" and meta.description is None and meta.tags is None
    assert meta.user == {"rows": 150} and meta.file_names == ["iris.csv"]
    assert meta.created_datetime == datetime(2026, 11, 25, 18, 57, tzinfo=timezone.utc)


def test_written_data_txt_round_trips_and_is_plain_yaml() -> None:
    meta = Meta(
        title="T",
        description=None,
        created="20240101T000000Z",
        pin_hash="ab" * 8,
        file=["a.csv", "b.csv"],
        file_size=[1, 2],
        type="file",
        user={"when": date(2024, 1, 2), "n": [1, 2]},
        tags=["x"],
    )
    text = meta.to_yaml()
    assert "!!" not in text  # no python-specific tags
    data = yaml.safe_load(text)
    assert list(data)[:4] == ["file", "file_size", "pin_hash", "type"]
    assert "urls" not in data and "name" not in data and "version" not in data
    back = Meta.from_yaml(text, name="p")
    assert back.replace(name=None) == meta
    assert back.to_dict()["file"] == ["a.csv", "b.csv"]


def test_plain_metadata_conversions_and_refusals() -> None:
    assert plain_metadata({"a": np.int32(2), "b": np.bool_(True), "c": (1, np.float64(2.5))}) == {
        "a": 2,
        "b": True,
        "c": [1, 2.5],
    }
    for bad in ({1: "int key"}, {"d": Decimal("1.5")}, {"s": {1, 2}}, {"o": object()}):
        with pytest.raises(PinsMetadataError):
            plain_metadata(bad)


_BASE = {"file": "x", "file_size": 1, "pin_hash": "a", "type": "csv", "created": "x"}


@pytest.mark.parametrize(
    "changes",
    [
        {},  # no api_version
        {"api_version": 1, "file": [], "file_size": []},
        {"api_version": 1, "file_size": True},
        {"api_version": 1, "file": ["a", "b"], "file_size": [1]},
        {"api_version": 1, "file": ["a", "a"], "file_size": [1, 1]},
        {"api_version": 1, "user": [1]},
        {"api_version": "one"},
    ],
)
def test_invalid_data_txt(changes: dict[str, object]) -> None:
    with pytest.raises(PinsMetadataError):
        Meta.from_pin_dict({**_BASE, **changes})


def test_legacy_v0() -> None:
    meta = Meta.from_pin_dict({"path": ["data.csv", "data.rds"], "type": "table", "rows": 3})
    assert meta.is_legacy and meta.file == ["data.csv", "data.rds"]
    assert meta.unknown_fields == {"rows": 3}


@pytest.mark.parametrize("good", ["sales", "Sales-2024_v1.x", "été", "a b"])
def test_good_names(good: str) -> None:
    assert validate_pin_name(good) == good


@pytest.mark.parametrize(
    "bad", ["", ".", "..", "a/b", "a\\b", "../x", "_pins.yaml", ".hidden", "x\n", " lead", 3]
)
def test_bad_names(bad: object) -> None:
    with pytest.raises(PinsNameError):
        validate_pin_name(bad)


def test_versions() -> None:
    assert validate_version("20240115T120000Z-1d065") == "20240115T120000Z-1d065"
    assert validate_version("101") == "101"
    with pytest.raises(PinsNameError):
        validate_version("../101")


def test_version_names_are_utc_with_five_hex() -> None:
    local = datetime(2024, 1, 15, 13, 0, 0, tzinfo=timezone(timedelta(hours=1)))
    assert make_version_name(local, "1d065984920c68e6") == "20240115T120000Z-1d065"
    assert parse_version_name("20240115T120000Z-1d065") == (
        datetime(2024, 1, 15, 12, tzinfo=timezone.utc),
        "1d065",
    )
    assert parse_version_name("not-a-version") is None
    assert parse_version_name("20241315T120000Z-1d065") is None  # month 13
    with pytest.raises(ValueError):
        parse_created("2024-01-15")
    naive = datetime(2024, 6, 1, 12, 0, 0, 123456)
    assert as_utc(naive) == naive.astimezone().astimezone(timezone.utc).replace(microsecond=0)


def test_multi_file_hash(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "a").write_bytes(b"a")
    (tmp_path / "b").write_bytes(b"b")
    combined, digests = hash_files([tmp_path / "a", tmp_path / "b"])
    assert len(digests) == 2 and combined == combine_hashes(digests) and combined not in digests
    assert hash_files([tmp_path / "a"])[0] == digests[0]
