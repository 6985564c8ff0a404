"""Markdown pages: front matter, rendering and sanitising the HTML they may contain."""

from __future__ import annotations

import re

import markdown
import nh3

from sitegen.config.limits import DEFAULT_LIMITS, hint, setting
from sitegen.errors import ConfigError

# What Markdown pages may contain after rendering: formatting, links, images, tables; no
# scripts, styles, forms, iframes or event handlers. URLs only http(s), mailto and relative.
ALLOWED_TAGS = {
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "details",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "u",
    "ul",
}
ALLOWED_ATTRS = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "abbr": {"title"},
    "*": {"id"},
}


def sanitize_html(html: str) -> str:
    """Return html with everything outside the allowlist removed (nh3)."""
    attrs = {k: set(v) for k, v in ALLOWED_ATTRS.items() if k != "*"}
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=attrs,
        generic_attribute_prefixes=set(),
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


# Tags whose opening tag alone takes in everything after it when a page is parsed: foreign
# content and the raw-text elements. None of them is allowed on a page.
_SWALLOWING = re.compile(
    r"<\s*(svg|math|style|script|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b",
    re.I,
)


_FIRST_TAG = re.compile(r"\s*<\s*/?\s*([A-Za-z][A-Za-z0-9-]*)")


class _CleanSwallowingHtml(markdown.postprocessors.Postprocessor):  # type: ignore[misc]
    """Sanitise on its own each stashed raw HTML piece that is not an allowed tag.

    Parsed with the whole page, an unclosed ``<svg>``, ``<style>`` or unknown element can
    take the rest of the page with it (to be dropped by the sanitiser); cleaned on its own,
    it only takes itself. Allowed tags (``<b>``, ``<abbr>``) wait for the whole-page pass,
    which sees them with their closing tags.
    """

    def run(self, text: str) -> str:
        stash = self.md.htmlStash
        for i, piece in enumerate(stash.rawHtmlBlocks):
            if not isinstance(piece, str):
                continue
            first = _FIRST_TAG.match(piece)
            if _SWALLOWING.search(piece) or (first and first.group(1).lower() not in ALLOWED_TAGS):
                stash.rawHtmlBlocks[i] = sanitize_html(piece)
        return text


# Python-Markdown's link and emphasis patterns are quadratic in the nesting of brackets: an
# 80 kB page of nested "[" took minutes. No real page nests brackets this deep.
MAX_BRACKET_DEPTH = 64


def _bracket_depth(text: str) -> int:
    """Return how deeply square brackets nest in text (unbalanced closers are ignored)."""
    depth = deepest = 0
    # Scanning only the bracket characters keeps this linear and fast on large pages.
    for ch in re.findall(r"[\[\]]", text):
        if ch == "[":
            depth += 1
            deepest = max(deepest, depth)
        elif depth:
            depth -= 1
    return deepest


# Python-Markdown's link parser (LinkInlineProcessor.getLink) looks for the ")" that closes a
# "[text](" character by character, to the end of the paragraph; when there is none it moves
# on to the next "[". A page of "[a](" repeated is then quadratic: 80 kB took 72 s. Pages whose
# unclosed link parentheses would make it scan more than this many characters in all get
# those parentheses escaped (a backslash before the "("), which renders the same text and keeps
# the parser linear.
MAX_LINK_SCAN = 1_000_000
# A page is a few kB of prose. Python-Markdown's inline pass rebuilds a paragraph's text for
# every link, emphasis or code span in it (quadratic with a small constant): at this size a
# page of nothing but inline markup still renders in under 10 s. The default of the
# project's [limits] max_page_chars (config.limits.Limits).
MAX_PAGE_CHARS = DEFAULT_LIMITS.max_page_chars

_PARENS = re.compile(r"\\.|\]\(|[()]", re.S)


def _unclosed_link_parens(text: str) -> tuple[list[int], int]:
    """Return the offsets of "(" after "]" that no ")" closes, and the parser's scan for them.

    One pass with a stack, as the link parser counts nested parentheses (quotes aside).
    """
    stack: list[tuple[int, bool]] = []
    for m in _PARENS.finditer(text):
        mark = m.group()
        if mark == "](":
            stack.append((m.start() + 1, True))
        elif mark == "(":
            stack.append((m.start(), False))
        elif mark == ")" and stack:
            stack.pop()
    unclosed = [pos for pos, link in stack if link]
    return unclosed, sum(len(text) - pos for pos in unclosed)


def _escape_unclosed_links(text: str) -> str:
    """Return text with unclosed link parentheses escaped when they would cost too much."""
    unclosed, scan = _unclosed_link_parens(text)
    if scan <= MAX_LINK_SCAN:
        return text  # every ordinary page: rendered exactly as written
    parts: list[str] = []
    last = 0
    for pos in unclosed:
        parts.append(text[last:pos])
        parts.append("\\")
        last = pos
    parts.append(text[last:])
    return "".join(parts)


def markdown_to_html(text: str, max_chars: int = MAX_PAGE_CHARS) -> str:
    """Render Markdown to sanitised HTML; max_chars is the project's [limits] max_page_chars."""
    if len(text) > max_chars:
        raise ConfigError(
            "the Markdown page is too long",
            expected=f"at most {max_chars:,} characters ({setting('max_page_chars')})",
            found=f"{len(text):,} characters",
            hint="split it into several pages; or " + hint("max_page_chars", "the page"),
        )
    text = _escape_unclosed_links(text)
    depth = _bracket_depth(text)
    if depth > MAX_BRACKET_DEPTH:
        raise ConfigError(
            "the Markdown nests square brackets too deeply",
            expected=f"brackets nested at most {MAX_BRACKET_DEPTH} levels",
            found=f"{depth} levels",
        )
    md = markdown.Markdown(extensions=["tables", "fenced_code", "sane_lists"], output_format="html")
    # An unclosed block-level tag makes the rest of the page one raw HTML block; <math> is
    # never allowed, so it is read as inline HTML and can only take its own paragraph.
    md.block_level_elements = [t for t in md.block_level_elements if t != "math"]
    # Before "raw_html" (priority 30), which puts the stashed pieces back into the page.
    md.postprocessors.register(_CleanSwallowingHtml(md), "clean_swallowing_html", 35)
    try:
        html = md.convert(text)
    except RecursionError:
        raise ConfigError(
            "the Markdown is nested too deeply",
            expected="lists and quotes nested at most a few hundred levels",
        ) from None
    return sanitize_html(html)


_FRONT = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Return (front matter as key -> text, body) for a '---' delimited header of key: value."""
    m = _FRONT.match(text)
    if not m:
        return {}, text
    meta: dict[str, str] = {}
    for line in m.group(1).splitlines():
        if ":" in line and not line.lstrip().startswith("#"):
            k, v = line.split(":", 1)
            meta[k.strip().lower()] = v.strip().strip("\"'")
    return meta, text[m.end() :]
