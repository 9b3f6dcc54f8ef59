"""Settings, validated as typed data. Errors name the key.

Read from ``digest.yml`` at the project root (every key optional)::

    seeds_dir: seeds
    annotations_dir: annotations
    content_dir: content
    site_dir: site
    mkdocs_config: mkdocs.yml
    site_url: ""            # e.g. https://intranet.example/digest/ (the sub-path lives here only)
    heading_max: 40         # longest line (characters) still taken for a heading
    caption_max: 60         # longest line taken for a caption by layout alone
    opencc_profile: s2tw    # OpenCC profile for the Traditional reading (s2t, s2tw, s2twp, s2hk);
                            # s2twp also swaps vocabulary (社区 → 社群), which government text rarely wants
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from digest.exceptions import ConfigError

OPENCC_PROFILES = ("s2t", "s2tw", "s2twp", "s2hk", "t2s")


@dataclass(frozen=True)
class Settings:
    root: Path = field(default_factory=Path.cwd)
    seeds_dir: str = "seeds"
    annotations_dir: str = "annotations"
    content_dir: str = "content"
    site_dir: str = "site"
    mkdocs_config: str = "mkdocs.yml"
    site_url: str = ""
    heading_max: int = 40
    caption_max: int = 60
    opencc_profile: str = "s2tw"
    workers: int = 0  # processes working at once (readings, per-document stages); 0 = one per CPU core

    @property
    def seeds(self) -> Path:
        return self.root / self.seeds_dir

    @property
    def annotations(self) -> Path:
        return self.root / self.annotations_dir

    @property
    def content(self) -> Path:
        return self.root / self.content_dir

    @property
    def site(self) -> Path:
        return self.root / self.site_dir

    @property
    def mkdocs_file(self) -> Path:
        return self.root / self.mkdocs_config


def load(root: Path, overrides: dict[str, Any] | None = None) -> Settings:
    path = root / "digest.yml"
    data: dict[str, Any] = {}
    if path.exists():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ConfigError("(file)", f"not valid YAML: {exc}", path) from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError("(file)", "must be a mapping of keys to values", path)
        data = loaded or {}
    data.update(overrides or {})
    known = {f.name: f for f in dataclasses.fields(Settings) if f.name != "root"}
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in known:
            raise ConfigError(key, f"unknown setting (known: {', '.join(sorted(known))})", path)
        expected = int if known[key].type in ("int", int) else str
        if not isinstance(value, expected) or isinstance(value, bool):
            raise ConfigError(key, f"expected {expected.__name__}, got {type(value).__name__} {value!r}", path)
        values[key] = value
    settings = Settings(root=root, **values)
    if settings.opencc_profile not in OPENCC_PROFILES:
        raise ConfigError("opencc_profile", f"must be one of {', '.join(OPENCC_PROFILES)}", path)
    if settings.heading_max < 5:
        raise ConfigError("heading_max", "must be at least 5", path)
    if settings.workers < 0:
        raise ConfigError("workers", "must be 0 (automatic) or more", path)
    if settings.site_url and not settings.site_url.endswith("/"):
        raise ConfigError("site_url", "must end with '/'", path)
    return settings
