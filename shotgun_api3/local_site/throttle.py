"""Failed-login throttling: each failure slows the next try, too many lock the login or client address for a while.

A password is short and guessable, and a script key is checked in
microseconds; without a brake, anyone who reaches the port can try
thousands of guesses a second. Failures are counted per key (a login, a
script name, a client address) within a sliding window; past a threshold
the key is locked for ``lock_seconds``, and every failure before that costs
the caller a growing delay. Counts live in memory: a restart forgets them.
"""
from __future__ import annotations

import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable, Dict, Iterable, Optional


@dataclass
class AuthLimits:
    """The brakes on guessing credentials; every field is a setting.

    - ``failures_per_account``: failed tries of one login or script name within ``window_seconds`` before it is locked.
    - ``failures_per_address``: failed tries from one client address (any account) before the address is locked.
    - ``lock_seconds``: how long a lock lasts.
    - ``failure_delay`` / ``max_failure_delay``: each failure of a key already failing
      delays the answer by ``failure_delay`` times its recent failures, up to the max.
    """

    failures_per_account: int = 10
    failures_per_address: int = 100
    window_seconds: float = 15 * 60
    lock_seconds: float = 15 * 60
    failure_delay: float = 0.1
    max_failure_delay: float = 2.0


class Locked(Exception):
    """A key is locked; ``seconds`` is how long it stays so."""

    def __init__(self, key: str, seconds: float) -> None:
        super().__init__(key)
        self.key = key
        self.seconds = seconds


class Throttle:
    """Failure counts and locks per key, safe for many server threads."""

    def __init__(self, limits: Optional[AuthLimits] = None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.limits = limits or AuthLimits()
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._failures: Dict[str, deque] = {}
        self._locked_until: Dict[str, float] = {}

    def check(self, keys: Iterable[str]) -> None:
        """Raise :class:`Locked` if any of ``keys`` is locked now."""
        now = self._clock()
        with self._lock:
            for key in keys:
                until = self._locked_until.get(key)
                if until is None:
                    continue
                if until > now:
                    raise Locked(key, until - now)
                del self._locked_until[key]

    def failed(self, keys: Dict[str, int], delay_key: Optional[str] = None) -> None:
        """Count one failure for each key (key -> its threshold) and lock those past it.

        Then the caller waits ``failure_delay`` per earlier recent failure of
        ``delay_key`` (its account): guessing one password gets slower and slower,
        while a client address is only ever locked (many honest tests share 127.0.0.1).
        """
        limits = self.limits
        now = self._clock()
        horizon = now - limits.window_seconds
        recent = 0
        with self._lock:
            for key, threshold in keys.items():
                times = self._failures.setdefault(key, deque())
                while times and times[0] < horizon:
                    times.popleft()
                times.append(now)
                if key == delay_key:
                    recent = len(times)
                if len(times) >= threshold:
                    self._locked_until[key] = now + limits.lock_seconds
                    times.clear()
            if len(self._failures) > 100_000:
                self._forget_old(horizon)
        delay = min(limits.failure_delay * max(0, recent - 1), limits.max_failure_delay)
        if delay > 0:
            self._sleep(delay)

    def succeeded(self, key: str) -> None:
        """A right password clears the count of its login (the address keeps its own)."""
        with self._lock:
            self._failures.pop(key, None)

    def _forget_old(self, horizon: float) -> None:
        for key in [k for k, times in self._failures.items() if not times or times[-1] < horizon]:
            del self._failures[key]
