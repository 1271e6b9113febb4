"""Graphviz SVG made fit to sit inline in an HTML page, several diagrams to a page.

The SVG comes from our own DOT, whose labels are escaped, but it is sanitised all the same: no
element that runs or loads anything (``script``, ``foreignObject``, ``iframe``, ``image`` ...), no
``on*`` event attribute, no ``style`` attribute, no link other than to a fragment in the same
drawing. Then it is prepared for the page: every ``id`` gets the diagram's prefix (two diagrams
draw the same system), the fixed size gives way to the ``viewBox`` (the page pans and zooms), each
system node says which system it is (``data-system``) and can be reached with the keyboard, each
flow says its ends (``data-from``, ``data-to``), and the full tooltip becomes the node's
``<title>``.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from ..errors import StackmapError

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
_FORBIDDEN = frozenset({
    "script", "foreignobject", "iframe", "object", "embed", "image", "audio", "video", "canvas",
    "animate", "animatemotion", "animatetransform", "set", "handler", "listener", "style", "use",
})
"""Elements removed with their content (local names, lower-cased)."""
_LINK_ATTRS = frozenset({"href", f"{{{XLINK_NS}}}href"})
_URL_REF = re.compile(r"url\(#([^)]*)\)")


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def sanitise(root: ET.Element) -> None:
    """Remove what could run or load anything, in place."""
    for parent in list(root.iter()):
        for child in list(parent):
            if not isinstance(child.tag, str) or _local(child.tag).lower() in _FORBIDDEN:
                parent.remove(child)
    for element in root.iter():
        for key in list(element.attrib):
            name = _local(key).lower()
            value = element.attrib[key]
            if name.startswith("on") or name == "style":
                del element.attrib[key]
            elif key in _LINK_ATTRS and not value.startswith("#"):
                del element.attrib[key]
            elif "url(" in value.replace(" ", "").lower() and not _URL_REF.fullmatch(value.strip()):
                del element.attrib[key]


def inline(svg_text: str, prefix: str, label: str, names: dict[str, str]) -> str:
    """``svg_text`` (Graphviz output) as an ``<svg>`` element for an HTML page: sanitised, ids
    prefixed with ``prefix-``, labelled ``label``, system nodes named from ``names``."""
    try:
        root = ET.fromstring(svg_text)
    except ET.ParseError as exc:
        raise StackmapError(f"cannot read the SVG Graphviz wrote: {exc}") from None
    if root.tag != f"{{{SVG_NS}}}svg":
        raise StackmapError("cannot read the SVG Graphviz wrote: its root is not <svg>")
    sanitise(root)
    _prepare(root, prefix, label, names)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode", short_empty_elements=True)


def _prepare(root: ET.Element, prefix: str, label: str, names: dict[str, str]) -> None:
    for key in ("width", "height"):
        root.attrib.pop(key, None)
    root.set("class", "diagram")
    root.set("role", "group")
    root.set("aria-label", label)
    root.set("id", prefix)
    title_tag = f"{{{SVG_NS}}}title"
    anchor_tag = f"{{{SVG_NS}}}a"
    tooltip_key = f"{{{XLINK_NS}}}title"
    for element in root.iter():
        ident = element.get("id")
        if ident is not None and element is not root:
            element.set("id", f"{prefix}-{ident}")
        for key, value in element.attrib.items():
            if key in _LINK_ATTRS and value.startswith("#"):
                element.set(key, f"#{prefix}-{value[1:]}")
            elif key != "id" and "url(#" in value:
                element.set(key, _URL_REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", value))
        kind = element.get("class")
        if kind not in ("node", "edge") or ident is None:
            continue
        tooltip = None
        for anchor in element.iter(anchor_tag):
            tooltip = anchor.attrib.pop(tooltip_key, None) or tooltip
        title = element.find(title_tag)
        if title is not None and tooltip:
            title.text = tooltip
        if kind == "node" and ident.startswith("system_"):
            sid = ident[len("system_"):]
            element.set("data-system", sid)
            element.set("tabindex", "0")
            element.set("role", "button")
            element.set("aria-label", f"{names.get(sid, sid)} ({sid}): show details")
        elif kind == "edge" and ident.startswith("flow_"):
            ends = ident[len("flow_"):].split("_")  # system ids never contain "_"
            if len(ends) == 2:
                element.set("data-from", ends[0])
                element.set("data-to", ends[1])
