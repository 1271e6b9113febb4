"""Reading ArchiMate models into one shape, whatever the file format.

Three formats are read:

- the Open Group Model Exchange File Format **3.x** (ArchiMate 3.0, 3.1, 3.2: namespace
  ``http://www.opengroup.org/xsd/archimate/3.0/``; ``<name>``, ``Serving``, ``Realization``,
  ``<propertyDefinitions>``, ``<organizations>``);
- the exchange format **2.1** (ArchiMate 2: namespace ``http://www.opengroup.org/xsd/archimate``;
  ``<label>``, ``UsedByRelationship``, ``RealisationRelationship``, ``<propertydefs>``,
  ``<organization>``);
- **Archi's own** ``.archimate`` files (namespace ``http://www.archimatetool.com/archimate``; elements
  and relationships as ``<element xsi:type="archimate:...">`` in nested ``<folder>``\\ s, names and
  properties as attributes; ``accessType`` as a number), plain or in Archi's zip archive with images.

Type names are normalised (prefix and ``Relationship`` suffix dropped, British spellings and
``UsedBy`` read as the ArchiMate 3 names), so the mapping sees one vocabulary. Names and texts given
in several languages (``xml:lang``) are read in the language asked for, else the first one given.

Any other XML is refused, saying what the root element is. The XML is refused before parsing if it
declares a DOCTYPE or an ENTITY: no ArchiMate file needs one, and they are how XML attacks work.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field

XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"
XSI_LOCATION = "{http://www.w3.org/2001/XMLSchema-instance}schemaLocation"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NS_3 = "http://www.opengroup.org/xsd/archimate/3.0/"
NS_2 = "http://www.opengroup.org/xsd/archimate"
NS_ARCHI = "http://www.archimatetool.com/archimate"
_DECLARATION = re.compile(r"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
MAX_ARCHIVE_MODEL = 64 * 1024 * 1024

TYPE_SPELLINGS: dict[str, str] = {
    "UsedBy": "Serving", "Realisation": "Realization", "Specialisation": "Specialization",
    "AndJunction": "Junction", "OrJunction": "Junction", "BusinessActivity": "BusinessProcess",
    "CommunicationPath": "Path", "InfrastructureService": "TechnologyService",
    "InfrastructureInterface": "TechnologyInterface", "InfrastructureFunction": "TechnologyFunction",
}
"""ArchiMate 2 and old Archi type names → the ArchiMate 3 name."""

RELATIONSHIPS = frozenset({"Flow", "Triggering", "Serving", "Realization", "Assignment", "Composition",
                           "Aggregation", "Access", "Association", "Influence", "Specialization"})
ACCESS_NUMBERS = {"0": "Write", "1": "Read", "2": "Access", "3": "ReadWrite"}
"""Archi's ``accessType`` numbers (absent means write)."""
NOT_MODEL = frozenset({"ArchimateDiagramModel", "SketchModel", "CanvasModel", "DiagramModelReference"})


