"""PDF reports that print right with the wkhtmltopdf Debian ships (0.12.6 on an unpatched Qt WebKit).

That build has two defects our documents hit:

* it ignores ``--header-html``/``--footer-html``: Odoo's layouts put the company header and footer
  there, so the page prints without them (and with an empty band the size of the header). With such
  a build the header and footer are moved into the page body instead, and the page margins shrink to
  ordinary ones. It also draws web fonts as outlines (no text in the PDF), so the documents print in
  installed fonts (Noto, DejaVu).
* its bidirectional text layout is wrong whenever one text node holds more than one bidi run (a colon
  after a Persian word, a number or a Latin code inside Persian text, Persian inside English text):
  the runs overlap, and right-to-left lines start past the right margin; and a right-to-left text
  node never wraps at the end of a line. A text node holding a single run prints right, so text that
  mixes directions is split into one element per run: numbers and codes in right-to-left text as a
  left-to-right override (``<bdo dir="ltr">``; this WebKit ignores ``unicode-bidi: isolate`` and the
  U+2066 isolates, and orders Persian digits right to left even in a left-to-right embedding), which
  also keeps phone numbers in their order; right-to-left runs as one ``<span>`` per word, so that
  lines wrap.

Both changes apply to the HTML given to wkhtmltopdf only; the HTML preview of a report is unchanged.
"""

import logging
import re
import subprocess
import unicodedata

import lxml.html
from lxml import etree

from odoo import models

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin

_logger = logging.getLogger(__name__)

# None until asked: whether the wkhtmltopdf binary lacks the patched Qt (no separate header/footer)
_UNPATCHED = None

# Bidi control characters: runs get explicit embeddings instead, and this WebKit mishandles isolates
_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
# Punctuation kept with an adjacent left-to-right run ("+98", "[WM-8]", "(2026-12-05)", "12%")
_OPENERS = "([{+-#"
_CLOSERS = ")]}%\u066a"
# Elements whose text is not laid out as inline text, or already says its direction
# more than one word
_WORDS = re.compile(r"\S+\s+\S")
_SKIP_TAGS = {"script", "style", "title", "head", "svg", "textarea", "pre", "bdo", "img"}


