"""Markdown/HTML for the facts: the Key facts section of a document page, the site-wide facts
page with the filterable table of every figure (digest/assets/facts.js) or, on a larger site, a
summary of that table, which is then split into pages of a year each (facts/table/<year>[-<n>]),
indicator pages with charts, and the schema page. No page grows with the number of documents but
the Key facts section of a document (which grows with that document).

Every seed string goes through :func:`digest.escape.html` (raw HTML) or :func:`digest.escape.text`.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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


def _filter_form(facts: list[Fact], known: list[Metric], table_id: str) -> str:
    """The filter of a facts table (digest/assets/facts.js): only the values its rows hold."""
    subjects = sorted({f.subject for f in facts if f.subject})
    years = sorted({str(f.period) for f in facts if f.period is not None}, reverse=True)
    return (
        f'<form class="dg-facts-filter" data-table="{table_id}">'
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


def _table(facts: list[Fact], docs: dict[str, Document], root: str, to_facts: str) -> str:
    """The facts table: one row per figure with its filter data. ``root`` leads from the page to the
    site root, ``to_facts`` to the facts/ folder."""
    rows = []
    for f in facts:
        d = docs[f.doc]
        en, zh = _metric_cells(f, to_facts)
        attrs = (
            f'data-subject="{html(f.subject)}" data-metric="{html(f.metric_slug or UNLISTED)}" '
            f'data-year="{f.period if f.period is not None else NO_YEAR}" data-kind="{f.kind}" '
            f'data-status="{"target" if f.planned else "result"}"'
        )
        rows.append(
            f"<tr {attrs}>"
            f'<td lang="zh"><a href="{root}docs/{d.id}.html">{html(d.meta.title)}</a></td>'
            f'<td lang="zh">{html(f.subject) or "—"}</td><td>{en}</td><td lang="zh">{zh}</td>'
            f'<td lang="zh"><a href="{root}docs/{d.id}.html#{f.id}">{html(f.text)}</a></td>'
            f"<td>{html(f.display)}</td><td>{_year(f)}</td><td>{_KIND_HTML[f.kind]}</td>"
            f"<td>{'target 目标' if f.planned else 'result 实绩'}</td></tr>"
        )
    return (
        f'<table class="dg-facts dg-facts--all" id="{TABLE_ID}"><thead><tr><th>Document 文件</th>'
        "<th>Subject 主体</th><th>Metric</th><th>指标</th><th>Figure 原文</th><th>Value</th>"
        "<th>Year 年份</th>"
        f"<th>Kind 类型</th><th>Status 性质</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


# --- the facts table, split into pages ---------------------------------------------------------------
TABLE_ID = "dg-all-facts"
TABLE_ROWS = 500  # most figures on one page: no page grows with the corpus
NO_YEAR_PAGE = "none"


@dataclass
class TablePage:
    """One page of the facts table (facts/table/<name>.html): figures of one year (or of none),
    grouped by metric, at most :data:`TABLE_ROWS` of them."""

    year: str  # "2024", or NO_YEAR_PAGE
    number: int  # 1, 2, … within its year
    facts: list[Fact]
    pages: int = 1  # pages of its year

    @property
    def name(self) -> str:
        return self.year if self.number == 1 else f"{self.year}-{self.number}"

    @property
    def label(self) -> str:
        return self.year if self.year != NO_YEAR_PAGE else "no year 未注明"


def _metric_key(f: Fact) -> tuple[int, str, str]:
    """Listed metrics by English name, then the unlisted ones."""
    return (0, f.metric_en.lower(), f.metric_slug) if f.metric_known else (1, "", "")


def table_pages(facts: list[Fact], rows: int) -> list[TablePage]:
    """The facts table in pages: one year after the other (newest first, figures without a year last),
    each year's figures grouped by metric (in reading order within a metric), ``rows`` to a page."""
    by_year: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_year[str(f.period) if f.period is not None else NO_YEAR_PAGE].append(f)
    years = sorted((y for y in by_year if y != NO_YEAR_PAGE), key=int, reverse=True)
    if NO_YEAR_PAGE in by_year:
        years.append(NO_YEAR_PAGE)
    out: list[TablePage] = []
    for year in years:
        group = sorted(by_year[year], key=_metric_key)  # stable: reading order within a metric
        chunks = [group[i : i + rows] for i in range(0, len(group), rows)]
        out.extend(TablePage(year, n, chunk, len(chunks)) for n, chunk in enumerate(chunks, 1))
    return out


