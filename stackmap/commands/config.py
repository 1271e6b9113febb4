"""``stackmap config``: print the effective configuration (or the shipped, commented default)."""

from __future__ import annotations

from typing import Annotated

import typer

from .options import ConfigOpt, PathsArg, choice_callback

FORMATS = ("yaml", "json")


def register(app: typer.Typer) -> None:
    app.command("config")(config_command)


def config_command(
    paths: PathsArg = None,
    config: ConfigOpt = None,
    format: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT",
                                        callback=choice_callback("format", FORMATS),
                                        help=f"Output format: {', '.join(FORMATS)}.")] = "yaml",
    default: Annotated[bool, typer.Option("--default", help="Print the shipped default configuration, "
                                          "with comments, to start a .stackmap.yaml from.")] = False,
) -> None:
    """Show the effective configuration: the file(s) it comes from, rules, options, waivers."""
    import json
    from pathlib import Path

    import yaml

    from ..analysis.config import DEFAULT_CONFIG, effective
    from ..analysis.config_file import load_config

    if default:
        typer.echo(DEFAULT_CONFIG.read_text(encoding="utf-8"), nl=False)
        return
    start = (paths or [Path.cwd()])[0]
    cfg = load_config(config, start)
    doc = effective(cfg)
    if format == "json":
        typer.echo(json.dumps({"sources": list(cfg.sources), **doc}, indent=2))
        return
    origin = ", ".join(cfg.sources) if cfg.sources else "built-in defaults (no .stackmap.yaml found)"
    typer.echo(f"# effective configuration from: {origin}")
    typer.echo(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=None, width=100),
               nl=False)