def wkhtmltopdf_is_unpatched():
    """True when the wkhtmltopdf binary runs on an unpatched Qt (``--version`` lacks "patched qt")."""
    global _UNPATCHED  # noqa: PLW0603 (computed once per process, like Odoo's wkhtmltopdf_state)
    if _UNPATCHED is None:
        try:
            out = subprocess.run(
                [_get_wkhtmltopdf_bin(), "--version"], capture_output=True, timeout=30, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            out = b""
        _UNPATCHED = bool(out) and b"patched qt" not in out.lower()
    return _UNPATCHED


def _bidi_class(char):
    """``R`` right-to-left letter, ``L`` left-to-right letter or digit, ``W`` space, ``J`` joiner or
    combining mark (stays in its run), ``P`` other neutral (punctuation)."""
    kind = unicodedata.bidirectional(char)
    if kind in ("R", "AL"):
        return "R"
    if kind in ("L", "EN", "AN"):
        return "L"
    if kind in ("WS", "S", "B"):
        return "W"
    if kind in ("BN", "NSM"):
        return "J"
    return "P"


def _ltr_continues(text, start, end, ahead):
    """Whether the left-to-right run ``text[start:end]`` goes on at ``ahead`` over the neutrals
    between. Across a space it goes on for words ("Washing Machine 8 kg"), inside brackets and for
    the groups of a phone number; dates and times stay apart so that a Persian reader reads a date
    before its time."""
    gap = text[end:ahead]
    if not any(char.isspace() for char in gap):
        return True
    run = text[start:end]
    following = text[ahead:].split(None, 1)[0]
    if any(char.isalpha() for char in run + following[:1]):
        return True
    before = text[:end]
    if sum(before.count(char) for char in "([{") > sum(before.count(char) for char in ")]}"):
        return True
    return all(char.isdigit() or char in "+-() " for char in run + gap + following)


def bidi_runs(text):
    """Split ``text`` into ``(kind, chunk)`` runs: ``R`` right-to-left words (with the spaces between
    them), ``L`` left-to-right words, numbers and codes (with the spaces and punctuation between them
    and their attached brackets and signs), ``N`` the neutral rest (spaces, punctuation)."""
    kinds = [_bidi_class(char) for char in text]
    size = len(text)
    runs = []
    start = 0
    while start < size:
        kind = kinds[start]
        end = start + 1
        if kind in ("L", "R"):
            while end < size:
                if kinds[end] in (kind, "J"):
                    end += 1
                    continue
                # neutrals stay in the run when the next strong character continues it; a
                # right-to-left run stops at punctuation (a colon in it is what this WebKit misplaces)
                ahead = end
                while ahead < size and (kinds[ahead] in ("W", "J") or (kind == "L" and kinds[ahead] == "P")):
                    ahead += 1
                if (
                    ahead < size
                    and ahead > end
                    and kinds[ahead] == kind
                    and (kind == "R" or _ltr_continues(text, start, end, ahead))
                ):
                    end = ahead
                    continue
                break
        else:
            kind = "N"
            while end < size and kinds[end] not in ("L", "R"):
                end += 1
        runs.append([kind, start, end])
        start = end
    # brackets and signs written against a left-to-right run belong to it
    for index, run in enumerate(runs):
        if run[0] != "L":
            continue
        if index and runs[index - 1][0] == "N":
            previous = runs[index - 1]
            while run[1] > previous[1] and text[run[1] - 1] in _OPENERS:
                run[1] -= 1
            previous[2] = run[1]
        if index + 1 < len(runs) and runs[index + 1][0] == "N":
            following = runs[index + 1]
            while run[2] < following[2] and text[run[2]] in _CLOSERS:
                run[2] += 1
            following[1] = run[2]
    return [(kind, text[start:end]) for kind, start, end in runs if start < end]


def _has_arabic_digits(text):
    return any("\u0660" <= char <= "\u0669" or "\u06f0" <= char <= "\u06f9" for char in text)


def _runs_to_split(text, direction):
    """The runs of ``text`` when it must be split in a ``direction`` context, else ``None``."""
    if not text or not text.strip():
        return None
    clean = text.translate(_BIDI_CONTROLS)
    runs = bidi_runs(clean)
    kinds = {kind for kind, _chunk in runs}
    if direction == "rtl":
        # left-to-right content (numbers, codes) is forced left to right, even alone
        needed = "L" in kinds or ("R" in kinds and len(runs) > 1)
    else:
        # this WebKit orders Persian digits as Arabic numbers: a Jalali date reads backwards
        needed = ("R" in kinds and len(runs) > 1) or _has_arabic_digits(clean)
    # right-to-left words only wrap at the end of a line when each is an element of its own
    needed = needed or any(kind == "R" and _WORDS.match(chunk.strip()) for kind, chunk in runs)
    return runs if needed or clean != text else None


def _word_nodes(chunk, parent=None):
    """One ``<span>`` per word (with the spaces after it), appended to ``parent`` when given."""
    nodes = []
    for word in re.findall(r"\S+\s*|\s+", chunk):
        node = etree.Element("span") if parent is None else etree.SubElement(parent, "span")
        node.text = word
        nodes.append(node)
    return nodes


def _run_nodes(runs, direction):
    """Elements for the runs of a text: left-to-right runs (no right-to-left letter in them) as
    ``<bdo dir="ltr">`` where they need it, so their words, digits and signs print in the order they
    are written; right-to-left runs as one span per word, embedded right to left in a left-to-right
    context."""
    nodes = []
    for kind, chunk in runs:
        if kind == "L" and (direction == "rtl" or _has_arabic_digits(chunk)):
            node = etree.Element("bdo", {"dir": "ltr"})
            node.text = chunk
            if not any(char.isspace() for char in chunk) or not any(char.isalpha() for char in chunk):
                # a code, number, date or phone number stays on one line
                node.set("style", "white-space: nowrap")
        elif kind == "R" and direction == "ltr":
            node = etree.Element("span", {"dir": "rtl"})
            _word_nodes(chunk, node)
        elif kind == "R":
            nodes.extend(_word_nodes(chunk))
            continue
        else:
            node = etree.Element("span")
            node.text = chunk
        nodes.append(node)
    return nodes


def fix_bidi_tree(element, direction="ltr"):
    """Split the text nodes under ``element`` that mix writing directions into one span per run."""
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIP_TAGS or not tag:
        return
    declared = (element.get("dir") or "").lower()
    if declared in ("rtl", "ltr"):
        direction = declared
    children = list(element)  # not the spans made here
    runs = _runs_to_split(element.text, direction)
    if runs:
        element.text = None
        for position, span in enumerate(_run_nodes(runs, direction)):
            element.insert(position, span)
    for child in children:
        fix_bidi_tree(child, direction)
        if not isinstance(child.tag, str):
            continue
        runs = _runs_to_split(child.tail, direction)
        if runs:
            child.tail = None
            anchor = child
            for span in _run_nodes(runs, direction):
                anchor.addnext(span)
                anchor = span


def _has_class(node, name):
    return name in (node.get("class") or "").split()


def _rename_class(node, old, new):
    node.set("class", " ".join(new if name == old else name for name in (node.get("class") or "").split()))


def inline_header_footer(root):
    """Move each layout header to the top of the document body that follows it and each footer to
    the end of the one before it, dropping the page counters only a separate footer can fill."""
    for header in root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' header ')]"):
        article = next((node for node in header.itersiblings() if _has_class(node, "article")), None)
        if article is None:
            continue
        _rename_class(header, "header", "o_report_body_header")
        article.insert(0, header)
    for footer in root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' footer ')]"):
        article = next((node for node in footer.itersiblings(preceding=True) if _has_class(node, "article")), None)
        if article is None:
            continue
        for counter in footer.xpath(".//span[contains(concat(' ', @class, ' '), ' page ')]"):
            holder = counter.getparent()
            if holder is not None and holder is not footer:
                holder.getparent().remove(holder)
        _rename_class(footer, "footer", "o_report_body_footer")
        article.append(footer)