def _used_metrics(facts: Iterable[Fact], metrics: list[Metric]) -> list[Metric]:
    used = {f.metric_slug for f in facts if f.metric_known}
    return sorted((m for m in metrics if m.slug in used), key=lambda m: m.english.lower())


def _lede(facts: list[Fact]) -> str:
    unlisted = sum(1 for f in facts if not f.metric_known)
    return (
        f"{len(facts)} figures from {len({f.doc for f in facts})} documents, normalised and linked to "
        f"their source paragraph; {unlisted} have a metric not yet in the vocabulary (flagged “unlisted”)"
    )


def _downloads(to_facts: str) -> str:
    return (
        f'downloads: <a href="{to_facts}facts.csv" download>facts.csv</a> · '
        f'<a href="{to_facts}facts.json" download>facts.json</a> · '
        f'<a href="{to_facts}schema.html">schema 字段说明</a>'
    )


def index_page(
    facts: list[Fact], docs: dict[str, Document], metrics: list[Metric], tables: list[TablePage] | None = None
) -> str:
    """The site-wide facts page. With no ``tables`` (a small site: every figure fits on one page) it
    holds the table itself, filterable by subject, metric, year, kind and status. Otherwise the table
    is on ``tables`` and this page summarises it: figures per year, and per metric and year with links
    to the page where they are, so that its size depends on the vocabulary and the years, not on the
    number of documents."""
    known = _used_metrics(facts, metrics)
    per_metric = Counter(f.metric_slug for f in facts if f.metric_known)
    indicators = "".join(
        f'<li><a href="{m.slug}.html">{html(m.english)}</a> <span lang="zh">{html(m.name)}</span> '
        f"({per_metric[m.slug]})</li>"
        for m in known
    )
    head = "---\ntitle: " + yaml_str("Key facts 关键数据") + "\n---\n\n# Key facts 关键数据 { #key-facts }\n\n"
    tail = f'## Indicators 指标对比 {{ #indicators }}\n\n<ul class="dg-indicators">{indicators}</ul>\n'
    if not tables:
        return (
            head
            + f'<p class="dg-lede">{_lede(facts)}. Filter the table below; {_downloads("")}</p>\n\n'
            + f"{_filter_form(facts, known, TABLE_ID)}\n\n{_table(facts, docs, '../', '')}\n\n"
            + tail
        )
    return (
        head
        + f'<p class="dg-lede">{_lede(facts)}. The table of all figures is split by year into pages of '
        f"at most {TABLE_ROWS}, each with its own filter; {_downloads('')}</p>\n\n"
        "## Figures by year 按年份 { #years }\n\n"
        + _years_list(tables, "table/")
        + "\n\n## Figures by metric and year 按指标与年份 { #metrics-by-year }\n\n"
        + _summary(facts, known, tables)
        + "\n\n"
        + tail
    )


def years_summary(tables: list[TablePage]) -> str:
    """What :func:`_years_list` shows of the pages, as one string (a table page's key)."""
    return json.dumps([[t.year, t.name, t.label, t.number, t.pages, len(t.facts)] for t in tables], ensure_ascii=False)


def _years_list(tables: list[TablePage], to_tables: str, current: str = "") -> str:
    """One link per year (to its first page), with its figures and pages."""
    items = []
    for t in tables:
        if t.number != 1:
            continue
        total = sum(len(u.facts) for u in tables if u.year == t.year)
        link = (
            f"<strong>{html(t.label)}</strong>"
            if t.year == current
            else f'<a href="{to_tables}{t.name}.html">{html(t.label)}</a>'
        )
        pages = f" on {t.pages} pages" if t.pages > 1 else ""
        items.append(f"<li>{link}: {total} figure{'s' if total != 1 else ''}{pages}</li>")
    return f'<ul class="dg-facts-years">{"".join(items)}</ul>'


