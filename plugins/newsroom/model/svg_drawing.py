"""An SVG file is published only as a plain drawing: one allowlist of elements, namespaces and addresses.

Inside a page's <img> an SVG cannot run anything, but a reader (or an attacker's link) can open the file on its
own, and the browser then runs it as a document of the newsroom's address: its scripts, event handlers,
javascript: links, animations that rewrite a link, HTML inside <foreignObject>, entities that expand into markup
and XSLT style sheets that turn it into a page. Drawing programs write none of these in a plain export. Nor does a
plain drawing load anything from another site (an <image>, a <use>, a style sheet's @import or url(), a paint
server in fill=): opened on its own, no page's Content-Security-Policy covers it, so what it loaded would tell
that site who opened it, and a style sheet there could change what the published drawing shows after review.
"""

from __future__ import annotations

import re

from lxml import etree

from newsroom.kit.errors import clipped
from newsroom.model.sanitize import site_path, url_allowed

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
# CSS that loads a file, read after its escapes are decoded (`u\72l(` is `url(`): every url() but one naming a
# #part of the drawing itself, and the constructs that load one without url() (a string after @import, image-set).
_CSS_ESCAPE = re.compile(r"\\(?:([0-9A-Fa-f]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(.?)", re.IGNORECASE | re.DOTALL)
_CSS_LOADS = re.compile(r"@import|@font-face|(?<![\w-])(?:-webkit-)?image(?:-set)?\(|(?<![\w-])src\(", re.IGNORECASE)
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
    # The sheet is every text in the element (an XML comment in it splits the text, and is not part of it).
    if local == "style" and (loads := _css_loads("".join(node.itertext()))):
        found.append(f"has a style sheet that loads a file when the drawing is opened: {loads} ({EXPECTED})")
    for attribute, value in node.attrib.items():
        name = etree.QName(attribute).localname
        if name.lower().startswith("on"):
            found.append(f"has an event handler {name}= on <{local}>, which runs a script ({EXPECTED})")
        elif name == "href" and not _address_allowed(local, value):
            found.append(
                f"links <{local}> to {clipped(value)!r} (expected a #name in the file, a picture in it, or a file of "
                "this site; only <a> may link to another site)"
            )
        elif name != "href" and (loads := _css_loads(value)):
            found.append(f"has {name}= on <{local}> that loads a file when the drawing is opened: {loads} ({EXPECTED})")
    return found


def _address_allowed(element: str, value: str) -> bool:
    """A link a reader follows (<a>) may go anywhere a page's may; what the drawing loads as it is drawn (an
    <image>, a <use>, a filter's <feImage>…) comes from the file itself or from this site."""
    compact = _CONTROL.sub("", value)
    if compact.startswith("#") or _EMBEDDED_PICTURE.match(compact):
        return True
    return url_allowed(compact) if element == "a" else site_path(compact) and url_allowed(compact)


def _css_loads(text: str) -> str | None:
    """What in this CSS (a <style> sheet, a style= or a paint attribute such as fill=) loads a file, or None."""
    css = _CSS_ESCAPE.sub(_css_character, text)
    if loading := _CSS_LOADS.search(css):
        return repr(clipped(css[loading.start() : loading.end() + 60]))
    for address in _CSS_URL.finditer(css):
        if address.group(1) != "#":
            return repr(clipped(css[address.start() : address.end() + 60]))
    return None


def _css_character(escape: re.Match) -> str:
    """A CSS escape, decoded as a browser decodes it (an escaped line end is nothing, as in a string)."""
    if escape.group(1) is None:
        return "" if escape.group(2) in "\n\r\f" else escape.group(2)
    code = int(escape.group(1), 16)
    return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"


def _name(element) -> tuple[str, str]:
    qualified = etree.QName(element)
    return qualified.namespace or "", qualified.localname


def _first_line(error: Exception) -> str:
    return str(error).splitlines()[0] if str(error) else type(error).__name__
