"""Annotator: what the figure measures — the metric as written, and its English name if listed.

1. A count or rank directly followed by a noun counts that noun: 3所学校 → 学校, 全区首家共享书房
   投入运营 → 共享书房 (a listed metric inside that noun phrase is preferred).
2. Otherwise a metric from annotations/metrics.yaml before the figure in its clause wins (the
   nearest, then the longest): 全年实现社会消费品零售总额88.8亿元 → 社会消费品零售总额.
3. Otherwise the words before the figure in its clause, without time words, the subject, lead
   verbs and qualifiers: 完成旧村改造12.5万平方米 → 旧村改造 (flagged unknown if unlisted).
4. A change or a generic rate after another figure of the same sentence takes that figure's
   metric: 88.8亿元,同比增长5.5% → 社会消费品零售总额; 40公顷,完成率120% → 土地整理完成率.
5. A rank inside a quoted honour takes the honour: “全省营商环境十强”.
"""

from __future__ import annotations

import re

from digest.facts.rules.qualifiers import LEFT, SKIP, WORD_BEFORE, by_last
from digest.facts.state import BlockState, Candidate
from digest.facts.vocabulary import Metric


def _words(text: str) -> list[str]:
    return text.split()


# words that open a clause but are not part of the metric (time, connectives, adverbs, plan words)
LEAD = sorted(_words("全年 一年来 这一年 过去一年 今年 去年 年内 其中 同时 此外 并 共计 总计 累计 共 全部 "
                     "现有 目前 当前 已 成功 顺利 积极 全面 深入 持续 有效 还 为 将 把 对 向 以 了 在 "
                     "到 由 预计 力争 计划 争取 、 —— …"), key=len, reverse=True)
VERBS = re.compile(r"完成|实现|开展|推动|推进|落实|促成|通过")
# words that end a clause before the figure (qualifiers and link verbs)
TRAIL = sorted([s for s, _ in LEFT] + list(SKIP) + _words("为 是 了 由 从 进入 位列 排名 居 蝉联 获得 "
                                                           "获评 荣获 入选 总计 合计 共计 累计 双 两个 只有"),
               key=len, reverse=True)
GENERIC = {"完成率", "增长率", "增速", "增幅", "总量", "总额", "总计", "合计", "占比", "比重"}
RE_GENERIC_RATE = re.compile(r"[\u4e00-\u9fff]{0,2}率")
# where the noun phrase after a figure ends (a verb, a particle, a conjunction)
CUT_AFTER = tuple(_words("的 实现 获得 获评 获 通过 完成 安装 昼夜 投入 建成 落户 所在 入选 开展 和 与 及 "
                         "进行 形成 成为 得到 正 将 被 是 提供 已 全部 、"))
RE_CUT_AFTER = re.compile("|".join(re.escape(w) for w in CUT_AFTER))  # the first of them, wherever
_TRAIL_BY_LAST = by_last([(w, w) for w in TRAIL])
_LEAD_BY_FIRST: dict[str, list[str]] = {}
for _word in LEAD:
    _LEAD_BY_FIRST.setdefault(_word[0], []).append(_word)
RE_YEAR = re.compile(r"^(?:19|20)\d{2}年度?|^\d{1,2}月(?:\d{1,2}日)?")
RE_STREAK = re.compile(r"连续[\d一二三四五六七八九十两]+[年届次]")
ENDS = "、，,：:——…· ()（）"


def _strip_trail(phrase: str) -> str:
    changed = True
    while changed and phrase:
        changed = False
        phrase = RE_STREAK.sub("", phrase).strip(ENDS)
        for word, _ in _TRAIL_BY_LAST.get(phrase[-1:], ()):
            if phrase.endswith(word) and not (
                len(word) == 1 and len(phrase) >= 2 and phrase[-2] in WORD_BEFORE.get(word, ())
            ):
                phrase, changed = phrase[: -len(word)], True
                break
    return phrase.strip(ENDS)


def _strip(phrase: str, mentions: list[str], trailed: str | None = None) -> str:
    """The metric in the words before a figure; ``trailed`` is ``_strip_trail(phrase)`` if known."""
    phrase = _strip_trail(phrase) if trailed is None else trailed
    verbs = list(VERBS.finditer(phrase))
    if verbs and len(phrase) - verbs[-1].end() >= 3:
        phrase = phrase[verbs[-1].end() :]
    changed = True
    while changed and phrase:
        changed = False
        m = RE_YEAR.match(phrase) or RE_STREAK.match(phrase)
        if m:
            phrase, changed = phrase[m.end() :], True
            continue
        for word in [*mentions, *_LEAD_BY_FIRST.get(phrase[0], ())]:
            if word and phrase.startswith(word) and len(phrase) > len(word):
                phrase, changed = phrase[len(word) :], True
                break
    return phrase.strip(ENDS)


