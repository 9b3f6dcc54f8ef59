"""Markdown/HTML for the facts: the Key facts section of a document page, the site-wide facts
page (filterable, digest/assets/facts.js), indicator pages with charts, and the schema page.

Every seed string goes through :func:`digest.escape.html` (raw HTML) or :func:`digest.escape.text`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from digest.escape import html, text, yaml_str
from digest.facts.chart import Bar, bar_chart
from digest.facts.model import FIELDS, KINDS, Fact
from digest.facts.present import KIND_ZH
from digest.facts.units import UNIT_NAMES
from digest.facts.vocabulary import Metric
from digest.model import Document

UNLISTED = "_unlisted"
NO_YEAR = "_none"


def _year(f: Fact) -> str:
    return str(f.period) if f.period is not None else "—"


def _kind(f: Fact) -> str:
    return f"{f.kind} {KIND_ZH[f.kind]}"


_KIND_HTML = {k: html(f"{k} {z}") for k, z in KIND_ZH.items()}


def _metric_cells(f: Fact, to_facts: str) -> tuple[str, str]:
    """(English cell, Chinese cell); unlisted metrics are flagged."""
    if f.metric_known:
        en = f'<a href="{to_facts}{html(f.metric_slug)}.html">{html(f.metric_en)}</a>'
    else:
        en = '<span class="dg-unlisted" title="metric not in annotations/metrics.yaml">unlisted</span>'
    return en, html(f.metric) or "—"


def _doc_rows(facts: list[Fact]) -> str:
    rows = []
    for f in facts:
        en, zh = _metric_cells(f, "../facts/")
        rows.append(
            "<tr>"
            f'<td>{en}</td><td lang="zh">{zh}</td>'
            f"<td>{html(f.display)}</td>"
            f'<td lang="zh"><a class="dg-fact-link" href="#{f.id}">{html(f.text)}</a></td>'
            f'<td lang="zh">{html(f.subject) or "—"}</td><td>{_year(f)}</td><td>{_KIND_HTML[f.kind]}</td>'
            f'<td><a href="#{html(f.anchor)}" title="Go to the paragraph">¶</a></td>'
            "</tr>"
        )
    head = (
        "<thead><tr><th>Metric</th><th>指标</th><th>Value</th><th>原文</th><th>Subject 主体</th>"
        "<th>Year 年份</th><th>Kind 类型</th><th>¶</th></tr></thead>"
    )
    return f'<table class="dg-facts">{head}<tbody>{"".join(rows)}</tbody></table>'


def doc_section(facts: list[Fact]) -> str:
    """The Key facts section body of one document page (results, then targets and plans)."""
    results = [f for f in facts if not f.planned]
    plans = [f for f in facts if f.planned]
    plural = "s" if len(results) != 1 else ""
    targets = f" and {len(plans)} target{'s' if len(plans) != 1 else ''}" if plans else ""
    parts = [
        f'<p class="dg-facts-note">{len(results)} reported figure{plural}{targets}, '
        "highlighted in the text · "
        '文中数据已高亮. <a href="../facts/index.html">All facts 全部数据</a> · '
        '<a href="../facts/schema.html">How facts are read 说明</a></p>'
    ]
    if results:
        parts.append(_doc_rows(results))
    if plans:
        parts.append('<p class="dg-facts-sub"><strong>Targets and plans 目标与计划</strong></p>')
        parts.append(_doc_rows(plans))
    return "\n".join(parts) + "\n"


def mark_open(f: Fact) -> str:
    label = (
        f"{f.metric_en or f.metric}: {f.display}"
        + (f" ({f.period})" if f.period else "")
        + (" — target" if f.planned else "")
    )
    css = "dg-fact dg-fact--planned" if f.planned else "dg-fact"
    return f'<span class="{css}" id="{f.id}" title="{html(label)}">'


def _options(name: str, label: str, values: Iterable[tuple[str, str]]) -> str:
    opts = "".join(f'<option value="{html(v)}">{html(t)}</option>' for v, t in values)
    return (
        f'<label>{html(label)} <select name="{name}" data-filter="{name}"><option value="">All 全部</option>'
        f"{opts}</select></label>"
    )


def index_page(facts: list[Fact], docs: dict[str, Document], metrics: list[Metric]) -> str:
    """The site-wide facts page: one table, filterable by subject, metric, year, kind and status."""
    used = {f.metric_slug for f in facts if f.metric_known}
    known = sorted((m for m in metrics if m.slug in used), key=lambda m: m.english.lower())
    subjects = sorted({f.subject for f in facts if f.subject})
    years = sorted({str(f.period) for f in facts if f.period is not None}, reverse=True)
    unlisted = sum(1 for f in facts if not f.metric_known)
    form = (
        '<form class="dg-facts-filter" data-table="dg-all-facts">'
        + _options("subject", "Subject 主体", [(s, s) for s in subjects])
        + _options(
            "metric",
            "Metric 指标",
            [
                *((m.slug, f"{m.english} · {m.name}") for m in known),
                (UNLISTED, "(unlisted metrics 未收录指标)"),
            ],
        )
        + _options("year", "Year 年份", [*((y, y) for y in years), (NO_YEAR, "(no year 未注明)")])
        + _options("kind", "Kind 类型", [(k, f"{k} {KIND_ZH[k]}") for k in sorted(KINDS)])
        + _options("status", "Status 性质", [("result", "reported result 实绩"), ("target", "target 目标")])
        + '<button type="reset">Clear 清除</button> <output class="dg-facts-count"></output></form>'
    )
    rows = []
    for f in facts:
        d = docs[f.doc]
        en, zh = _metric_cells(f, "")
        attrs = (
            f'data-subject="{html(f.subject)}" data-metric="{html(f.metric_slug or UNLISTED)}" '
            f'data-year="{f.period if f.period is not None else NO_YEAR}" data-kind="{f.kind}" '
            f'data-status="{"target" if f.planned else "result"}"'
        )
        rows.append(
            f"<tr {attrs}>"
            f'<td lang="zh"><a href="../docs/{d.id}.html">{html(d.meta.title)}</a></td>'
            f'<td lang="zh">{html(f.subject) or "—"}</td><td>{en}</td><td lang="zh">{zh}</td>'
            f'<td lang="zh"><a href="../docs/{d.id}.html#{f.id}">{html(f.text)}</a></td>'
            f"<td>{html(f.display)}</td><td>{_year(f)}</td><td>{html(_kind(f))}</td>"
            f"<td>{'target 目标' if f.planned else 'result 实绩'}</td></tr>"
        )
    table = (
        '<table class="dg-facts dg-facts--all" id="dg-all-facts"><thead><tr><th>Document 文件</th>'
        "<th>Subject 主体</th><th>Metric</th><th>指标</th><th>Figure 原文</th><th>Value</th>"
        "<th>Year 年份</th>"
        f"<th>Kind 类型</th><th>Status 性质</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    indicators = "".join(
        f'<li><a href="{m.slug}.html">{html(m.english)}</a> <span lang="zh">{html(m.name)}</span> '
        f"({sum(1 for f in facts if f.metric_slug == m.slug)})</li>"
        for m in known
    )
    return (
        "---\ntitle: " + yaml_str("Key facts 关键数据") + "\n---\n\n"
        "# Key facts 关键数据 { #key-facts }\n\n"
        f'<p class="dg-lede">{len(facts)} figures from {len({f.doc for f in facts})} documents, '
        "normalised and "
        f"linked to their source paragraph; {unlisted} have a metric not yet in the vocabulary (flagged "
        "“unlisted”). Filter the table below; downloads: "
        '<a href="facts.csv" download>facts.csv</a> · <a href="facts.json" download>facts.json</a> · '
        '<a href="schema.html">schema 字段说明</a></p>\n\n'
        f"{form}\n\n{table}\n\n"
        "## Indicators 指标对比 { #indicators }\n\n"
        f'<ul class="dg-indicators">{indicators}</ul>\n'
    )


def _label(f: Fact, docs: dict[str, Document]) -> str:
    return " · ".join(x for x in (f.subject or "—", _year(f), docs[f.doc].meta.title[:14]) if x)


def indicator_page(metric: Metric, facts: list[Fact], docs: dict[str, Document]) -> str:
    """One metric across documents and subjects: a bar chart per kind and unit, then every figure."""
    charts = []
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if not f.planned and f.kind != "rank":
            groups[(f.kind, f.unit)].append(f)
    for (kind, unit), group in sorted(groups.items()):
        group = sorted(group, key=lambda f: (-(f.period or 0), f.subject, f.doc, f.start))
        bars = [Bar(_label(f, docs), f.value, f.display, f"../docs/{f.doc}.html#{f.id}") for f in group]
        title = f"{metric.english} — {kind} ({UNIT_NAMES.get(unit, unit)})"
        charts.append(
            f'<figure class="dg-chart-figure">{bar_chart(title, bars)}'
            f"<figcaption>{html(title)}</figcaption></figure>"
        )
    rows = []
    for f in sorted(facts, key=lambda f: (f.planned, -(f.period or 0), f.subject, f.doc, f.start)):
        d = docs[f.doc]
        rows.append(
            f'<tr><td lang="zh">{html(f.subject) or "—"}</td><td>{_year(f)}</td>'
            f'<td><a href="../docs/{d.id}.html#{f.id}">{html(f.display)}</a></td>'
            f'<td lang="zh">{html(f.text)}</td>'
            f'<td>{html(_kind(f))}{" · target 目标" if f.planned else ""}</td>'
            f'<td lang="zh">{html(f.sentence)}</td>'
            f'<td lang="zh"><a href="../docs/{d.id}.html#{html(f.anchor)}">{html(d.meta.title)}</a></td></tr>'
        )
    aliases = "、".join(metric.aliases)
    return (
        "---\ntitle: " + yaml_str(html(f"{metric.english} {metric.name}")) + "\n---\n\n"
        f'# {text(metric.english)} <span lang="zh">{html(metric.name)}</span> {{ #indicator }}\n\n'
        f'<p class="dg-lede">{len(facts)} figure{"s" if len(facts) != 1 else ""} in '
        f"{len({f.doc for f in facts})} document{'s' if len({f.doc for f in facts}) != 1 else ''}"
        f"{' · also written ' + html(aliases) if aliases else ''}. "
        f'<a href="index.html?metric={html(metric.slug)}">See them in the facts table</a> · '
        '<a href="index.html">All facts 全部数据</a></p>\n\n'
        + ("\n\n".join(charts) + "\n\n" if charts else "")
        + '<table class="dg-facts"><thead><tr><th>Subject 主体</th><th>Year 年份</th><th>Value</th>'
        + "<th>原文</th>"
        "<th>Kind 类型</th><th>Sentence 原句</th><th>Document 文件</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>\n"
    )


def schema_page() -> str:
    """The documented export schema (fields, units, kinds) and how figures are read."""
    fields = "".join(
        f"<tr><td><code>{n}</code></td><td>{html(t)}</td><td>{html(d)}</td></tr>" for n, t, d in FIELDS
    )
    units = "".join(f"<tr><td><code>{u}</code></td><td>{html(n)}</td></tr>" for u, n in UNIT_NAMES.items())
    kinds = "".join(f"<tr><td><code>{k}</code></td><td>{html(d)}</td></tr>" for k, d in KINDS.items())
    return (
        "---\ntitle: " + yaml_str("Facts schema 字段说明") + "\n---\n\n"
        "# Facts schema 字段说明 { #schema }\n\n"
        "Every figure in the documents is exported to [facts.csv](facts.csv) and [facts.json](facts.json) "
        "(JSON Schema: [facts.schema.json](facts.schema.json)). Both hold the same fields in the same order. "
        "In the CSV, qualifiers are joined with `|`, an unknown value is an empty cell, booleans are "
        "`true`/`false`, numbers are exact decimals, and a cell that would start with `=`, `+`, `-` or `@` "
        "gets "
        "a leading apostrophe so that a spreadsheet does not run it as a formula. Fact ids are stable: they "
        "depend only on the document id, the paragraph anchor, the figure as written and its occurrence in "
        "that paragraph.\n\n"
        "## Fields 字段 { #fields }\n\n"
        f'<table class="dg-facts"><thead><tr><th>Field</th><th>Type</th><th>Meaning</th></tr></thead>'
        f"<tbody>{fields}</tbody></table>\n\n"
        "## Units 单位 { #units }\n\n"
        f'<table class="dg-facts"><thead><tr><th>Unit</th><th>Meaning</th></tr></thead><tbody>{units}</tbody>'
        "</table>\n\n"
        "## Kinds 类型 { #kinds }\n\n"
        f'<table class="dg-facts"><thead><tr><th>Kind</th><th>Meaning</th></tr></thead><tbody>{kinds}</tbody>'
        "</table>\n\n"
        "## How figures are read 读取规则 { #rules }\n\n"
        "- A figure is a number with a unit or counter (亿元, 公顷, 万平方米, 家, 个, %, 倍, 成 …) or a rank "
        "claim (全区第一, 全国首家, 十强, 前50名). Years, dates, codes, ordinals (第二届), slogan numbers "
        "(1+2+1) and numbers inside quoted names or formulas are not figures.\n"
        "- 亿 and 万 are applied exactly (123.45亿元 = 12,345,000,000 yuan). Chinese numerals are read "
        "(两所 = 2, 近八成 = nearly 80%). A range (3-5个) gives `value` and `value_max`.\n"
        "- Qualifier words before a figure (超, 近, 约, 达到, 突破, 增至, 提升至, 同比增长, 同比下降) are "
        "kept "
        "in `qualifiers`, not in `text`; a decline keeps a positive value.\n"
        "- The metric comes from the figure's clause; its English name from the curated vocabulary "
        "(annotations/metrics.yaml). Figures with an unlisted metric are kept and flagged.\n"
        "- The subject is the nearest place named before the figure, else the document's own place. The "
        "period is the year stated in the sentence, paragraph or section heading, or 全年/去年 resolved "
        "from the document date.\n"
        "- Targets and plans (力争, 预计, a work-plan section) are flagged `planned` and listed apart.\n"
    )
