"""Server-side checks of files uploaded from the portal: type by content, size by kind, clean names, count.

Files are read in chunks and never beyond their size limit (at most limit + 1 bytes), so a huge
upload costs no more memory than the largest accepted file.
"""

import base64
import os
import unicodedata

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
VIDEO_TYPES = ("video/mp4", "video/webm")
BATCH_EXTENSIONS = (".csv", ".xlsx")
CHUNK_SIZE = 64 * 1024
MAX_NAME_LENGTH = 100
# zero-width joiners are part of Persian spelling (half spaces): kept in names
_KEPT_FORMAT_CHARS = frozenset("\u200c\u200d")


def sniff_mimetype(head):
    """Return the media type of the allowed kinds from the first bytes, or ``None``."""
    if head[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp":
        return "video/mp4"
    if head[:4] == b"\x1a\x45\xdf\xa3":
        return "video/webm"
    return None


def clean_filename(name, default="file"):
    """A file name safe to store and show: its last path part only, without control or direction
    characters (such as the right-to-left override U+202E), without leading dots, at most
    ``MAX_NAME_LENGTH`` characters (the extension kept)."""
    name = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if char.isspace() else char
        for char in name
        if char in _KEPT_FORMAT_CHARS or char.isspace() or not unicodedata.category(char).startswith("C")
    )
    name = " ".join(name.split()).strip(" .")
    if not name:
        return default
    if len(name) > MAX_NAME_LENGTH:
        root, ext = os.path.splitext(name)
        ext = ext[:16]
        name = root[: MAX_NAME_LENGTH - len(ext)] + ext
    return name


def read_capped(storage, limit):
    """Read at most ``limit + 1`` bytes of an upload: more than ``limit`` bytes means too large."""
    chunks, size = [], 0
    while size <= limit:
        chunk = storage.stream.read(min(CHUNK_SIZE, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _upload_params(env):
    params = env["ir.config_parameter"].sudo()

    def number(key, default):
        try:
            return max(float(params.get_param(f"aftersales_portal.{key}", default)), 0)
        except (TypeError, ValueError):
            return default

    return {
        "photo": number("max_photo_mb", 10),
        "video": number("max_video_mb", 30),
        "batch": number("max_batch_mb", 5),
        "files": int(number("max_upload_files", 10)),
    }


def _too_many(env, count):
    return env._("Too many files: send at most %(count)s at once.", count=count)


def read_uploads(env, files, kinds=("photo", "video"), max_files=None):
    """Read werkzeug ``FileStorage`` objects and check their count, type and size.

    :param files: iterable of FileStorage (empty ones are skipped)
    :param kinds: which kinds are accepted here
    :param max_files: most files accepted at once; default: ``aftersales_portal.max_upload_files`` (10)
    :return: (attachments, errors): attachments as dicts ``name`` (cleaned), ``mimetype``, ``datas``
             (base64), ``kind``; errors as translated strings naming each rejected file. When there are
             too many files none is read.
    """
    params = _upload_params(env)
    max_files = params["files"] if max_files is None else max_files
    files = [storage for storage in files if storage and storage.filename]
    if len(files) > max_files:
        return [], [_too_many(env, max_files)]
    attachments, errors = [], []
    for storage in files:
        name = clean_filename(storage.filename)
        head = storage.stream.read(16)
        if not head:
            continue
        mimetype = sniff_mimetype(head)
        kind = "photo" if mimetype in PHOTO_TYPES else "video" if mimetype in VIDEO_TYPES else None
        if not kind or kind not in kinds:
            errors.append(
                env._(
                    "%(file)s: this type of file is not accepted (JPEG, PNG, WebP photos, MP4 or WebM videos).",
                    file=name,
                )
            )
            continue
        limit = int(params[kind] * 1024 * 1024)
        data = head + read_capped(storage, max(limit - len(head), 0))
        if len(data) > limit:
            errors.append(
                env._(
                    "%(file)s is too large: at most %(size)s MB for a %(kind)s.",
                    file=name,
                    size=params[kind],
                    kind=env._("photo") if kind == "photo" else env._("video"),
                )
            )
            continue
        attachments.append({"name": name, "mimetype": mimetype, "datas": base64.b64encode(data), "kind": kind})
    return attachments, errors


def read_batch_file(env, storage):
    """Read the CSV or XLSX file of the agents' batch form, size-capped, its content matching its name.

    :return: ``(name, data, errors)``: the cleaned name, the bytes (``False`` when no file) and
        translated errors; nothing is read beyond the size limit.
    """
    if not storage or not storage.filename:
        return False, False, []
    name = clean_filename(storage.filename)
    limit_mb = _upload_params(env)["batch"]
    if not name.lower().endswith(BATCH_EXTENSIONS):
        return name, False, [env._("%(file)s: upload a CSV or XLSX file.", file=name)]
    limit = int(limit_mb * 1024 * 1024)
    data = read_capped(storage, limit)
    if len(data) > limit:
        return name, False, [env._("%(file)s is too large: at most %(size)s MB.", file=name, size=limit_mb)]
    if not data:
        return name, False, [env._("%(file)s is empty.", file=name)]
    if name.lower().endswith(".xlsx"):
        if data[:4] != b"PK\x03\x04":
            return name, False, [env._("%(file)s is not an XLSX workbook: save it again as XLSX or CSV.", file=name)]
    elif b"\0" in data[:CHUNK_SIZE] or data[:4] == b"PK\x03\x04":
        return name, False, [env._("%(file)s is not a text CSV file: save it again as CSV (UTF-8).", file=name)]
    return name, data, []
