"""Annotator: words that qualify a figure.

Directly before it (chained leftwards, skipping 已/均/分别/也/共): 超/超过/逾 → 超, 近/接近/将近 → 近,
约/上/数 (上千, 数百) → 约, 达/达到/高达 → 达到, 突破, 增至, 提升至 (also 攀升至/提高至/跃升至),
降至, 同比增长, 同比下降, 增长, 下降, 不到. Inside or after it: 余/多 → 余, 以上 → 超, 左右 → 约.
Anywhere earlier in its clause: 累计. Directly before it as the metric: 完成率.
Declines keep a positive value; the direction is the qualifier.
"""

from __future__ import annotations

from digest.facts.state import BlockState

# surface → qualifier, by what it means: a change, a level reached, a bound
_LEFT = {
    "同比增长": "同比增长 同比增加 同比提高 同比上升",
    "同比下降": "同比下降 同比减少 同比降低",
    "提升至": "提升至 提高至 攀升至 上升至 跃升至",
    "增至": "增至 增长至 增加至",
    "降至": "降至 下降至 降低至 减少至",
    "增长": "增长 增长了 增加 提高 上升",
    "下降": "下降 下降了 减少 降低 回落",
    "突破": "突破",
    "超": "超 超过 超出 逾",
    "近": "近 接近 将近",
    "约": "约 大约",
    "达到": "达到 达 高达 多达",
    "不到": "不到 不足",
}
LEFT: list[tuple[str, str]] = sorted(((w, q) for q, ws in _LEFT.items() for w in ws.split()),
                                     key=lambda p: -len(p[0]))
# a one-character qualifier is part of a word after these: 签约, 附近, 赶超, 抵达 …
WORD_BEFORE = {
    "约": set("签节预条制合契公邀相履违践"),
    "近": set("附最就邻亲靠贴"),
    "超": set("赶高"),
    "达": set("抵送传表发通直畅下转到"),
}
SKIP = ("分别", "已", "均", "也", "共", "都", "再", "又")
CHANGE = {"同比增长", "同比下降", "增长", "下降"}


def by_last(words: list[tuple[str, str]]) -> dict[str, list[tuple[str, str]]]:
    """The same (word, value) pairs grouped by the word's last character, each group in list order: only
    the words ending in the character just before a position can end there."""
    index: dict[str, list[tuple[str, str]]] = {}
    for word, value in words:
        index.setdefault(word[-1], []).append((word, value))
    return index


_LEFT_BY_LAST = by_last(LEFT)
_SKIP_BY_LAST = by_last([(s, s) for s in SKIP])


def left_qualifiers(text: str, pos: int, chinese_round: bool = False) -> tuple[list[str], int]:
    """Qualifier words ending at ``pos`` (read leftwards); returns them and where they start."""
    found: list[str] = []
    while pos > 0:
        last = text[pos - 1]
        for surface, q in _LEFT_BY_LAST.get(last, ()):
            if text.startswith(surface, pos - len(surface)) and not (
                len(surface) == 1 and pos >= 2 and text[pos - 2] in WORD_BEFORE.get(surface, ())
            ):
                found.append(q)
                pos -= len(surface)
                break
        else:
            if chinese_round and last in "上数" and not found:
                found.append("约")
                pos -= 1
                continue
            for s, _ in _SKIP_BY_LAST.get(last, ()):
                if text.startswith(s, pos - len(s)):
                    pos -= len(s)
                    break
            else:
                break
    return found, pos


def rule(state: BlockState) -> None:
    text = state.text
    for c in state.kept:
        quals = list(c.qualifiers)
        round_cn = c.numeral == "chinese" and c.text[:1] in "万千百"
        left, pos = left_qualifiers(text, c.start, round_cn)
        quals.extend(left)
        if "余" in c.text or "多" in c.text:
            quals.append("余")
        after = text[c.end : c.end + 2]
        if after == "以上":
            quals.append("超")
        elif after == "左右":
            quals.append("约")
        if text.endswith("完成率", 0, pos):
            quals.append("完成率")
        if text.find("累计", state.clause_start(c.start), c.start) != -1:  # anywhere earlier in its clause
            quals.append("累计")
        c.qualifiers = list(dict.fromkeys(quals)) if len(quals) > 1 else quals
