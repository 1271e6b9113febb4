import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

sys.path.insert(0, str(Path(__file__).parent))

pytest_plugins = ["daemon_helpers"]  # the daemon tests' fixtures (daemon, started, stack)

# Property tests assert behaviour, not speed: a slow or busy CI machine must not fail them on timing.
settings.register_profile("stackmap", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("stackmap")


@pytest.fixture(autouse=True, scope="session")
def _no_daemon() -> Iterator[None]:
    """Commands run by the tests run in their own process, whatever daemon the user may have started
    (``tests/test_daemon.py`` turns the daemon back on, in a folder of its own)."""
    old = os.environ.get("STACKMAP_DAEMON")
    os.environ["STACKMAP_DAEMON"] = "off"
    yield
    if old is None:
        del os.environ["STACKMAP_DAEMON"]
    else:
        os.environ["STACKMAP_DAEMON"] = old


@pytest.fixture(autouse=True, scope="session")
def _cache_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Commands run by the tests keep their cache out of the user's and the repository's folders."""
    old = os.environ.get("STACKMAP_CACHE_DIR")
    os.environ["STACKMAP_CACHE_DIR"] = str(tmp_path_factory.mktemp("stackmap-cache"))
    yield
    if old is None:
        del os.environ["STACKMAP_CACHE_DIR"]
    else:
        os.environ["STACKMAP_CACHE_DIR"] = old
