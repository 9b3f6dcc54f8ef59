"""Stage 8, the site: MkDocs (Material) renders content/ to HTML through its Python API."""

from __future__ import annotations

import logging
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


def jieba_words(settings: Settings) -> list[str]:
    """Words the search segmenter must keep whole: the termbase's terms and aliases."""
    from digest import glossary

    try:
        return glossary.search_words(settings)
    except FileNotFoundError:
        return []


def build_site(settings: Settings, content: Path, site_dir: Path, context: Context, strict: bool = False) -> None:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    cache = settings.root / ".digest"
    cache.mkdir(exist_ok=True)
    userdict = cache / "jieba_user.txt"
    words = jieba_words(settings)
    userdict.write_text("".join(f"{w} 2000\n" for w in words), encoding="utf-8")
    try:
        cfg = load_config(str(settings.mkdocs_file), docs_dir=str(content), site_dir=str(site_dir),
                          site_url=settings.site_url or None, strict=strict)
    except ConfigurationError as exc:
        raise ConfigError("mkdocs_config", f"MkDocs configuration is invalid: {exc}", settings.mkdocs_file) from None
    except FileNotFoundError:
        raise ConfigError("mkdocs_config", "file not found", settings.mkdocs_file) from None
    if context.nav and isinstance(cfg.get("nav"), list):
        cfg["nav"] = [*cfg["nav"], *({t: p} for t, p in context.nav)]
    for plugin in cfg.plugins.values():
        pconf = getattr(plugin, "config", None)
        if pconf is not None and "jieba_dict_user" in pconf:
            pconf["jieba_dict_user"] = str(userdict)
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
