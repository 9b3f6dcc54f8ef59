"""End to end: the five seeds built into a temporary project."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

from digest import config, pipeline
from digest.text import fold
from tests.conftest import SEEDS, copy_project


def _page(root: Path, report: pipeline.Report, source: str, part: int = 1) -> str:
    doc = next(d for d in report.documents if d.source == source and d.part == part)
    return (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return "".join(parser.parts)


def test_builds_one_page_per_article(built) -> None:
    """Five seeds give six documents: seed 000 carries two articles."""
    root, report = built
    assert len(report.documents) == 6
    assert [d.part for d in report.documents if d.source.startswith("000_")] == [1, 2]
    assert report.errors == []
    for doc in report.documents:
        assert (root / "content" / "docs" / f"{doc.id}.md").is_file()
        assert (root / "site" / "docs" / f"{doc.id}.html").is_file()


def test_titles_and_metadata(built) -> None:
    """Titles, dates with their basis, issuer, index number and reporters are extracted."""
    _, report = built
    by_source = {(d.source[:3], d.part): d.meta for d in report.documents}
    guanhu = by_source[("002", 1)]
    assert guanhu.title == "2025年观湖街道党工委工作报告"
    assert (guanhu.date, guanhu.date_basis) == ("2025-02-24", "published")
    assert guanhu.issuer == "深圳市龙华区观湖街道办"
    assert guanhu.index_no == "11440300342531207R/2025-00034"
    assert by_source[("001", 1)].date == "2025-01-16"
    assert by_source[("003", 1)].outlet == "龙岗融媒"
    pinghu = by_source[("000", 1)]
    assert pinghu.title == "平湖全面打响新一轮“三年行动”攻坚战"
    assert pinghu.authors == ["何小娟"] and pinghu.contributors == ["龙平轩"]
    assert (pinghu.date, pinghu.date_basis) == ("2026-02-04", "editor")  # sidecar in annotations/documents
    nankeng = by_source[("000", 2)]
    assert nankeng.title == "南坑“虚拟社区”打造掌上便民生活圈"
    assert nankeng.kicker == ["从“建起来”到“活起来”"]
    assert nankeng.authors == ["李虹莹"]
    assert by_source[("004", 1)].date_basis == "inferred"


def test_split_sentences_are_rejoined_on_the_page(built) -> None:
    """Every page-break split named in the issue reads as one sentence on its page."""
    root, report = built
    page0 = visible_text(_page(root, report, "000_d9aa945f40867fd2.txt", 1))
    page0b = visible_text(_page(root, report, "000_d9aa945f40867fd2.txt", 2))
    page4 = visible_text(_page(root, report, "004_6d357c08ea62956c.txt"))
    assert "要自觉在大局中谋划工作" in page0
    assert "等重大使命" in page0
    assert "“AI+玩具”公益课程" in page0b
    assert "寒暑假重点推出" in page0b
    assert "一批重点领域" in page4
    assert "作为共建共治共享" in page4
    assert "“虚拟社区”" in page4 and '"虚拟社区"' not in page4


def test_captions_credits_and_removed_lines_are_marked(built) -> None:
    """Captions render as figures, credits as credit lines, and chrome only in the removed list."""
    root, report = built
    html = _page(root, report, "000_d9aa945f40867fd2.txt", 1)
    figures = re.findall(r'<figure class="dg-caption[^"]*"[^>]*>(.*?)</figure>', html, re.S)
    assert any("为四个先锋队颁发“军令状”。受访单位供图" in visible_text(f) for f in figures)
    html3 = _page(root, report, "003_089e73d47226c464.txt")
    removed = html3[html3.index('class="dg-removed"'):]
    body = html3[: html3.index('class="dg-removed"')]
    assert "扫一扫在手机打开当前页" in removed and "扫一扫" not in visible_text(body)
    assert "当前位置" in removed
    html1 = _page(root, report, "001_7112ccc26b82181a.txt")
    assert '<p class="dg-credit">策划 凌海英 文/图 张帆 黄璟 谢华庚</p>' in html1


def test_headings_become_heading_elements_with_anchors(built) -> None:
    """一、 and （一） headings become h2/h3 with stable ids; short standalone lines become headings."""
    root, report = built
    html = unescape(_page(root, report, "002_87e769d0dbf5db3d.txt"))
    assert re.search(r'<h2 id="h-[0-9a-f]{6,}"><span class="dg-zh" lang="zh-Hans">一、2024年工作回顾', html)
    assert re.search(r'<h3 id="h-[0-9a-f]{6,}"><span class="dg-zh" lang="zh-Hans">\(一\)全力以赴提升产业质效', html)
    html0 = unescape(_page(root, report, "000_d9aa945f40867fd2.txt", 1))
    assert re.search(r'<h3 id="h-[0-9a-f]{6,}"><span class="dg-zh" lang="zh-Hans">胸怀全局,打响高质量发展攻坚战', html0)


def test_nothing_is_lost(built) -> None:
    """Every phrase of every seed is on its page or in that page's removed-as-boilerplate list."""
    root, report = built
    pages = {d.source: "" for d in report.documents}
    for d in report.documents:
        pages[d.source] += fold(visible_text((root / "site" / "docs" / f"{d.id}.html").read_text(encoding="utf-8")))
    for seed in sorted(SEEDS.iterdir()):
        shown = pages[seed.name]
        for n, line in enumerate(seed.read_text(encoding="utf-8").splitlines(), start=1):
            for phrase in (p for piece in line.split() for p in re.findall(r"[\w\u4e00-\u9fff]+", fold(piece))):
                assert phrase in shown, f"{seed.name}:{n}: {phrase!r} is neither on the page nor in its removed list"


