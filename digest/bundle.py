"""``digest bundle``: the built site as one zip for offline reading (open index.html inside)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from digest.exceptions import BuildError

_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same site gives the same zip


def bundle(site: Path, out: Path, folder: str = "digest-site") -> int:
    if not (site / "index.html").is_file():
        raise BuildError(f"No built site in '{site}': run 'digest build' first")
    files = sorted((p for p in site.rglob("*") if p.is_file()), key=lambda p: p.relative_to(site).as_posix())
    tmp = out.with_suffix(out.suffix + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", date_time=_EPOCH)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, path.read_bytes())
    tmp.replace(out)
    return len(files)
