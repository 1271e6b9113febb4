"""One module per export format; each provides ``export(inventory) -> str`` (``csv``: ``export_files``)."""
