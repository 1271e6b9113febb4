"""The link to stackmap that SARIF gives as ``tool.driver.informationUri``, from the first source that has one.

1. ``STACKMAP_INFORMATION_URI``, set by whoever runs the job (the GitHub Action sets it to the
   repository the action was used from);
2. the home page in the installed package's metadata (``[project.urls]`` in ``pyproject.toml``);
3. the repository of a VCS install (``pip install "stackmap @ git+https://…"``), as PEP 610's
   ``direct_url.json`` records it, without a trailing ``.git``;
4. none: the key is left out.

Only an absolute ``https://`` URL with a host is used. User name, password or token before the host
are dropped, so a link never carries a credential; a VCS URL also loses its query and fragment.
A bad ``STACKMAP_INFORMATION_URI`` is skipped (the next source is used): :func:`env_problem` says
why, for the command line to print.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from urllib.parse import urlsplit, urlunsplit

ENV = "STACKMAP_INFORMATION_URI"
HOME_PAGE_LABELS = ("homepage", "home-page", "home", "documentation", "source", "repository")


def information_uri(env: Mapping[str, str] | None = None,
                    dist: metadata.Distribution | None = None) -> str | None:
    """The first link the environment (default ``os.environ``) or the distribution (default the
    installed ``stackmap``) gives; ``None`` when none does."""
    given = from_env(os.environ if env is None else env)
    if given:
        return given
    return _installed() if dist is None else from_distribution(dist)


def from_env(env: Mapping[str, str]) -> str | None:
    """``STACKMAP_INFORMATION_URI`` cleaned of any user information; ``None`` when unset or not usable."""
    return https_url(env.get(ENV, "").strip())


def env_problem(env: Mapping[str, str]) -> str | None:
    """Why ``STACKMAP_INFORMATION_URI`` is skipped (the value itself is not repeated: it may hold a
    token); ``None`` when it is unset, empty or usable."""
    value = env.get(ENV, "").strip()
    if not value:
        return None
    reason = _problem(value)
    return f"{ENV} is not used for SARIF's informationUri: {reason}" if reason else None


def from_distribution(dist: metadata.Distribution) -> str | None:
    """The home page the distribution's metadata names, else the https repository it was installed from."""
    return (from_project_urls(dist.metadata.get_all("Project-URL") or [])
            or from_direct_url(_read(dist, "direct_url.json")))


def from_project_urls(entries: list[str]) -> str | None:
    """The first https link among ``Project-URL`` entries (``label, url``), by :data:`HOME_PAGE_LABELS`."""
    by_label = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        by_label[label.strip().lower()] = url.strip()
    return next((url for url in (https_url(by_label.get(k, "")) for k in HOME_PAGE_LABELS) if url), None)


def from_direct_url(text: str | None) -> str | None:
    """The repository URL of PEP 610's ``direct_url.json`` for a VCS install (one with ``vcs_info``),
    when it is https; ``None`` for a local or archive install and for a file that is not such JSON."""
    if not text:
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("vcs_info"), dict):
        return None
    url = https_url(data.get("url"))
    if url is None:
        return None
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.removesuffix(".git"), "", ""))


def https_url(value: object) -> str | None:
    """``value`` as an absolute https URL without user information; ``None`` when it is not one."""
    if not isinstance(value, str) or _problem(value):
        return None
    parts = urlsplit(value)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(("https", host, parts.path, parts.query, parts.fragment))


def _problem(value: str) -> str | None:
    if not value.isascii() or not value.isprintable() or " " in value:
        return "it holds spaces, control or non-ASCII characters"
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return "it is not a URL"
    if parts.scheme.lower() != "https":
        return "it is not an https:// URL"
    if not parts.hostname:
        return "it names no host"
    return None


@cache
def _installed() -> str | None:
    try:
        dist = metadata.distribution("stackmap")
    except metadata.PackageNotFoundError:
        return None
    return from_distribution(dist)


def _read(dist: metadata.Distribution, name: str) -> str | None:
    try:
        return dist.read_text(name)
    except (OSError, ValueError):  # unreadable, or not UTF-8
        return None
