"""Read the uploads of the suite: CSV text (``read_csv_rows``) and the first sheet of an XLSX workbook in
bounded memory and time (``read_xlsx_rows``); both need an Odoo env for their translated errors and return
``[(line_number, [cells])]``. Every upload path (warranty import, batch reception) reads through them.

An XLSX file is a zip of XML parts, and neither the zip nor the XML can be trusted:

- openpyxl's read-only reader pads every row to the width the sheet declares in its
  ``<dimension ref="A1:XFD2000"/>``, so a 1.5 KB sheet of 2,000 one-cell rows declaring 16,384 columns made
  it allocate 250 MiB (2,000 x 16,384 cells; declaring the whole sheet would take the server down). We drop
  the declared dimension and ask for at most ``max_rows + 1`` rows of ``max_columns + 1`` cells: one more than
  the limit, to see that a sheet goes beyond it. A value further right or further down, past empty columns
  or rows, is not read at all (ignored, not refused).
- the parts other than the sheets (shared strings, styles) are read whole into memory, so the zip is checked
  first: number of parts, total unpacked size (the sizes declared by the zip are upper bounds: ``zipfile``
  stops at the declared size and fails on the checksum), compression ratio of the large parts, and a fifth
  of the unpacked limit for each part that is not a worksheet.

Limits (system parameters): ``aftersales_warranty.xlsx_max_rows`` (100,000),
``aftersales_warranty.xlsx_max_columns`` (50), ``aftersales_warranty.xlsx_max_unpacked_mb`` (50).
"""

import contextlib
import csv
import io
import logging
import zipfile
from xml.etree import ElementTree

import openpyxl
from openpyxl.xml.constants import (
    ARC_APP,
    ARC_CONTENT_TYPES,
    ARC_CORE,
    ARC_SHARED_STRINGS,
    ARC_STYLE,
    ARC_THEME,
    ARC_WORKBOOK,
    WORKSHEET_TYPE,
)

from odoo.exceptions import UserError
from odoo.tools.misc import formatLang

_logger = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 100_000
DEFAULT_MAX_COLUMNS = 50
DEFAULT_MAX_UNPACKED_MB = 50
# an XLSX has about ten parts; images and extra sheets add a few
MAX_PARTS = 1000
# real sheets compress 10 to 20 times; only parts above 1 MiB are checked (small parts vary more)
MAX_RATIO = 100
RATIO_MIN_SIZE = 1 << 20
# the parts read whole into memory (shared strings, styles...) take several times their size once parsed:
# each may use a fifth of the unpacked limit (10 MB by default; the strings of 100,000 rows take about 6 MB)
LOADED_PART_SHARE = 5


