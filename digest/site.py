"""Stage 8, the site: MkDocs (Material) renders content/ to HTML through its Python API."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from digest.config import Settings
from digest.exceptions import BuildError, ConfigError
from digest.stages import Context


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass(frozen=True)
class Reading:
    """One MkDocs build: the site's interface language and where its pages live."""

    language: str  # Material theme language
    docs: str  # sub-folder of content/ ("" = content/ itself)
    site: str  # sub-folder of site/
    exclude: str = ""  # gitignore-style patterns of content/ this build leaves out


READINGS = [
    Reading("zh", "", "", exclude="zh-Hant/\n*.chunks.json\n"),
    Reading("en", "", "en", exclude="zh-Hant/\n*.chunks.json\n"),
    Reading("zh-Hant", "zh-Hant", "zh-Hant", exclude="*.chunks.json\n"),
]


def build_site(settings: Settings, content: Path, site_root: Path, context: Context, reading: Reading = READINGS[0],
               strict: bool = False) -> None:
    content = content / reading.docs if reading.docs else content
    site_dir = site_root / reading.site if reading.site else site_root
    try:
        site_url = settings.site_url + (f"{reading.site}/" if reading.site and settings.site_url else "")
        cfg = load_config(str(settings.mkdocs_file), docs_dir=str(content), site_dir=str(site_dir),
                          site_url=site_url or None, strict=strict, exclude_docs=reading.exclude or None)
    except (ConfigurationError, Abort) as exc:
        raise ConfigError("mkdocs_config", f"MkDocs configuration is invalid: {exc}", settings.mkdocs_file) from None
    except FileNotFoundError:
        raise ConfigError("mkdocs_config", "file not found", settings.mkdocs_file) from None
    cfg.theme["language"] = reading.language
    if context.nav and isinstance(cfg.get("nav"), list):
        cfg["nav"] = [*cfg["nav"], *({t: p} for t, p in context.nav)]
    if reading.language == "zh-Hant" and isinstance(cfg.get("nav"), list):
        from digest import hant

        to_hant = hant.converter(settings.opencc_profile, settings.annotations / "glossary.yaml")
        cfg["nav"] = [{to_hant(k): v for k, v in item.items()} if isinstance(item, dict) else item
                      for item in cfg["nav"]]
    counter = _Counter()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(counter)
    try:
        mkdocs_build(cfg)
    except Abort as exc:
        raise BuildError(f"MkDocs: {exc}") from None
    finally:
        logger.removeHandler(counter)
    if strict and counter.records:
        raise BuildError(f"MkDocs reported {len(counter.records)} warning(s) in strict mode: "
                         + "; ".join(r.getMessage() for r in counter.records[:3]))
