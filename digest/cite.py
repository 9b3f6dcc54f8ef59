"""Citation: a Cite box on every document page, BibTeX and CSL-JSON downloads, an Atom feed.

Nothing here reads a clock: the "accessed" date of a citation is filled in by the
reader's browser when they copy it, so the build stays reproducible.
"""

from __future__ import annotations

import datetime as dt
import json
from xml.sax.saxutils import escape as xml_escape

from digest import escape
from digest.model import Document, Section
from digest.stages import Context, Writer

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def page_url(ctx: Context, doc: Document) -> str:
    """The permalink: absolute when site_url is set, else relative to the site root."""
    return f"{ctx.settings.site_url}docs/{doc.id}.html"


def english_date(date: str) -> str:
    parts = date.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return date


def creator(doc: Document) -> tuple[str, str]:
    """(Chinese, English) name of who issued or wrote the document."""
    m = doc.meta
    zh = m.issuer or m.outlet or "、".join(m.authors) or "佚名"
    en = doc.english.get("meta-issuer") or doc.english.get("meta-outlet") or ", ".join(
        doc.english.get(f"person-{a}", a) for a in m.authors) or "Anonymous"
    return zh, en


def citations(doc: Document, url: str) -> dict[str, str]:
    zh_who, en_who = creator(doc)
    title_en = doc.english.get("title", "")
    date = doc.meta.date or "n.d."
    zh = f"{zh_who}. {doc.meta.title}[EB/OL]. ({date}). {url}"
    en_title = f"“{title_en}” [{doc.meta.title}]" if title_en else f"“{doc.meta.title}”"
    en = f"{en_who}. {en_title}. {english_date(date) if doc.meta.date else 'Undated'}. Digest. {url}"
    return {"zh": zh, "en": en}


def bibtex(doc: Document, url: str) -> str:
    zh_who, en_who = creator(doc)

    def field(value: str) -> str:
        return "{" + value.replace("\\", "\\textbackslash{}").replace("{", "\\{").replace("}", "\\}") + "}"

    lines = [f"@online{{digest:{doc.id},",
             f"  title = {field(doc.meta.title)},"]
    if doc.english.get("title"):
        lines.append(f"  titleaddon = {field(doc.english['title'])},")
    lines.append(f"  author = {{{field(zh_who)}}},")
    if doc.meta.date:
        lines.append(f"  date = {field(doc.meta.date)},")
    lines += [f"  url = {field(url)},", "  langid = {chinese},",
              f"  organization = {field(en_who)},", f"  note = {field('Digest document ' + doc.id)},", "}"]
    return "\n".join(lines) + "\n"


def csl(doc: Document, url: str) -> dict[str, object]:
    zh_who, en_who = creator(doc)
    item: dict[str, object] = {
        "id": f"digest:{doc.id}", "type": "webpage", "title": doc.meta.title, "URL": url,
        "author": [{"literal": zh_who}], "language": "zh-CN", "container-title": "Digest",
    }
    if doc.english.get("title"):
        item["title-short"] = doc.english["title"]
        item["note"] = f"English title: {doc.english['title']}; issuer: {en_who}"
    if doc.meta.date:
        item["issued"] = {"date-parts": [[int(p) for p in doc.meta.date.split("-")]]}
    return item


def enrich(docs: list[Document], ctx: Context) -> None:
    for doc in docs:
        url = page_url(ctx, doc)
        cites = citations(doc, url)
        h = escape.html
        md = (
            f'<div class="dg-cite" data-permalink="{h(url)}" data-doc="{h(doc.id)}">'
            f'<p><strong>Permalink 永久链接</strong> <a class="dg-permalink" href="{h(doc.id)}.html">{h(url)}</a></p>'
            f'<p class="dg-cite-en" lang="en"><strong>Cite (English)</strong> <span class="dg-cite-text">'
            f'{h(cites["en"])}</span></p>'
            f'<p class="dg-cite-zh" lang="zh-Hans"><strong>引用（中文）</strong> <span class="dg-cite-text">'
            f'{h(cites["zh"])}</span></p>'
            f'<p class="dg-cite-downloads">Download 下载: <a href="../cite/{h(doc.id)}.bib" download>BibTeX</a> · '
            f'<a href="../cite/{h(doc.id)}.json" download>CSL-JSON</a></p></div>'
            f'<p class="dg-print-cite" lang="en">{h(cites["en"])}</p>'
        )
        doc.sections.append(Section("cite", "Cite 引用", md, order=90))


def generate(docs: list[Document], ctx: Context, writer: Writer) -> None:
    """Generator: each document's BibTeX and CSL-JSON files, and the Atom feed. A document's files are made
    from what its page is made from, so they are kept, not made, while its page key (render.page_keys) is
    the one the last build wrote them from."""
    from digest import cache

    page_keys: dict[str, str] = ctx.data.get("page_keys", {})
    for doc in sorted(docs, key=lambda d: d.id):
        url = page_url(ctx, doc)
        known = page_keys.get(doc.id)
        for ext, make in (("bib", bibtex), ("json", _csl_json)):
            rel, key = f"cite/{doc.id}.{ext}", cache.digest_of(f"cite {ext}", known) if known else ""
            if not writer.keep(rel, key):
                writer.text(rel, make(doc, url), key)
    writer.text("feed.xml", atom(docs, ctx))


def _csl_json(doc: Document, url: str) -> str:
    return json.dumps([csl(doc, url)], ensure_ascii=False, indent=2) + "\n"


def atom(docs: list[Document], ctx: Context) -> str:
    """An Atom feed of documents, newest first; its <updated> is the newest document's date."""
    base = ctx.settings.site_url
    ordered = sorted(docs, key=lambda d: (d.meta.date or "0000", d.id), reverse=True)

    def stamp(date: str) -> str:
        parts = [int(p) for p in (date or "1970").split("-")] + [1, 1]
        return dt.datetime(parts[0], parts[1], parts[2], tzinfo=dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")

    x = xml_escape
    out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom">',
           "  <title>Digest</title>", f"  <id>{x(base or 'urn:digest:')}feed.xml</id>",
           f'  <link rel="self" href="{x(base)}feed.xml"/>',
           f"  <updated>{stamp(ordered[0].meta.date if ordered else '')}</updated>"]
    for d in ordered:
        zh_who, _en_who = creator(d)
        out += ["  <entry>", f"    <title>{x(d.meta.title)}</title>",
                f"    <id>{x(page_url(ctx, d)) if base else 'urn:digest:' + d.id}</id>",
                f'    <link href="{x(page_url(ctx, d))}"/>',
                f"    <updated>{stamp(d.meta.date)}</updated>",
                f"    <author><name>{x(zh_who)}</name></author>"]
        if d.summary:
            out.append(f'    <summary xml:lang="en">{x(d.summary["en"])}</summary>')
        out.append("  </entry>")
    out.append("</feed>")
    return "\n".join(out) + "\n"
