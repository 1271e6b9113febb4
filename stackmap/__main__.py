"""``python -m stackmap``."""

from .daemon.client import main

main()
