"""The parent and the helper of a two-core parse work side by side and part cleanly.

``load`` starts the helper at the first cache miss; the file it is on is the parent's own, which it
must parse at once rather than wait for the helper's first frame: with two large files (the helper
gets the last one) the two parses must run side by side. Once the parent has the helper's last
frame it closes the helper, which is then on its way out and must be let exit, not killed.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import pytest

from stackmap.load import parallel
from stackmap.load.limits import DEFAULT_LIMITS, Limits
from stackmap.load.sources import Source
from stackmap.load.validate import prepare


def _slow(source: Source, limits: Limits) -> Any:
    time.sleep(3)  # a large file
    return prepare(source, limits)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks")
def test_asking_for_a_file_that_is_not_the_helpers_does_not_wait_for_the_helper() -> None:
    sources = [Source(f"f{i}.yaml", b"systems:\n  - {id: s%d, name: S}\n" % i, False) for i in range(3)]
    helper = parallel.Helper(sources, [1, 2], DEFAULT_LIMITS, work=_slow)
    try:
        started = time.monotonic()
        assert helper.take(0) is None  # the parent's own file: parse it now
        waited = time.monotonic() - started
    finally:
        helper.close()
    assert waited < 1.0, f"the parent waited {waited:.1f} s for the helper before parsing its own file"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks")
def test_a_helper_that_sent_its_last_file_is_let_exit_not_killed(monkeypatch: pytest.MonkeyPatch) -> None:
    """The parent closes the helper as soon as it has read its last frame; a helper still on its
    way out then (a busy machine) exits with 0 instead of being killed."""
    serve = parallel._serve

    def slow_to_exit(*args: Any, **kwargs: Any) -> None:
        serve(*args, **kwargs)
        time.sleep(0.3)  # the last frame is out; the exit is slow

    monkeypatch.setattr(parallel, "_serve", slow_to_exit)
    sources = [Source(f"f{i}.yaml", b"systems:\n  - {id: s%d, name: S}\n" % i, False) for i in range(3)]
    helper = parallel.Helper(sources, [1, 2], DEFAULT_LIMITS)
    try:
        assert helper.take(1) is not None and helper.take(2) is not None
    finally:
        helper.close()
    assert helper.status == 0
