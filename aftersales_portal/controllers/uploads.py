"""Server-side checks of files uploaded from the portal (type by content, size by kind)."""

import base64

PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")
VIDEO_TYPES = ("video/mp4", "video/webm")


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


def read_uploads(env, files, kinds=("photo", "video")):
    """Read werkzeug ``FileStorage`` objects and check their type and size.

    :param files: iterable of FileStorage (empty ones are skipped)
    :param kinds: which kinds are accepted here
    :return: (attachments, errors): attachments as dicts ``name``, ``mimetype``, ``datas``
             (base64), errors as translated strings naming each rejected file
    """
    params = env["ir.config_parameter"].sudo()
    limits_mb = {
        "photo": float(params.get_param("aftersales_portal.max_photo_mb", 10)),
        "video": float(params.get_param("aftersales_portal.max_video_mb", 30)),
    }
    attachments, errors = [], []
    for storage in files:
        if not storage or not storage.filename:
            continue
        data = storage.read()
        if not data:
            continue
        mimetype = sniff_mimetype(data[:16])
        kind = "photo" if mimetype in PHOTO_TYPES else "video" if mimetype in VIDEO_TYPES else None
        if not kind or kind not in kinds:
            errors.append(
                env._(
                    "%(file)s: this type of file is not accepted (JPEG, PNG, WebP photos, MP4 or WebM videos).",
                    file=storage.filename,
                )
            )
            continue
        if len(data) > limits_mb[kind] * 1024 * 1024:
            errors.append(
                env._(
                    "%(file)s is too large: at most %(size)s MB for a %(kind)s.",
                    file=storage.filename,
                    size=limits_mb[kind],
                    kind=env._("photo") if kind == "photo" else env._("video"),
                )
            )
            continue
        attachments.append(
            {
                "name": storage.filename,
                "mimetype": mimetype,
                "datas": base64.b64encode(data),
                "kind": kind,
            }
        )
    return attachments, errors
