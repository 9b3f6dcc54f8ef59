"""Stable addresses, citation exports, feed and the offline bundle."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import yaml

from digest import cli, config, pipeline
from digest.exceptions import BuildError
from tests.conftest import SEEDS, copy_project, rename_document

SEED = "003_089e73d47226c464.txt"


def _anchors(report: pipeline.Report) -> dict[str, str]:
    """{paragraph text: anchor} for every anchored block."""
    return {b.text: b.anchor for d in report.documents for b in d.blocks if b.anchor}


def test_inserting_a_paragraph_leaves_every_other_anchor_unchanged(tmp_path: Path) -> None:
    """A paragraph inserted into a seed gets a new anchor; every other paragraph keeps its anchor."""
    root = copy_project(tmp_path)
    before = _anchors(pipeline.build(config.load(root)))
    seed = root / "seeds" / SEED
    text = seed.read_text(encoding="utf-8")
    marker = "  党建引领方向"
    inserted = "  这是编辑插入的一段新文字,用来检验锚点是否稳定。\n\n"
    seed.write_text(text.replace(marker, inserted + marker), encoding="utf-8")
    after = _anchors(pipeline.build(config.load(root)))
    assert "这是编辑插入的一段新文字,用来检验锚点是否稳定。" in after
    for paragraph, anchor in before.items():
        assert after[paragraph] == anchor


def test_a_lightly_edited_paragraph_keeps_its_anchor(tmp_path: Path) -> None:
    """Changing a few characters of a paragraph (a cleaning fix, a typo) keeps its anchor."""
    root = copy_project(tmp_path)
    report = pipeline.build(config.load(root))
    doc = next(d for d in report.documents if d.source == SEED)
    target = next(b for b in doc.blocks if b.kind == "paragraph" and len(b.text) > 80)
    seed = root / "seeds" / SEED
    text = seed.read_text(encoding="utf-8")
    edited = target.text[:-5] + "。"  # drop a few characters at the end
    assert target.text in text
    seed.write_text(text.replace(target.text, edited), encoding="utf-8")
    doc2 = next(d for d in pipeline.build(config.load(root)).documents if d.source == SEED)
    assert next(b.anchor for b in doc2.blocks if b.text == edited) == target.anchor


def test_a_removed_url_fails_the_build_and_leaves_the_old_site(tmp_path: Path) -> None:
    """Dropping a seed would remove published URLs: the build fails listing them, and site/ is untouched."""
    root = copy_project(tmp_path)
    pipeline.build(config.load(root))
    index_before = (root / "site" / "index.html").read_bytes()
    (root / "seeds" / SEED).unlink()
    with pytest.raises(BuildError) as info:
        pipeline.build(config.load(root))
    assert "docs/cong-houjinsheng-dao-shifan-sheng-pinghu.html" in str(info.value)
    assert "en/docs/cong-houjinsheng-dao-shifan-sheng-pinghu.html" in str(info.value)
    assert (root / "site" / "index.html").read_bytes() == index_before


def test_retiring_urls_and_anchors_lets_the_build_through(tmp_path: Path) -> None:
    """URLs listed in annotations/retired.yaml may disappear; a lost anchor must be retired too."""
    root = copy_project(tmp_path)
    report = pipeline.build(config.load(root))
    doc = next(d for d in report.documents if d.source == SEED)
    gone = next(b for b in doc.blocks if b.kind == "paragraph")
    keep = next(b for b in doc.blocks if b.kind == "paragraph" and b is not gone)
    seed = root / "seeds" / SEED
    seed.write_text(seed.read_text(encoding="utf-8").replace(gone.text, ""), encoding="utf-8")
    with pytest.raises(BuildError) as info:
        pipeline.build(config.load(root))
    assert gone.anchor in str(info.value) and "retired.yaml" in str(info.value)
    (root / "annotations" / "retired.yaml").write_text(
        yaml.safe_dump({"anchors": {doc.id: {gone.anchor: keep.anchor}}}), encoding="utf-8")
    pipeline.build(config.load(root))
    html = (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
    assert f'"{gone.anchor}": "{keep.anchor}"' in html  # readers of the old anchor land on its replacement


def test_a_renamed_document_keeps_its_old_url_as_a_redirect(tmp_path: Path) -> None:
    """Renaming an id with redirect_from writes a redirect page (fragment kept by redirect.js) at the old URL."""
    root = copy_project(tmp_path)
    pipeline.build(config.load(root))
    old = rename_document(root, SEED, "shangmugu-community")
    pipeline.build(config.load(root))
    for prefix in ("", "en/", "zh-Hant/"):
        page = (root / "site" / prefix / "docs" / f"{old}.html").read_text(encoding="utf-8")
        assert 'rel="canonical" href="shangmugu-community.html"' in page
        assert (root / "site" / prefix / "docs" / "shangmugu-community.html").is_file()
    assert "location.hash" in (root / "site" / "assets" / "redirect.js").read_text(encoding="utf-8")


def test_citation_exports_and_feed(built) -> None:
    """Each document has a Cite box, BibTeX and CSL-JSON downloads; the Atom feed lists documents newest first."""
    root, report = built
    for doc in report.documents:
        html = (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
        assert 'class="dg-cite"' in html and f"../cite/{doc.id}.bib" in html
        bib = (root / "site" / "cite" / f"{doc.id}.bib").read_text(encoding="utf-8")
        assert bib.startswith(f"@online{{digest:{doc.id},") and doc.meta.title in bib
        csl = json.loads((root / "site" / "cite" / f"{doc.id}.json").read_text(encoding="utf-8"))
        assert csl[0]["title"] == doc.meta.title and csl[0]["type"] == "webpage"
    feed = ET.parse(root / "site" / "feed.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    updated = [e.findtext("a:updated", namespaces=ns) for e in feed.findall("a:entry", ns)]
    assert len(updated) == len(report.documents) and updated == sorted(updated, reverse=True)


def test_bundle_is_a_deterministic_zip_of_the_site(built, tmp_path: Path) -> None:
    """`digest bundle` zips every file of site/; two bundles of the same site are byte-identical."""
    root, _ = built
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    assert cli.main(["-C", str(root), "bundle", "-o", str(a)]) == 0
    assert cli.main(["-C", str(root), "bundle", "-o", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    names = zipfile.ZipFile(a).namelist()
    site_files = sorted(p.relative_to(root / "site").as_posix() for p in (root / "site").rglob("*") if p.is_file())
    assert names == [f"digest-site/{n}" for n in site_files]


def test_all_links_are_relative_so_any_sub_path_works(built) -> None:
    """No page links to an absolute path (/...), so the site works under any sub-path and from file://.

    404.html is the exception: a server shows it at any depth, so MkDocs roots its links at site_url's path.
    """
    root, _ = built
    for path in (root / "site").rglob("*.html"):
        if path.name == "404.html":
            continue
        text = path.read_text(encoding="utf-8")
        absolute = re.findall(r'(?:href|src)="(/[^"]*)"', text)
        assert absolute == [], f"{path}: {absolute[:3]}"


def test_seed_list_unchanged() -> None:
    """The seeds folder holds the five shared seeds (a guard for the tests above)."""
    assert len(list(SEEDS.glob("*.txt"))) == 5


def test_site_url_gives_absolute_permalinks_sitemap_and_feed(tmp_path: Path) -> None:
    """With site_url set to an intranet sub-path, permalinks, citations, feed and sitemap use it in every reading,
    while links between pages stay relative."""
    root = copy_project(tmp_path, [SEEDS / SEED])
    (root / "digest.yml").write_text('site_url: "https://intranet.example/digest/"\n', encoding="utf-8")
    report = pipeline.build(config.load(root))
    doc = report.documents[0]
    url = f"https://intranet.example/digest/docs/{doc.id}.html"
    html = (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
    assert f'data-permalink="{url}"' in html
    assert url in (root / "site" / "cite" / f"{doc.id}.bib").read_text(encoding="utf-8")
    assert f'<link href="{url}"/>' in (root / "site" / "feed.xml").read_text(encoding="utf-8")
    for prefix in ("", "en/", "zh-Hant/"):
        sitemap = (root / "site" / prefix / "sitemap.xml").read_text(encoding="utf-8")
        assert f"<loc>https://intranet.example/digest/{prefix}docs/{doc.id}.html</loc>" in sitemap
    assert not re.findall(r'href="https://intranet\.example/digest/(?!docs/[^"]+\.html")', html.split("dg-cite")[0])
