"""The storage options that name a place or a mode, never a secret: what
:func:`pins.board_deparse` keeps of an object-store board's options, and what
``pin_files`` hands to other readers. Nothing here imports fsspec.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["PLACE_OPTIONS", "place_options", "protocol_place_options"]

#: Per fsspec protocol, the options that say where and how, not who.
PLACE_OPTIONS: dict[str, tuple[str, ...]] = {
    "s3": ("endpoint_url", "anon", "profile", "requester_pays", "client_kwargs"),
    "gs": ("project", "endpoint_url", "requester_pays"),
    "abfs": ("account_name", "anon"),
    "github": ("org", "repo", "sha"),
}
_ALIASES = {"s3a": "s3", "gcs": "gs", "az": "abfs", "abfss": "abfs"}
#: Of ``client_kwargs`` (botocore's), only these.
_CLIENT_KEYS = ("endpoint_url", "region_name")


def place_options(options: Mapping[str, Any], safe: Iterable[str]) -> dict[str, Any]:
    """The options among ``safe`` (``client_kwargs`` reduced to the endpoint and region).

    >>> place_options({"key": "k", "secret": "s", "client_kwargs": {"endpoint_url": "u",
    ...                "aws_session_token": "t"}}, PLACE_OPTIONS["s3"])
    {'client_kwargs': {'endpoint_url': 'u'}}
    """
    kept = {key: options[key] for key in safe if key in options}
    client = kept.get("client_kwargs")
    if isinstance(client, Mapping):
        kept["client_kwargs"] = {k: client[k] for k in _CLIENT_KEYS if k in client}
    elif "client_kwargs" in kept:
        del kept["client_kwargs"]
    return kept


def protocol_place_options(protocols: Iterable[str], options: Mapping[str, Any]) -> dict[str, Any]:
    """The place options of a filesystem of these protocols (none for an unknown one)."""
    for protocol in protocols:
        safe = PLACE_OPTIONS.get(_ALIASES.get(protocol, protocol))
        if safe is not None:
            return place_options(options, safe)
    return {}
