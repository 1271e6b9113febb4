"""``python -m stackmap``."""

from .cli import main

main()
