"""``stackmap lsp``: the language server over stdin and stdout, for editors."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command(name="lsp")(lsp)


def lsp() -> None:
    """Run the language server (LSP over stdio): diagnostics, go to definition, completion and more.

    Editors start it; see docs/editors.md. It reads `.stackmap.yaml` from the workspace folder (again
    whenever it or the waivers file changes) and checks every inventory file there, using the
    editor's unsaved buffers. The STACKMAP_MAX_* limits apply as for `stackmap check`.
    """
    from ..load.limits import Limits
    from ..lsp.server import run

    Limits.from_env()  # a bad STACKMAP_MAX_* value is a usage error here, before the editor connects
    run()
