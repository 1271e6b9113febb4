"""``stackmap serve``: the report page as a live preview on 127.0.0.1, updated when a file is saved."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .options import ConfigOpt, PathsArg

DEFAULT_TITLE = "Marketing-technology stack"


def register(app: typer.Typer) -> None:
    app.command(name="serve")(serve)


def serve(
    paths: PathsArg = None,
    port: Annotated[Optional[int], typer.Option(
        "--port", "-p", metavar="N", show_default=False,
        help="Port on 127.0.0.1 to listen on (default: a free one, printed).")] = None,
    title: Annotated[str, typer.Option("--title", help="The page's title.", metavar="TEXT")] = DEFAULT_TITLE,
    config: ConfigOpt = None,
) -> None:
    """Serve the report page at http://127.0.0.1:PORT and update it within a second of a file being saved.

    Bound to the loopback interface only. Saving the configuration (.stackmap.yaml, the waivers)
    applies it. While the inventory or the configuration is invalid the page keeps the last valid
    picture under a banner listing the problems. Stop with Ctrl-C.
    """
    from ..errors import UsageError
    from ..load.limits import Limits
    from ..load.workspace import Workspace
    from ..serve.config_files import ConfigFiles
    from ..serve.page import Preview
    from ..serve.server import Live
    from ..serve.server import serve as run
    from .options import setup, today

    if port is not None and not 0 <= port <= 65535:
        raise UsageError(f"--port {port}: expected a port number from 0 to 65535")
    if not title.strip():
        raise UsageError("--title must not be empty")
    inventory_paths, cfg = setup(paths, config)
    workspace = Workspace(inventory_paths, cfg.exclude, Limits.from_env())
    workspace.scan()
    live = Live(Preview(workspace, title, cfg), today, lambda: setup(paths, config))
    # where setup() looks for the configuration: from the first path given, else the current folder
    config_files = ConfigFiles(config, paths[0] if paths else Path.cwd())

    def ready(url: str) -> None:
        sys.stdout.write(f"stackmap: serving {url} (Ctrl-C to stop)\n")
        sys.stdout.flush()

    try:
        run(live, port or 0, config_files, ready)
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{port or 0}: {exc.strerror}") from None
    except KeyboardInterrupt:
        sys.stderr.write("stackmap: stopped\n")