def test_home_page_lists_documents_newest_first(built) -> None:
    """The home page lists every document, newest first, with date and issuer."""
    root, report = built
    html = (root / "site" / "index.html").read_text(encoding="utf-8")
    positions = [html.index(f'docs/{d.id}.html') for d in sorted(report.documents, key=lambda d: d.meta.date,
                                                                   reverse=True)]
    assert positions == sorted(positions)
    assert (root / "site" / "by-issuer.html").is_file() and (root / "site" / "by-year.html").is_file()


def test_site_makes_no_outside_request(built) -> None:
    """No page or asset refers to an outside host (fonts, CDNs, polyfills, analytics)."""
    root, _ = built
    offenders = []
    for path in sorted((root / "site").rglob("*")):
        if path.suffix in {".html", ".js", ".css", ".json", ".xml"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            for m in re.finditer(r"""(?:src|href|url)\s*[=(]\s*["']?((?:https?:)?//[^"')\s>]+)""", text):
                offenders.append(f"{path.relative_to(root)}: {m.group(1)}")
            for m in re.finditer(r"https?://(?:unpkg|cdn|fonts\.googleapis|fonts\.gstatic|polyfill)[^\"'\s]*", text):
                offenders.append(f"{path.relative_to(root)}: {m.group(0)}")
    assert offenders == []


def test_build_is_deterministic(tmp_path: Path, built) -> None:
    """A second build of the same inputs in another folder gives byte-identical content/ and site/, also
    when it runs as `digest build` does (the digest stage in a process of its own: digest/isolated.py)."""
    root1, _ = built
    root2 = copy_project(tmp_path)
    report = pipeline.build(config.load(root2), isolate=True)
    assert report.documents == [] and report.document_count == 6 and report.removed_lines > 0
    for sub in ("content", "site"):
        files1 = sorted(p.relative_to(root1 / sub) for p in (root1 / sub).rglob("*") if p.is_file())
        files2 = sorted(p.relative_to(root2 / sub) for p in (root2 / sub).rglob("*") if p.is_file())
        assert files1 == files2
        for rel in files1:
            assert (root1 / sub / rel).read_bytes() == (root2 / sub / rel).read_bytes(), f"{sub}/{rel} differs"
