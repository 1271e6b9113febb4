"""The live preview (``stackmap serve``): the report page on 127.0.0.1, rebuilt when a file is saved."""
