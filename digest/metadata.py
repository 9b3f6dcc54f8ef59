"""Stage 5, metadata: title, date, issuer, outlet, authors, index and document numbers.

Sources, most trusted first: an editor's sidecar (annotations/documents/<id>.yaml,
applied by the identity stage once the id is known), labelled header fields
(发布日期/成文日期/发布机构/索引号/文号/来源), a dated page headline, bylines and
datelines, and last an inference from dates mentioned in the text, which is
marked as inferred.
"""

from __future__ import annotations

import re
from dataclasses import fields

from digest.model import Document, Meta

_YMD = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[年\-/.]\s*(?P<m>\d{1,2})\s*[月\-/.]\s*(?P<d>\d{1,2})")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_MONTH_DAY = re.compile(r"(?<![\d年])(\d{1,2})月(\d{1,2})日")
_ROLE = re.compile(r"(?P<outlet>[\u4e00-\u9fffA-Za-z]{0,12}?)(?P<role>特约记者|见习记者|记者|通讯员|实习生)[:：]?")
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_DATELINE_BYLINE = re.compile(r"^(?:本报讯|[\u4e00-\u9fff]{2,8}[讯电])\s*[（(](?P<inner>[^）)]{2,40})[）)]")
_CREDIT = re.compile(r"(策划|统筹|文/图|文／图|图/文|撰文|摄影|文|图|摄|设计|责编|编辑)\s*[:：]?\s*"
                     r"((?:[\u4e00-\u9fff·]{2,5}(?:\s+|$))+)")


def iso_date(text: str) -> str:
    m = _YMD.search(text)
    if not m:
        return ""
    return f"{int(m['y']):04d}-{int(m['m']):02d}-{int(m['d']):02d}"


def _names(text: str) -> list[str]:
    return [n for n in re.split(r"[\s、,，]+", text.strip()) if n]


def extract(doc: Document, page_meta: dict[str, str]) -> Meta:
    meta = Meta()
    titles = [b for b in doc.blocks if b.kind == "title"]
    meta.title = titles[0].text if titles else ""
    meta.kicker = [b.text for b in doc.blocks if b.kind == "kicker"]
    if not meta.title:
        first = next((b.text for b in doc.blocks if b.kind == "paragraph"), doc.source)
        meta.title = first[:30] + ("…" if len(first) > 30 else "")
        meta.notes.append("title: no headline found; the opening words stand in")
        doc.warnings.append("no title found; using the opening words")
    meta.issuer = page_meta.get("issuer", "")
    meta.outlet = page_meta.get("outlet", "")
    meta.index_no = page_meta.get("index_no", "")
    meta.doc_no = page_meta.get("doc_no", "")
    meta.keywords = _names(page_meta.get("keywords", ""))
    if page_meta.get("author"):
        meta.authors.extend(_names(page_meta["author"]))
    meta.date_written = iso_date(page_meta.get("date_written", ""))
    for key, basis in (("date_published", "published"), ("page_date", "page")):
        if page_meta.get(key) and iso_date(page_meta[key]):
            meta.date, meta.date_basis = iso_date(page_meta[key]), basis
            break
    if not meta.date and meta.date_written:
        meta.date, meta.date_basis = meta.date_written, "written"
    _people(doc, meta)
    if not meta.date:
        _infer_date(doc, meta)
    return meta


def _people(doc: Document, meta: Meta) -> None:
    texts = [b.text for b in doc.blocks if b.kind == "byline"]
    first_para = next((b.text for b in doc.blocks if b.kind == "paragraph"), "")
    m = _DATELINE_BYLINE.match(first_para)
    if m:
        texts.append(m["inner"])
    for text in texts:
        role = ""
        for token in re.split(r"[\s、,，]+", text):
            m = _ROLE.match(token)
            if m:
                role = m["role"]
                if m["outlet"] and not meta.outlet:
                    meta.outlet = m["outlet"]
                token = token[m.end():]
            if role and _PERSON.match(token):
                target = meta.contributors if role in ("通讯员", "实习生") else meta.authors
                if token not in target:
                    target.append(token)
    for b in doc.blocks:
        if b.kind == "credit":
            for cm in _CREDIT.finditer(b.text):
                for n in _names(cm.group(2)):
                    label = f"{n} ({cm.group(1)})"
                    if label not in meta.contributors:
                        meta.contributors.append(label)


def _infer_date(doc: Document, meta: Meta) -> None:
    text = "\n".join(b.text for b in doc.blocks)
    years = sorted({int(y) for y in _YEAR.findall(text)})
    if not years:  # another article on the same page may name the year
        years = sorted({int(y) for y in _YEAR.findall(doc.page_text)})
    full = sorted({iso_date(m.group(0)) for m in _YMD.finditer(text)})
    md = _MONTH_DAY.search(text)
    if years:
        year = years[-1]
        if md and not full:
            meta.date = f"{year:04d}-{int(md.group(1)):02d}-{int(md.group(2)):02d}"
            meta.notes.append(
                f"date: inferred from '{md.group(0)}' in the text and the latest year it mentions ({year})")
        else:
            meta.date = f"{year:04d}"
            meta.notes.append(f"date: inferred as the latest year the text mentions ({year})")
        meta.date_basis = "inferred"
    else:
        doc.warnings.append("no date found in the document")


META_FIELDS = {f.name for f in fields(Meta)}