def use_installed_fonts(root):
    """Mark each document body to print in installed fonts: this build draws web fonts (the
    layouts' Lato...) as outlines, leaving no text to select, search or extract."""
    for article in root.xpath("//div[contains(concat(' ', normalize-space(@class), ' '), ' article ')]"):
        article.set("class", f"{article.get('class')} o_report_installed_fonts")


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _prepare_html(self, html, report_model=False):
        root = lxml.html.fromstring(html, parser=lxml.html.HTMLParser(encoding="utf-8"))
        if wkhtmltopdf_is_unpatched():
            inline_header_footer(root)
            use_installed_fonts(root)
        body = root.find(".//body")
        if body is not None:
            fix_bidi_tree(body, (body.get("dir") or "ltr").lower())
        html = lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>")
        return super()._prepare_html(html, report_model=report_model)

    def _build_wkhtmltopdf_args(
        self, paperformat_id, landscape, specific_paperformat_args=None, set_viewport_size=False
    ):
        args = super()._build_wkhtmltopdf_args(
            paperformat_id,
            landscape,
            specific_paperformat_args=specific_paperformat_args,
            set_viewport_size=set_viewport_size,
        )
        if not wkhtmltopdf_is_unpatched():
            return args
        # the header and footer print in the body: no band to keep for them, no header options
        # (this build ignores them and says so on every print)
        margin = str(max(paperformat_id.margin_left or 0, 10)) if paperformat_id else "10"
        result = []
        skip = False
        for arg in args:
            if skip:
                skip = False
            elif arg in ("--margin-top", "--margin-bottom"):
                result.extend([arg, margin])
                skip = True
            elif arg == "--header-spacing":
                skip = True
            elif arg != "--header-line":
                result.append(arg)
        return result
