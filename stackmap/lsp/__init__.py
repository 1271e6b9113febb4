"""The language server: diagnostics, navigation, completion, hover, rename and quick fixes over the
incremental workspace (:mod:`stackmap.load.workspace`). Start it with ``stackmap lsp``."""