def _summary(facts: list[Fact], known: list[Metric], tables: list[TablePage]) -> str:
    """Figures per metric (rows, filterable by metric) and year (columns); each count links to the
    first table page holding them, and names the last one when they run over several."""
    counts: Counter[tuple[str, str]] = Counter()
    where: dict[tuple[str, str], tuple[TablePage, TablePage]] = {}
    for t in tables:
        for f in t.facts:
            key = (f.metric_slug or UNLISTED, t.year)
            counts[key] += 1
            first = where.get(key, (t, t))[0]
            where[key] = (first, t)
    years = [t for t in tables if t.number == 1]
    rows = [(m.slug, f'<a href="{m.slug}.html">{html(m.english)}</a>', html(m.name)) for m in known]
    rows.append((UNLISTED, "(unlisted metrics)", "未收录指标"))
    body = []
    for slug, en, zh in rows:
        cells = []
        for y in years:
            n = counts[(slug, y.year)]
            if not n:
                cells.append("<td></td>")
                continue
            first, last = where[(slug, y.year)]
            more = f" <small>(pages {first.number}–{last.number})</small>" if last is not first else ""
            cells.append(f'<td><a href="table/{first.name}.html?metric={html(slug)}">{n}</a>{more}</td>')
        total = sum(counts[(slug, y.year)] for y in years)
        body.append(
            f'<tr data-metric="{html(slug)}"><td>{en}</td><td lang="zh">{zh}</td><td>{total}</td>'
            f"{''.join(cells)}</tr>"
        )
    form = (
        f'<form class="dg-facts-filter" data-table="{SUMMARY_ID}">'
        + _options(
            "metric",
            "Metric 指标",
            [*((m.slug, f"{m.english} · {m.name}") for m in known), (UNLISTED, "(unlisted metrics 未收录指标)")],
        )
        + '<button type="reset">Clear 清除</button> <output class="dg-facts-count"></output></form>'
    )
    head = "".join(f"<th>{html(y.label)}</th>" for y in years)
    return (
        f"{form}\n\n"
        f'<table class="dg-facts dg-facts--summary" id="{SUMMARY_ID}"><thead><tr><th>Metric</th><th>指标</th>'
        f"<th>All 合计</th>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


SUMMARY_ID = "dg-facts-summary"


def table_page(page: TablePage, tables: list[TablePage], docs: dict[str, Document], metrics: list[Metric]) -> str:
    """One page of the facts table, with the same filter as the single-page table and links to the
    other pages of its year and to the other years."""
    siblings = [t for t in tables if t.year == page.year]
    pager = []
    if page.number > 1:
        pager.append(f'<a href="{siblings[0].name}.html">« first 首页</a>')
        pager.append(f'<a href="{siblings[page.number - 2].name}.html" rel="prev">‹ previous 上一页</a>')
    if page.pages > 1:
        pager.append(f"page {page.number} of {page.pages}")
    if page.number < page.pages:
        pager.append(f'<a href="{siblings[page.number].name}.html" rel="next">next 下一页 ›</a>')
        pager.append(f'<a href="{siblings[-1].name}.html">last 末页 »</a>')
    title = f"Key facts 关键数据 · {page.label}" + (f" ({page.number}/{page.pages})" if page.pages > 1 else "")
    known = _used_metrics(page.facts, metrics)
    return (
        "---\ntitle: " + yaml_str(title) + "\n---\n\n"
        f"# Key facts 关键数据: {text(page.label)} {{ #key-facts }}\n\n"
        f'<p class="dg-lede">{len(page.facts)} figures of {html(page.label)}, grouped by metric'
        + (f" (page {page.number} of {page.pages})" if page.pages > 1 else "")
        + f'. <a href="../index.html">All facts 全部数据</a> · {_downloads("../")}</p>\n\n'
        + (f'<p class="dg-facts-pager">{" · ".join(pager)}</p>\n\n' if pager else "")
        + f"{_filter_form(page.facts, known, TABLE_ID)}\n\n{_table(page.facts, docs, '../../', '../')}\n\n"
        + "## Other years 其他年份 { #years }\n\n"
        + _years_list(tables, "", current=page.year)
        + "\n"
    )


def _label(f: Fact, docs: dict[str, Document]) -> str:
    return " · ".join(x for x in (f.subject or "—", _year(f), docs[f.doc].meta.title[:14]) if x)


def moved_table_page(name: str, tables: list[TablePage]) -> str:
    """A table page published by an earlier build that this one does not fill (its year has fewer
    figures now, or fewer than fit on the facts page): published URLs never disappear, so it stays
    as a pointer to where its year's figures are now."""
    year = name.split("-")[0]
    first = next((t for t in tables if t.year == year), None)
    where = (
        f'<a href="{first.name}.html">the figures of {html(first.label)}</a>'
        if first
        else '<a href="../index.html">the facts page</a>'
    )
    return (
        "---\ntitle: " + yaml_str("Key facts 关键数据") + "\n---\n\n"
        "# Key facts 关键数据 { #key-facts }\n\n"
        f'<p class="dg-lede">This page of the facts table is no longer needed; see {where} · '
        '<a href="../index.html">All facts 全部数据</a></p>\n'
    )


INDICATOR_ROWS = 200  # figures listed on an indicator page: results first, the latest years first
CHART_BARS = 40  # bars in one of its charts: the latest


def indicator_page(metric: Metric, facts: list[Fact], docs: dict[str, Document]) -> str:
    """One metric across documents and subjects: a bar chart per kind and unit, then its figures (the
    latest :data:`CHART_BARS` per chart and :data:`INDICATOR_ROWS` in the table, so that the page stays
    small; the facts table and the exports hold every one)."""
    charts = []
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for f in facts:
        if not f.planned and f.kind != "rank":
            groups[(f.kind, f.unit)].append(f)
    for (kind, unit), group in sorted(groups.items()):
        group = sorted(group, key=lambda f: (-(f.period or 0), f.subject, f.doc, f.start))
        bars = [Bar(_label(f, docs), f.value, f.display, f"../docs/{f.doc}.html#{f.id}") for f in group[:CHART_BARS]]
        title = f"{metric.english} — {kind} ({UNIT_NAMES.get(unit, unit)})"
        caption = title + (f", the latest {CHART_BARS} of {len(group)}" if len(group) > CHART_BARS else "")
        charts.append(
            f'<figure class="dg-chart-figure">{bar_chart(title, bars)}'
            f"<figcaption>{html(caption)}</figcaption></figure>"
        )
    rows = []
    ordered = sorted(facts, key=lambda f: (f.planned, -(f.period or 0), f.subject, f.doc, f.start))
    for f in ordered[:INDICATOR_ROWS]:
        d = docs[f.doc]
        rows.append(
            f'<tr><td lang="zh">{html(f.subject) or "—"}</td><td>{_year(f)}</td>'
            f'<td><a href="../docs/{d.id}.html#{f.id}">{html(f.display)}</a></td>'
            f'<td lang="zh">{html(f.text)}</td>'
            f'<td>{_KIND_HTML[f.kind]}{" · target 目标" if f.planned else ""}</td>'
            f'<td lang="zh">{html(f.sentence)}</td>'
            f'<td lang="zh"><a href="../docs/{d.id}.html#{html(f.anchor)}">{html(d.meta.title)}</a></td></tr>'
        )
    shown = (
        f'<p class="dg-facts-note">The first {INDICATOR_ROWS} of {len(facts)} figures: reported results '
        "before targets, the latest years first. All of them are in the "
        f'<a href="index.html?metric={html(metric.slug)}">facts table</a> and in '
        '<a href="facts.csv" download>facts.csv</a> · <a href="facts.json" download>facts.json</a>.</p>\n\n'
        if len(facts) > INDICATOR_ROWS
        else ""
    )
    aliases = "、".join(metric.aliases)
    n_docs = len({f.doc for f in facts})
    return (
        "---\ntitle: " + yaml_str(html(f"{metric.english} {metric.name}")) + "\n---\n\n"
        f'# {text(metric.english)} <span lang="zh">{html(metric.name)}</span> {{ #indicator }}\n\n'
        f'<p class="dg-lede">{len(facts)} figure{"s" if len(facts) != 1 else ""} in '
        f"{n_docs} document{'s' if n_docs != 1 else ''}"
        f"{' · also written ' + html(aliases) if aliases else ''}. "
        f'<a href="index.html?metric={html(metric.slug)}">See them in the facts table</a> · '
        '<a href="index.html">All facts 全部数据</a></p>\n\n'
        + ("\n\n".join(charts) + "\n\n" if charts else "")
        + shown
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
