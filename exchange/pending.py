"""Uploaded workbooks waiting for confirmation, kept on the server between preview and confirm.

The confirm step applies the preview's plan (``exchange.plan``: what the previewed
bytes create and change, with the record versions the preview saw), never a
re-upload and never a second reading of the workbook. A preview that found
problems keeps the file with the cells to mark, for its annotated copy. Files are
keyed by the user and the file's SHA-256, so one user can't confirm another's upload.
"""

import json
import re
import tempfile
import time
from pathlib import Path

from django.conf import settings

SHA256 = re.compile(r"^[0-9a-f]{64}$")
MAX_AGE_SECONDS = 24 * 3600


def _directory():
    path = Path(getattr(settings, "EXCHANGE_PENDING_DIR", "") or Path(tempfile.gettempdir()) / "portal-exchange-pending")
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _paths(user, sha256):
    if not SHA256.match(sha256 or ""):
        return None
    stem = _directory() / f"{user.pk}-{sha256}"
    return stem.with_suffix(".xlsx"), stem.with_suffix(".json"), stem.with_suffix(".plan")


def save(user, result, data):
    """Keep a previewed workbook with its plan and the versions its preview read; the token for the confirm."""
    token = _write(user, result.sha256, data, result.file_name, result.versions)
    plan_path = _paths(user, result.sha256)[2]
    with plan_path.open("w", encoding="utf-8") as handle:
        json.dump(result.plan, handle, ensure_ascii=False, separators=(",", ":"))
    return token


def keep(user, sha256, data, file_name, marks=None):
    """Keep an uploaded workbook not confirmable (yet): its preview runs in the background, or it has
    problems whose cells (``marks``) its annotated copy marks."""
    return _write(user, sha256, data, file_name, None, marks)


def _write(user, sha256, data, file_name, versions, marks=None):
    _forget_abandoned()
    workbook, meta, plan = _paths(user, sha256)
    plan.unlink(missing_ok=True)
    workbook.write_bytes(data)
    meta.write_text(json.dumps({"file_name": file_name, "versions": versions,
                                "marks": [list(mark) for mark in marks or ()]}), encoding="utf-8")
    return sha256


def _forget_abandoned():
    """Previews never confirmed are dropped after a day."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _directory().iterdir():
        if path.suffix in (".xlsx", ".json", ".plan") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def load(user, sha256):
    """``(bytes, file name, versions)`` of a pending upload, or None; versions are None until previewed."""
    paths = _paths(user, sha256)
    if paths is None or not paths[0].is_file() or not paths[1].is_file():
        return None
    meta = json.loads(paths[1].read_text(encoding="utf-8"))
    return paths[0].read_bytes(), meta["file_name"], meta["versions"]


def marks(user, sha256):
    """The ``(sheet, row, header, reason)`` a kept preview found, or None (not kept, or kept before marks were)."""
    paths = _paths(user, sha256)
    if paths is None or not paths[1].is_file():
        return None
    found = json.loads(paths[1].read_text(encoding="utf-8")).get("marks")
    return None if found is None else [tuple(mark) for mark in found]


def plan(user, sha256):
    """``(plan, file name)`` of a previewed upload ready to confirm, or None."""
    paths = _paths(user, sha256)
    if paths is None or not paths[1].is_file() or not paths[2].is_file():
        return None
    meta = json.loads(paths[1].read_text(encoding="utf-8"))
    with paths[2].open(encoding="utf-8") as handle:
        return json.load(handle), meta["file_name"]


def discard(user, sha256):
    paths = _paths(user, sha256)
    for path in paths or ():
        path.unlink(missing_ok=True)
