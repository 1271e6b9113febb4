"""The two-core parse overlaps: the parent parses its own files while the helper parses its share.

``load`` starts the helper at the first cache miss; the file it is on is the parent's own, which it
must parse at once rather than wait for the helper's first frame: with two large files (the helper
gets the last one) the two parses must run side by side.
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