class NotArchiMate(Exception):
    """The file is not an ArchiMate model this importer reads; the message says what it is."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class Node:
    """An element or relationship of the model."""

    ident: str
    type: str
    name: str
    documentation: str
    properties: dict[str, str]
    source: str = ""
    target: str = ""
    access: str = ""
    folder: str = ""
    """The user folder (Archi) or organization item (exchange) path it sits in, ``/``-separated."""


@dataclass
class Model:
    file: str
    format: str
    """``Open Exchange 3.1``, ``Open Exchange 2.1``, ``Archi 4.9.0`` ..."""
    name: str = ""
    elements: dict[str, Node] = field(default_factory=dict)
    relationships: dict[str, Node] = field(default_factory=dict)
    languages: set[str] = field(default_factory=set)
    nested: dict[str, str] = field(default_factory=dict)
    """Element id → the element it is drawn inside in a view (the first view that nests it)."""


def parse(data: bytes, file: str, lang: str | None) -> Model:
    """The model in ``data``; :class:`NotArchiMate` (with a line) if it is not one this reads."""
    if data.startswith(b"PK\x03\x04"):
        data = _from_archive(data)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        text = data.decode("utf-8", errors="replace")
    found = _DECLARATION.search(text)
    if found:
        raise NotArchiMate(text.count("\n", 0, found.start()) + 1,
                           "a DOCTYPE or ENTITY declaration: refused (an ArchiMate file needs none, "
                           "and they are how XML entity attacks work)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise NotArchiMate(exc.position[0] if exc.position else 1, f"not well-formed XML: {exc}") from None
    namespace, _, local = root.tag[1:].partition("}") if root.tag.startswith("{") else ("", "", root.tag)
    reader = _Reader(lang)
    if local == "model" and namespace == NS_ARCHI:
        model = Model(file, f"Archi model file (Archi {root.get('version') or 'version not stated'})",
                      root.get("name", ""))
        reader.archi(root, model)
    elif local == "model" and namespace.rstrip("/") == NS_3.rstrip("/"):
        model = Model(file, f"Open Exchange {_version3(root)}")
        reader.exchange(root, model)
    elif local == "model" and namespace.rstrip("/") in (NS_2, NS_2 + "/2.1", NS_2 + "/2.0"):
        model = Model(file, "Open Exchange 2.1 (ArchiMate 2)")
        reader.exchange(root, model)
    elif local == "model" and namespace.startswith(NS_2):
        raise NotArchiMate(1, f"an ArchiMate exchange file in a version this does not read (namespace "
                           f"{namespace}): export it as Open Exchange 3.x or 2.1")
    else:
        shown = f"<{local}>" + (f" (namespace {namespace})" if namespace else " (no namespace)")
        raise NotArchiMate(1, f"not an ArchiMate model: the root element is {shown}; expected an Open "
                           "Exchange file (3.x or 2.1) or an Archi .archimate file")
    model.name = model.name or reader.text(root, "name") or reader.text(root, "label")
    model.languages = reader.languages
    return model


def _from_archive(data: bytes) -> bytes:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("model.xml")
            if info.file_size > MAX_ARCHIVE_MODEL:
                raise NotArchiMate(1, f"the model in the archive is {info.file_size:,} bytes: more than "
                                   f"{MAX_ARCHIVE_MODEL:,}")
            with archive.open(info) as handle:
                return handle.read(MAX_ARCHIVE_MODEL + 1)[:MAX_ARCHIVE_MODEL]
    except (KeyError, zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
        raise NotArchiMate(1, "a zip file that is not an Archi archive (no model.xml inside)") from None


def _version3(root: ET.Element) -> str:
    stated = root.get("version", "")
    location = root.get(XSI_LOCATION, "")
    minors = sorted(set(re.findall(r"/archimate/(3\.\d)/", location)))
    if minors and minors[-1] != "3.0":
        return f"{minors[-1]} (ArchiMate 3)"
    if re.fullmatch(r"3\.\d", stated):
        return f"{stated} (ArchiMate 3)"
    return "3.x (ArchiMate 3)"


def local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def normal_type(raw: str) -> str:
    kind = raw.rsplit(":", 1)[-1]
    if kind.endswith("Relationship") and kind != "Relationship":
        kind = kind[: -len("Relationship")]
    return TYPE_SPELLINGS.get(kind, kind)


class _Reader:
    def __init__(self, lang: str | None) -> None:
        self.lang = lang.lower() if lang else None
        self.languages: set[str] = set()

    def text(self, parent: ET.Element, name: str) -> str:
        """The ``<name>`` child's text in the language asked for, else the first given."""
        first: str | None = None
        for child in parent:
            if local(child.tag) != name:
                continue
            value = " ".join((child.text or "").split())
            language = (child.get(XML_LANG) or "").lower()
            if language:
                self.languages.add(language)
            if self.lang and language and (language == self.lang or language.split("-")[0] == self.lang):
                return value
            if first is None and value:
                first = value
        return first or ""

    # ---- exchange format (2.1 and 3.x) ------------------------------------------------------

    def exchange(self, root: ET.Element, model: Model) -> None:
        definitions: dict[str, str] = {}
        for holder in root:
            if local(holder.tag) in ("propertyDefinitions", "propertydefs"):
                for d in holder:
                    ident = d.get("identifier", "")
                    definitions[ident] = self.text(d, "name") or d.get("name", "") or ident
        folders: dict[str, str] = {}
        for holder in root:
            if local(holder.tag) in ("organizations", "organization"):
                for item in holder:
                    self._organize(item, [], folders, top=True)
        for holder in root:
            if local(holder.tag) == "elements":
                for e in holder:
                    if local(e.tag) == "element":
                        node = self._exchange_node(e, definitions, model)
                        node.folder = folders.get(node.ident, "")
                        model.elements[node.ident] = node
            elif local(holder.tag) == "views":
                for view in holder.iter():
                    if local(view.tag) == "view":
                        self._nesting(view, "", "elementRef", "node", model)
            elif local(holder.tag) == "relationships":
                for r in holder:
                    if local(r.tag) == "relationship":
                        node = self._exchange_node(r, definitions, model)
                        node.source, node.target = r.get("source", ""), r.get("target", "")
                        if node.type == "Access":
                            node.access = r.get("accessType") or "Write"
                        model.relationships[node.ident] = node

    def _organize(self, item: ET.Element, path: list[str], folders: dict[str, str], top: bool) -> None:
        if local(item.tag) != "item":
            return
        ref = item.get("identifierRef") or item.get("identifierref")
        if ref:
            folders.setdefault(ref, " / ".join(path))
            return
        label = self.text(item, "label") or self.text(item, "name")
        inner = path if top else [*path, label] if label else path
        for child in item:
            self._organize(child, inner, folders, top=False)

    def _exchange_node(self, e: ET.Element, definitions: dict[str, str], model: Model) -> Node:
        properties: dict[str, str] = {}
        for holder in e:
            if local(holder.tag) != "properties":
                continue
            for p in holder:
                if local(p.tag) != "property":
                    continue
                if p.get("key") is not None:
                    key, value = p.get("key", ""), p.get("value", "")
                else:
                    ref = p.get("propertyDefinitionRef") or p.get("identifierref") or p.get("identifierRef") or ""
                    key, value = definitions.get(ref, ref), self.text(p, "value")
                if key and value:
                    properties.setdefault(key, value)
        name = self.text(e, "name") or self.text(e, "label") or e.get("name", "")
        kind = normal_type(e.get(XSI_TYPE, "") or e.get("type", ""))
        return Node(e.get("identifier", "") or e.get("id", ""), kind, name,
                    self.text(e, "documentation"), properties)

    def _nesting(self, parent: ET.Element, outer: str, ref: str, tag: str, model: Model) -> None:
        """Record which element is drawn inside which, through nested view nodes."""
        stack = [(parent, outer)]
        while stack:
            here, around = stack.pop()
            for child in here:
                if local(child.tag) != tag:
                    continue
                element = child.get(ref) or ""
                if element and around:
                    model.nested.setdefault(element, around)
                stack.append((child, element or around))

    # ---- Archi's own format -----------------------------------------------------------------

    def archi(self, root: ET.Element, model: Model) -> None:
        for folder in root:
            if local(folder.tag) == "folder":
                self._folder(folder, [], model)

    def _folder(self, folder: ET.Element, path: list[str], model: Model) -> None:
        for child in folder:
            tag = local(child.tag)
            if tag == "folder":
                self._folder(child, [*path, child.get("name", "")] if child.get("name") else path, model)
            elif tag == "element":
                kind = normal_type(child.get(XSI_TYPE, ""))
                if kind in NOT_MODEL:
                    self._nesting(child, "", "archimateElement", "child", model)
                    continue
                properties: dict[str, str] = {}
                for p in child:
                    if local(p.tag) == "property" and p.get("key") and p.get("value"):
                        properties.setdefault(p.get("key", ""), p.get("value", ""))
                documentation = self.text(child, "documentation") or child.get("documentation", "")
                node = Node(child.get("id", ""), kind, " ".join(child.get("name", "").split()),
                            documentation, properties, folder=" / ".join(path))
                if kind in RELATIONSHIPS or child.get("source") is not None:
                    node.source, node.target = child.get("source", ""), child.get("target", "")
                    if kind == "Access":
                        raw = child.get("accessType", "0")
                        node.access = ACCESS_NUMBERS.get(raw, raw)
                    model.relationships[node.ident] = node
                else:
                    model.elements[node.ident] = node
