"""Hand-written XLSX files for the upload tests: good ones and the hostile ones an attacker would send.

Kept small on purpose (a few KB compressed); the tests of every upload path (warranty import, batch units,
agent portal) import them from ``odoo.addons.aftersales_warranty.tests.xlsx_samples``.
"""

import io
import tracemalloc
import zipfile
from contextlib import contextmanager
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
_PARTS = {
    "[Content_Types].xml": f'{_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
    f'Type="{_DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'{_HEAD}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'{_HEAD}<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
    f'Type="{_DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET = "xl/worksheets/sheet1.xml"
CONTENT_TYPES = _PARTS["[Content_Types].xml"]


def sheet_xml(rows, dimension=None, padding=0):
    """Sheet XML from ``rows``: ``[(row_number, [(column_number, text)])]``; ``padding`` spaces in sheetData."""
    parts = [f'{_HEAD}<worksheet xmlns="{_MAIN}">']
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>" + " " * padding)
    for row, cells in rows:
        parts.append(f'<row r="{row}">')
        for column, text in cells:
            ref = f"{get_column_letter(column)}{row}"
            parts.append(f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(text))}</t></is></c>')
        parts.append("</row>")
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def xlsx_file(sheet, content_types=None, **extra_parts):
    """A minimal workbook (zip) whose only sheet is the XML ``sheet``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _PARTS.items():
            archive.writestr(name, content_types if content_types and name == "[Content_Types].xml" else content)
        archive.writestr(SHEET, sheet)
        for name, content in extra_parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def xlsx_of_rows(lines, dimension=None):
    """A workbook with one text line per row: ``lines`` a list of lists of cell texts."""
    rows = [(number, list(enumerate(cells, start=1))) for number, cells in enumerate(lines, start=1)]
    return xlsx_file(sheet_xml(rows, dimension))


def dimension_bomb(lines, dimension="A1:XFD1048576"):
    """The reported attack: a few real cells under a dimension declaring the whole sheet (16,384 columns)."""
    return xlsx_of_rows(lines, dimension)


def padded_dimension_bomb():
    """The 2,000 one-cell rows declaring ``A1:XFD2000`` that made the old reader allocate 250 MiB."""
    return xlsx_file(sheet_xml([(row, [(1, "x")]) for row in range(1, 2001)], "A1:XFD2000"))


def zip_bomb_sheet():
    """A sheet part of 8 MiB (mostly blanks) packed about 1,000 times."""
    return xlsx_file(sheet_xml([(1, [(1, "x")])], padding=8 << 20))


def broken_xml_sheet(dimension=None):
    """A workbook whose sheet XML stops in the middle of a row (found on opening without a dimension, on
    reading the rows with one)."""
    return xlsx_file(sheet_xml([(1, [(1, "WC-1")]), (2, [(1, "WC-2")])], dimension)[:-40] + "<c r=")


# (label, content, pattern of the expected error), for every upload path
MALFORMED_FILES = [
    ("csv renamed .xlsx", b"code,failure\nWC-1,Noise\n", "not an XLSX workbook"),
    ("not a zip", b"\x00\x01binary\xff" * 20, "not an XLSX workbook"),
    ("damaged zip", b"PK\x03\x04garbage", "not a valid XLSX"),
    ("zip without workbook", None, "not a valid XLSX"),
    ("broken XML", None, "damaged"),
    ("broken XML after the dimension", None, "damaged"),
    ("zip bomb of the sheet", None, "compressed"),
]


def malformed_files():
    """``MALFORMED_FILES`` with the workbooks built."""
    built = {
        "zip without workbook": _zip_of(notes="just a zip"),
        "broken XML": broken_xml_sheet(),
        "broken XML after the dimension": broken_xml_sheet("A1:A2"),
        "zip bomb of the sheet": zip_bomb_sheet(),
    }
    return [(label, content or built[label], pattern) for label, content, pattern in MALFORMED_FILES]


def _zip_of(**parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@contextmanager
def peak_memory():
    """Measure the peak of Python allocations in the block: ``with peak_memory() as peak: ...; peak()``."""
    result = {}
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    start = tracemalloc.get_traced_memory()[0]
    try:
        yield lambda: result["peak"]
    finally:
        result["peak"] = tracemalloc.get_traced_memory()[1] - start
        if not was_tracing:
            tracemalloc.stop()
