"""An SVG file is published only as a plain drawing: one allowlist of elements, namespaces and addresses.

Inside a page's <img> an SVG cannot run anything, but a reader (or an attacker's link) can open the file on its
own, and the browser then runs it as a document of the newsroom's address: its scripts, event handlers,
javascript: links, animations that rewrite a link, HTML inside <foreignObject>, entities that expand into markup
and XSLT style sheets that turn it into a page. Drawing programs write none of these in a plain export.
"""

from __future__ import annotations

import re

from lxml import etree

from newsroom.kit.errors import clipped
from newsroom.model.sanitize import url_allowed

SVG_SUFFIX = ".svg"
SVG = "http://www.w3.org/2000/svg"

# What a drawing is made of: shapes, text, paint, clipping, filters, and the structure holding them.
DRAWING_ELEMENTS = frozenset(
    {
        *("svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch", "view", "style", "a"),
        *("path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan", "textPath", "image"),
        *("clipPath", "mask", "pattern", "marker", "linearGradient", "radialGradient", "stop", "filter"),
        *("feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix"),
        *("feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA"),
        *("feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology"),
        *("feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence"),
    }
)
# The editors' own records (Inkscape, Sodipodi, RDF licence and Dublin Core metadata): browsers keep elements of
# these namespaces inert. Any other namespace (XHTML, MathML…) is refused: its elements can be live.
METADATA_NAMESPACES = frozenset(
    {
        "http://www.inkscape.org/namespaces/inkscape",
        "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
        "http://creativecommons.org/ns#",
        "http://purl.org/dc/elements/1.1/",
    }
)
# Pictures embedded in the drawing itself (an SVG one could hold a script of its own, so it is not among them).
_EMBEDDED_PICTURE = re.compile(r"^data:image/(?:png|jpeg|gif|webp);", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
# A DOCTYPE with declarations of its own ("<!DOCTYPE svg [ … ]>"): its entities can expand into markup and its
# attribute lists can give elements default attributes (an onload= nobody wrote on the element). Read in the
# tree's own serialisation, which quotes every literal the same way and escapes text.
_INTERNAL_SUBSET = re.compile(r'<!DOCTYPE\s+[^\s\[>]+(?:\s+(?:PUBLIC\s+"[^"]*"\s+"[^"]*"|SYSTEM\s+"[^"]*"))?\s*\[')
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)

EXPECTED = "expected a plain drawing: export it again as plain SVG, without scripts, interactivity or links"


def drawing_problems(data: bytes) -> list[str]:
    """What in this SVG file could run when it is opened on its own (one line each); empty for a plain drawing."""
    try:
        tree = etree.ElementTree(etree.fromstring(data, _PARSER))
    except (etree.XMLSyntaxError, ValueError) as error:
        return [f"is not a well-formed SVG file ({_first_line(error)}; {EXPECTED})"]
    found: list[str] = []
    if _INTERNAL_SUBSET.search(etree.tostring(tree, encoding="unicode")):
        found.append(f"declares its own DTD or entities, which can expand into markup ({EXPECTED})")
    root = tree.getroot()
    if _name(root) not in ((SVG, "svg"), ("", "svg")):
        found.append(f"its outermost element is <{root.tag}>, not <svg> ({EXPECTED})")
    outside = [*root.itersiblings(preceding=True), *root.itersiblings()]
    for node in [*outside, *root.iter()]:
        found += _node_problems(node)
    return list(dict.fromkeys(found))


def _node_problems(node) -> list[str]:
    if isinstance(node, etree._ProcessingInstruction):
        return [f"has the instruction <?{node.target} …?>, which can restyle or transform the file ({EXPECTED})"]
    if isinstance(node, etree._Entity):
        return [f"uses the entity &{node.name};, which can expand into markup ({EXPECTED})"]
    if not isinstance(node.tag, str):
        return []  # a comment
    namespace, local = _name(node)
    # An element without a namespace is inert (a file without xmlns is plain XML, not a drawing), but it is held
    # to the same names: the rule is simpler to read, and such a file is fixed by adding xmlns, nothing else.
    if namespace in (SVG, "") and local not in DRAWING_ELEMENTS:
        return [f"has a <{local}> element, which can run or load code when the file is opened ({EXPECTED})"]
    if namespace not in (SVG, "") and namespace not in METADATA_NAMESPACES:
        return [f"has a <{local}> element from the namespace {namespace or 'none'!r} ({EXPECTED})"]
    found = []
    for attribute, value in node.attrib.items():
        name = etree.QName(attribute).localname
        if name.lower().startswith("on"):
            found.append(f"has an event handler {name}= on <{local}>, which runs a script ({EXPECTED})")
        elif name == "href" and not _address_allowed(value):
            found.append(f"links <{local}> to {clipped(value)!r} (expected a #name in the file, http(s) or an image)")
    return found


def _address_allowed(value: str) -> bool:
    compact = _CONTROL.sub("", value)
    return compact.startswith("#") or bool(_EMBEDDED_PICTURE.match(compact)) or url_allowed(compact)


def _name(element) -> tuple[str, str]:
    qualified = etree.QName(element)
    return qualified.namespace or "", qualified.localname


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
