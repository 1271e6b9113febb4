"""Where the preview's configuration can come from, so that saving, creating or deleting it reloads it.

The configuration is ``--config`` or ``.stackmap.yaml`` found upward from the first inventory path
(or the current folder) to the git work tree root; ``.stackmap-waivers.yaml`` is found upward from the
configuration's folder (``stackmap.analysis.config_file``). The folders of those walks are watched, not
recursively, for those names only: an editor that saves by renaming a new file over the old one is
seen, and so is a configuration created while the preview runs. The baseline is not watched: the
report page shows every finding, baselined or not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from ..analysis.config import CONFIG_NAME, WAIVERS_NAME
from ..analysis.config_file import search_folders


@dataclass(frozen=True)
class ConfigFiles:
    """The configuration files a preview started with ``--config explicit`` from ``start`` may read."""

    explicit: Path | None
    start: Path

    @cached_property
    def folders(self) -> list[Path]:
        """The folders a configuration or waivers file is looked for in, nearest first."""
        return search_folders(self.explicit.parent if self.explicit is not None else self.start)

    @cached_property
    def _resolved(self) -> frozenset[Path]:
        return frozenset(f.resolve() for f in self.folders)

    def holds(self, path: Path) -> bool:
        """Whether a change to ``path`` may change the configuration."""
        if self.explicit is not None and path.resolve() == self.explicit.resolve():
            return True
        names = (WAIVERS_NAME,) if self.explicit is not None else (CONFIG_NAME, WAIVERS_NAME)
        return path.name in names and path.parent.resolve() in self._resolved
