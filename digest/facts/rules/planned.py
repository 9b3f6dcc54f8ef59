"""Annotator: targets and plans, kept apart from reported results.

A figure is planned when its sentence says so before it (力争, 预计, 计划, 拟于, 争取, 目标,
力求, 预期, a deadline: 2026年6月底前), when it sits in a plan section (a heading with
工作安排/工作计划/工作思路/展望/下一步, or a heading year later than the year the document
reviews: 展望2026 in a January 2026 review), or when its period lies after that year.
"""

from __future__ import annotations

import re

from digest.facts.state import BlockState

PLAN_WORDS = re.compile(r"力争|预计|计划|拟于|拟将|拟新增|争取|目标|力求|预期"
                        r"|(?:19|20)\d{2}年(?:\d{1,2}月)?底?前")  # a deadline
PLAN_HEADING = re.compile(r"工作安排|工作计划|工作打算|工作思路|展望|下一步|目标任务")


def rule(state: BlockState) -> None:
    reviewed = state.ctx.reviewed_year
    plan_section = state.ctx.in_plan_section()
    text = state.text
    for c in state.kept:
        semicolon = max(text.rfind("；", 0, c.start), text.rfind(";", 0, c.start))
        seg_start = max(state.sentence(c.start)[0], semicolon + 1)
        said = PLAN_WORDS.search(text, seg_start, c.start) is not None
        future = c.period is not None and reviewed is not None and c.period > reviewed
        c.planned = said or plan_section or future
