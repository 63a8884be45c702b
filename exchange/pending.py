"""Uploaded workbooks waiting for confirmation, kept on the server between preview and confirm.

The confirm step imports exactly the bytes that were previewed (never a
re-upload), with the record versions the preview saw. Files are keyed by the
user and the file's SHA-256, so one user can't confirm another's upload.
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
    return stem.with_suffix(".xlsx"), stem.with_suffix(".json")


def save(user, result, data):
    """Keep a previewed workbook with the versions its preview read; the token for the confirm."""
    return _write(user, result.sha256, data, result.file_name, result.versions)


def keep(user, sha256, data, file_name):
    """Keep an uploaded workbook whose preview runs in the background (no versions yet: not confirmable)."""
    return _write(user, sha256, data, file_name, None)


def _write(user, sha256, data, file_name, versions):
    _forget_abandoned()
    workbook, meta = _paths(user, sha256)
    workbook.write_bytes(data)
    meta.write_text(json.dumps({"file_name": file_name, "versions": versions}), encoding="utf-8")
    return sha256


def _forget_abandoned():
    """Previews never confirmed are dropped after a day."""
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _directory().iterdir():
        if path.suffix in (".xlsx", ".json") and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


def load(user, sha256):
    """``(bytes, file name, versions)`` of a pending upload, or None; versions are None until previewed."""
    paths = _paths(user, sha256)
    if paths is None or not paths[0].is_file() or not paths[1].is_file():
        return None
    meta = json.loads(paths[1].read_text(encoding="utf-8"))
    return paths[0].read_bytes(), meta["file_name"], meta["versions"]


def discard(user, sha256):
    paths = _paths(user, sha256)
    for path in paths or ():
        path.unlink(missing_ok=True)