def _following(state: BlockState, pos: int, end: int) -> str:
    shown = state.block.text
    phrase = shown[pos:end]
    if phrase and phrase[0] in "“《":
        close = phrase.find("”" if phrase[0] == "“" else "》")
        if close > 1:
            return phrase[1:close]
    if phrase.startswith(CUT_AFTER):
        return ""  # a verb follows the figure: it does not count a noun
    cut = min(len(phrase), 24)
    first = RE_CUT_AFTER.search(phrase, 2)
    if first:
        cut = min(cut, first.start())
    for s, _, place in state.mentions():  # sorted: the first place named in the phrase cuts it
        if pos + 2 <= s < pos + cut and not place.body:
            cut = s - pos
            break
    return phrase[:cut].strip(ENDS + "“”")


def _set(c: Candidate, written: str, metric: Metric | None) -> None:
    c.metric = written
    if metric is not None:
        c.metric_en, c.metric_slug, c.metric_known, c.metric_unit = (
            metric.english,
            metric.slug,
            True,
            metric.unit,
        )
    else:
        c.metric_en, c.metric_slug, c.metric_known, c.metric_unit = "", "", False, ""


def _inherit(c: Candidate, prev: Candidate, suffix: str, state: BlockState) -> None:
    if not suffix:
        c.metric, c.metric_en, c.metric_slug, c.metric_known = (
            prev.metric,
            prev.metric_en,
            prev.metric_slug,
            prev.metric_known,
        )
        c.metric_unit = prev.metric_unit
        return
    written = prev.metric + suffix if not prev.metric.endswith(suffix) else prev.metric
    exact = [f for f in state.env.metrics.find(written) if f[0] == 0 and f[1] == len(written)]
    _set(c, written, exact[0][2] if exact else None)


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def rule(state: BlockState) -> None:
    text, shown = state.text, state.block.text
    vocab = state.env.metrics
    kept = state.kept  # sorted and disjoint
    for i, c in enumerate(kept):
        sentence_start = state.sentence(c.start)[0]
        prev = kept[i - 1] if i and kept[i - 1].start >= sentence_start else None  # state.previous(c)
        clause_start = state.clause_start(c.start)
        start = prev.end if prev is not None and prev.end > clause_start else clause_start
        quote = state.name_quote(c.start, c.end) if c.kind == "rank" else None
        if quote:
            hits = vocab.find(text[quote[0] + 1 : quote[1] - 1])
            _set(
                c,
                hits[0][2].name if hits else shown[quote[0] + 1 : quote[1] - 1],
                hits[0][2] if hits else None,
            )
            continue
        before_raw = shown[start : c.start]
        end = state.clause_end(c.end)
        follow_end = kept[i + 1].start if i + 1 < len(kept) and kept[i + 1].start < end else end
        after_char = text[c.end] if c.end < len(text) else "\0"
        nominal = c.kind in ("count", "rank") and (
            _is_cjk(after_char) or after_char.isalnum() or after_char in "“《"
        )
        following = _following(state, c.end, follow_end) if nominal else None  # else only if needed
        if following:  # 3所学校, 全区首家共享书房: the noun after the figure is what it counts
            after_hits = vocab.find(following)
            if after_hits:
                best = min(after_hits, key=lambda h: (h[0], -(h[1] - h[0])))
                _set(c, following[best[0] : best[1]], best[2])
            else:
                _set(c, following, None)
            continue
        before_hits = vocab.find(text[start : c.start])
        if before_hits:
            best = max(before_hits, key=lambda h: (h[1], h[1] - h[0]))
            _set(c, shown[start + best[0] : start + best[1]], best[2])
            continue
        mentions = [text[s:e] for s, e, p in state.mentions() if start <= s < c.start and not p.body]
        tail = _strip_trail(before_raw)
        before = _strip(before_raw, mentions, tail)
        generic = tail if tail in GENERIC or RE_GENERIC_RATE.fullmatch(tail) else ""
        if prev is not None and prev.start >= sentence_start and (generic or not before):
            _inherit(c, prev, generic, state)
            continue
        if not before and following is None:
            following = _following(state, c.end, follow_end)
        _set(c, (before or following or "")[-24:], None)