def decode_csv(env, data):
    """Text of an uploaded CSV file: UTF-8 (with or without BOM) or UTF-16 with a BOM; a clear error naming
    the first undecodable line otherwise (a Windows-1256 or binary file)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        # UTF-16 by its byte-order mark; when it is not UTF-16 after all, the error below says what to save
        # the file as
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise UserError(
            env._(
                "Line %(line)s: the file is not UTF-8 text (it may be a Windows-1256 or binary file). "
                "Save it as 'CSV UTF-8' and import it again.",
                line=line,
            )
        ) from error


def read_csv_rows(env, content):
    """``[(line_number, [cells])]`` of CSV ``content`` (bytes of an upload or pasted text), with its
    delimiter guessed among comma, semicolon, tab and bar; a malformed line is refused with its number."""
    return list(iter_csv_rows(env, content))


def iter_csv_rows(env, content):
    """The rows of :func:`read_csv_rows` one at a time, for files too large to hold as a list: the decoded
    text is read line by line (no copy of it as a stream, no list of rows). Errors are raised while iterating, at
    the first row for a file that cannot be decoded, at the malformed line otherwise."""
    text = decode_csv(env, content) if isinstance(content, bytes) else content
    del content  # the caller's reference aside, only the decoded text is kept while the rows are read
    if "\x00" in text:
        raise UserError(env._("The file contains binary data: it is not a CSV text file."))
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    sample = "\n".join(text.split("\n", 20)[:20])
    delimiter = ","
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        if "\t" in sample:
            delimiter = "\t"
        elif ";" in sample and "," not in sample:
            delimiter = ";"
    reader = csv.reader(_text_lines(text), delimiter=delimiter, strict=True)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise UserError(
            env._("Line %(line)s is malformed: %(error)s", line=reader.line_num + 1, error=str(error))
        ) from error


def _text_lines(text):
    """The lines of ``text`` with their ``\\n``, one at a time (``io.StringIO`` would copy the whole text
    at four bytes a character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def xlsx_limits(env):
    """Return ``(max_rows, max_columns, max_unpacked_mb)`` from the system parameters (defaults if unset)."""
    params = env["ir.config_parameter"].sudo()

    def number(key, default):
        try:
            value = int(params.get_param(key) or default)
        except ValueError:
            _logger.warning("system parameter %s is not a whole number: %s is used", key, default)
            return default
        return value if value > 0 else default

    return (
        number("aftersales_warranty.xlsx_max_rows", DEFAULT_MAX_ROWS),
        number("aftersales_warranty.xlsx_max_columns", DEFAULT_MAX_COLUMNS),
        number("aftersales_warranty.xlsx_max_unpacked_mb", DEFAULT_MAX_UNPACKED_MB),
    )


def read_xlsx_rows(env, data):
    """Read the values of the first sheet of the XLSX workbook ``data`` (bytes), within the limits.

    Returns ``[(row_number, values)]`` up to the last row holding a value, ``values`` a tuple of cell
    values (``None`` for an empty cell, trailing empty cells dropped). Raises a translated ``UserError``
    naming the reason for a file that is not a workbook, a damaged workbook, or a workbook beyond the limits
    (:func:`xlsx_limits`); never reads more than ``max_rows + 1`` rows of ``max_columns + 1`` cells.
    """
    max_rows, max_columns, max_unpacked_mb = xlsx_limits(env)
    _check_xlsx_archive(env, data, max_unpacked_mb)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except SyntaxError as error:  # broken XML (xml.etree and lxml parse errors are SyntaxErrors)
        raise _damaged_error(env, error) from error
    except Exception as error:  # noqa: BLE001 - any failure of the reader means the workbook is unreadable
        _logger.info("unreadable XLSX upload: %r", error)
        raise UserError(
            env._("The file is not a valid XLSX workbook: save it again as .xlsx (Excel or LibreOffice) or as CSV.")
        ) from error
    try:
        if not workbook.worksheets:
            raise UserError(env._("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        # the declared dimension is the attacker's: forget it, read real cells only
        sheet.reset_dimensions()
        return _read_sheet_rows(env, sheet, max_rows, max_columns)
    finally:
        workbook.close()


def _read_sheet_rows(env, sheet, max_rows, max_columns):
    rows = []
    try:
        iterator = sheet.iter_rows(max_row=max_rows + 1, max_col=max_columns + 1, values_only=True)
        for number, row in enumerate(iterator, start=1):
            values = _trim_row(row)
            if not values:
                continue  # kept below only when a later row holds a value
            if len(values) > max_columns or number > max_rows:
                raise UserError(_too_large_message(env, number, len(values), max_rows, max_columns))
            rows.extend((empty, ()) for empty in range(len(rows) + 1, number))
            rows.append((number, values))
    except UserError:
        raise
    except Exception as error:  # noqa: BLE001 - broken XML, bad cell references, bad numbers...
        raise _damaged_error(env, error) from error
    return rows


def _damaged_error(env, error):
    # the parser's own text stays in the log: it means nothing to the user and may reach a portal agent
    _logger.info("damaged XLSX upload: %r", error)
    return UserError(
        env._("The workbook is damaged: its first sheet cannot be read. Save it again as .xlsx or as CSV.")
    )


def _trim_row(row):
    values = list(row)
    while values and (values[-1] is None or (isinstance(values[-1], str) and not values[-1].strip())):
        values.pop()
    return tuple(values)


def _too_large_message(env, row, width, max_rows, max_columns):
    def number(value):
        return formatLang(env, value, digits=0)

    if width > max_columns:
        return env._(
            "Row %(row)s has values beyond column %(columns)s: at most %(max_rows)s rows and %(max_columns)s "
            "columns are read. Keep only the columns to import.",
            row=number(row),
            columns=number(max_columns),
            max_rows=number(max_rows),
            max_columns=number(max_columns),
        )
    return env._(
        "The sheet has more than %(max_rows)s rows: at most %(max_rows)s rows and %(max_columns)s columns are "
        "read. Split the file.",
        max_rows=number(max_rows),
        max_columns=number(max_columns),
    )


def _check_xlsx_archive(env, data, max_unpacked_mb):
    """Refuse what is not a zip, and a zip too large or too compressed to unpack."""
    if not data:
        raise UserError(env._("The file is empty."))
    if not data.startswith(b"PK"):
        raise UserError(
            env._(
                "The file is not an XLSX workbook (it may be a CSV or an old .xls file renamed .xlsx): save it "
                "as .xlsx or upload it as .csv."
            )
        )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            _check_part_sizes(env, parts, max_unpacked_mb)
            streamed = _streamed_parts(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as error:
        raise UserError(env._("The file is not a valid XLSX workbook: the zip archive is damaged.")) from error
    loaded_limit = max_unpacked_mb * 1024 * 1024 // LOADED_PART_SHARE
    for part in parts:
        if part.filename not in streamed and part.file_size > loaded_limit:
            raise UserError(
                env._(
                    "The workbook part %(part)s unpacks to %(size)s MB: at most %(max)s MB are read for a part "
                    "other than a sheet.",
                    part=part.filename,
                    size=formatLang(env, part.file_size / 1024 / 1024, digits=1),
                    max=formatLang(env, loaded_limit / 1024 / 1024, digits=1),
                )
            )


def _check_part_sizes(env, parts, max_unpacked_mb):
    """Number of parts, total unpacked size and compression ratio; ``zipfile`` never unpacks more than the
    size a part declares, so the declared sizes are safe upper bounds."""
    if len(parts) > MAX_PARTS:
        raise UserError(
            env._(
                "The workbook holds %(count)s parts: at most %(max)s are read.",
                count=formatLang(env, len(parts), digits=0),
                max=formatLang(env, MAX_PARTS, digits=0),
            )
        )
    unpacked = sum(part.file_size for part in parts)
    if unpacked > max_unpacked_mb * 1024 * 1024:
        raise UserError(
            env._(
                "The workbook unpacks to %(size)s MB: at most %(max)s MB are read. Split the file.",
                size=formatLang(env, unpacked / 1024 / 1024, digits=0),
                max=formatLang(env, max_unpacked_mb, digits=0),
            )
        )
    for part in parts:
        if part.file_size > RATIO_MIN_SIZE and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise UserError(
                env._(
                    "The workbook part %(part)s is compressed %(ratio)s times: at most %(max)s times is accepted "
                    "(the file looks like a zip bomb).",
                    part=part.filename,
                    ratio=formatLang(env, part.file_size / max(part.compress_size, 1), digits=0),
                    max=formatLang(env, MAX_RATIO, digits=0),
                )
            )


def _streamed_parts(archive):
    """Names of the parts the read-only reader streams: those declared as worksheets and as nothing else,
    other than the parts openpyxl reads whole from fixed names (styles, properties, theme, relations)."""
    if ARC_CONTENT_TYPES not in archive.namelist():
        return set()
    if archive.getinfo(ARC_CONTENT_TYPES).file_size > RATIO_MIN_SIZE:
        return set()  # the size check of loaded parts refuses it
    try:
        manifest = ElementTree.fromstring(archive.read(ARC_CONTENT_TYPES))
    except ElementTree.ParseError:
        return set()  # openpyxl refuses the workbook
    declared = {}
    for element in manifest:
        if element.tag.endswith("}Override"):
            declared.setdefault((element.get("PartName") or "").lstrip("/"), set()).add(element.get("ContentType"))
    read_whole = {ARC_APP, ARC_CONTENT_TYPES, ARC_CORE, ARC_SHARED_STRINGS, ARC_STYLE, ARC_THEME, ARC_WORKBOOK}
    return {
        name
        for name, types in declared.items()
        if types == {WORKSHEET_TYPE} and name not in read_whole and not name.endswith(".rels")
    }
