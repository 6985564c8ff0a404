"""Which files of a project's assets/ may be published, and the check of an SVG.

A file in assets/ (and the project logo) is copied into the site as is, so it must not be
something a browser runs: only images, fonts, PDF and CSV are copied, chosen by the file's
extension. An SVG is a document that can hold script, so it is parsed and refused unless
every element is on an allow-list of drawing elements and no attribute runs script or loads
anything from elsewhere (an SVG that passes is copied byte for byte; one that fails is
refused with the element or attribute at fault, so the user can clean it).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from sitegen.errors import DataError

RASTER = ("png", "jpg", "jpeg", "gif", "webp", "avif", "ico")
FONTS = ("woff", "woff2", "ttf", "otf")
DOCUMENTS = ("pdf", "csv")
SAFE_TYPES = (*RASTER, "svg", *FONTS, *DOCUMENTS)
ALLOWED_TEXT = (
    "images ("
    + ", ".join(RASTER)
    + ", svg without script), fonts ("
    + ", ".join(FONTS)
    + "), pdf, csv"
)

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Editor namespaces whose elements browsers ignore (Inkscape, Sodipodi, RDF metadata).
INERT_NS = (
    "http://www.inkscape.org/namespaces/inkscape",
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://inkscape.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "http://creativecommons.org/ns#",
    "http://web.resource.org/cc/",
    "http://purl.org/dc/elements/1.1/",
    "http://purl.org/dc/terms/",
)
# Drawing elements only: no script, foreignObject, iframe, animation (set/animate can write
# an href), no handler or listener.
_ELEMENTS = """svg g defs symbol use title desc metadata switch a view
    path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop pattern clipPath mask marker image style
    filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix
    feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB
    feFuncG feFuncR feGaussianBlur feImage feMerge feMergeNode feMorphology feOffset
    fePointLight feSpecularLighting feSpotLight feTile feTurbulence"""
SVG_ELEMENTS = frozenset(_ELEMENTS.split())
# href values that stay inside the file: a fragment, or an embedded raster image.
_LOCAL_HREF = re.compile(r"^\s*(#|data:image/(png|jpeg|gif|webp);)", re.I)
# url(...) that is not url(#id): a reference to another file or host.
_EXTERNAL_URL = re.compile(r"url\(\s*['\"]?\s*(?!#)", re.I)
_SCRIPT_URL = re.compile(r"(java|vb)script\s*:", re.I)


def suffix(name: str) -> str:
    """Return a file name's extension, lower-case, without the dot ('' when none)."""
    return name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""


def check_asset(name: str, data: bytes, *, key: str | None = None) -> bytes:
    """Return data when a file of this name may be published; raise DataError naming it.

    name is the file's path in the project (shown in the message); key the setting that
    names the file (project.logo), if any.
    """
    kind = suffix(name)
    if kind not in SAFE_TYPES:
        raise DataError(
            "this type of file is not copied into the site: a browser could run it",
            file=name,
            key=key,
            expected=ALLOWED_TEXT,
            found=f".{kind}" if kind else "a file without an extension",
            hint="move the file out of assets/ (put pages in pages/ as Markdown)",
        )
    if kind == "svg":
        problem = svg_problem(data)
        if problem is not None:
            raise DataError(
                "the SVG is refused: it could run script or load something from elsewhere",
                file=name,
                key=key,
                expected="a drawing without script, event handlers or external references",
                found=problem,
                hint="remove it (or export the drawing again as plain SVG, or as PNG)",
            )
    return data


def svg_problem(data: bytes) -> str | None:
    """Return what makes an SVG unsafe to publish as is, or None when it is a plain drawing."""
    head = data[:4096].lower()
    if b"<!entity" in data.lower() or (b"<!doctype" in head and b"[" in head.split(b"<svg")[0]):
        return "an entity declaration (<!ENTITY or an internal DOCTYPE subset)"
    if b"<?xml-stylesheet" in data.lower():
        return "an <?xml-stylesheet?> instruction"
    try:
        root = ET.fromstring(data)  # noqa: S314 - entities refused above; expat loads no file
    except ET.ParseError as exc:
        return f"not a well-formed SVG ({exc})"
    except (RecursionError, ValueError) as exc:
        return f"not a readable SVG ({type(exc).__name__})"
    if _local(root.tag) != "svg" or _ns(root.tag) not in ("", SVG_NS):
        return f"the root element is <{_local(root.tag)}>, not <svg>"
    for el in root.iter():
        if not isinstance(el.tag, str):  # comments and processing instructions
            continue
        problem = _element_problem(el)
        if problem is not None:
            return problem
    return None


def _element_problem(el: ET.Element) -> str | None:
    ns, name = _ns(el.tag), _local(el.tag)
    if ns in INERT_NS:
        pass
    elif ns not in ("", SVG_NS) or name not in SVG_ELEMENTS:
        return f"the element <{name}>"
    for attr, value in el.attrib.items():
        local = _local(attr)
        if local.lower().startswith("on"):
            return f'the event handler {local}="{_short(value)}" on <{name}>'
        if local == "href" and not _LOCAL_HREF.match(value):
            return f'the reference {local}="{_short(value)}" on <{name}>'
        if _SCRIPT_URL.search(value) or _EXTERNAL_URL.search(value):
            return f'the attribute {local}="{_short(value)}" on <{name}>'
    if name == "style" and el.text:
        css = el.text
        if _EXTERNAL_URL.search(css) or "@import" in css.lower() or _SCRIPT_URL.search(css):
            return "a <style> that loads something from elsewhere (url(...) or @import)"
    return None


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."
