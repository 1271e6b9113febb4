"""One module per import format; each provides ``read(paths, options) -> Draft`` and ``SUFFIXES``."""
