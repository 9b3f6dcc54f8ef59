"""Rule ``credits``: reporter bylines (``XX记者 张三 通讯员 李四``) and credit lines
(``策划 凌海英 文/图 张帆 黄璟``) become ``byline`` / ``credit`` items, not body text."""

from __future__ import annotations

import re
from functools import lru_cache

from digest.model import Source
from digest.rules.vocabulary import Vocabulary

_NAME = r"[\u4e00-\u9fff·]{2,5}"
_MAX_LEN = 60


@lru_cache(maxsize=8)
def _patterns(roles: tuple[str, ...], bylines: tuple[str, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    role = "(?:" + "|".join(map(re.escape, roles)) + ")"
    credit = re.compile(rf"^(?:{role}\s*[:：]?\s*{_NAME}(?:[\s、,，]+{_NAME})*\s*)+$")
    by = "(?:" + "|".join(map(re.escape, bylines)) + ")"
    # optional outlet before the role, names after it, optional trailing credit (文/图)
    byline = re.compile(
        rf"^(?:[\u4e00-\u9fffA-Za-z]{{0,12}}?{by}\s*[:：]?\s*{_NAME}(?:[\s、,，]+{_NAME})*\s*)+(?:\s*{role})?$"
    )
    return credit, byline


def rule(source: Source, vocab: Vocabulary) -> None:
    credit, byline = _patterns(tuple(vocab.credit_roles), tuple(vocab.byline_roles))
    for item in source.items:
        if item.kind != "body" or len(item.text) > _MAX_LEN:
            continue
        if byline.match(item.text):
            item.kind, item.reason = "byline", "credits"
        elif credit.match(item.text):
            item.kind, item.reason = "credit", "credits"
