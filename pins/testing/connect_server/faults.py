"""Fault injection: switches a test flips on a running server to see how a client copes."""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, field


@dataclass
class Faults:
    """What goes wrong, per server. Change the fields at any time; ``reset()`` clears them.

    Attributes
    ----------
    latency:
        Seconds added before every answer.
    error_rate:
        Share (0..1) of requests answered with HTTP 500, Connect code 1.
    drop_rate:
        Share (0..1) of requests whose connection is closed without an answer.
    task_polls:
        New deploy tasks stay unfinished for this many polls of ``GET /v1/tasks/{id}``; the
        deploy takes effect when the task finishes.
    task_seconds:
        New deploy tasks stay unfinished for this many seconds; a poll with ``wait`` holds
        (long polling) until the task finishes or ``wait`` seconds pass.
    fail_deploys:
        Deploy tasks finish with a non-zero ``code`` and change nothing.
    path_pattern:
        When set, ``latency``, ``error_rate`` and ``drop_rate`` only touch requests whose
        (slash-collapsed) path matches this regular expression (``re.search``).
    seed:
        Seed of the random draws for ``error_rate`` and ``drop_rate``.
    """

    latency: float = 0.0
    error_rate: float = 0.0
    drop_rate: float = 0.0
    task_polls: int = 0
    task_seconds: float = 0.0
    fail_deploys: bool = False
    path_pattern: str | None = None
    seed: int | None = None
    _random: random.Random = field(default_factory=random.Random, repr=False, compare=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seed is not None:
            self._random.seed(self.seed)

    def reset(self) -> None:
        """Switch every fault off."""
        self.latency = 0.0
        self.error_rate = 0.0
        self.drop_rate = 0.0
        self.task_polls = 0
        self.task_seconds = 0.0
        self.fail_deploys = False
        self.path_pattern = None

    def applies_to(self, path: str) -> bool:
        return self.path_pattern is None or re.search(self.path_pattern, path) is not None

    def draw(self) -> tuple[bool, bool]:
        """Whether this request is dropped, and whether it fails with a 500."""
        with self._lock:
            drop = self.drop_rate > 0 and self._random.random() < self.drop_rate
            fail = self.error_rate > 0 and self._random.random() < self.error_rate
        return drop, fail
