"""Commands beyond ``check`` and ``rules``: one module per command, registered in :mod:`stackmap.cli`.

A command module imports only the standard library and typer at module level (the CLI imports it
to build ``--help``); everything heavy is imported inside the command function.
"""
