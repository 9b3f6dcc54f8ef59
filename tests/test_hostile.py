"""Hostile and broken input: nothing executes, nothing leaks, nothing is lost."""

from __future__ import annotations

import codecs
import os
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest import cli, config, pipeline
from digest.exceptions import BuildError
from tests.conftest import ROOT, SEEDS, copy_project

HOSTILE = Path(__file__).parent / "hostile"


class Elements(HTMLParser):
    """Every element and attribute of a page, with the visible text of the article."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.text.append(data)


def _build(tmp_path: Path, seeds: dict[str, bytes]) -> tuple[Path, pipeline.Report]:
    root = copy_project(tmp_path, [])
    for name, data in seeds.items():
        (root / "seeds" / name).write_bytes(data)
    return root, pipeline.build(config.load(root))


def test_markup_in_a_seed_reaches_the_page_only_as_text(tmp_path: Path) -> None:
    """HTML, Markdown, attribute lists, Jinja, snippets, abbreviations and admonitions in a seed stay text."""
    root, report = _build(tmp_path, {"markup.txt": (HOSTILE / "markup.txt").read_bytes()})
    doc = report.documents[0]
    page = Elements()
    page.feed((root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8"))
    scripts = sorted(a.get("src") or "(inline)" for t, a in page.tags if t == "script")
    assert all(s == "(inline)" or s.startswith("../assets/") for s in scripts)
    assert len([s for s in scripts if s == "(inline)"]) == 4  # Material's three, and its JSON config
    assert not [t for t, _ in page.tags if t in ("iframe", "object", "embed", "form", "img")] or all(
        a.get("src", "").startswith("../assets/") for t, a in page.tags if t == "img")
    for tag, attrs in page.tags:
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for key in ("href", "src"):
            value = (attrs.get(key) or "").strip().lower()
            assert not value.startswith(("javascript:", "data:", "http:", "https:", "//")), (tag, attrs)
        assert attrs.get("id") != "injected"
    visible = "".join(page.text)
    for needle in ['<script>alert("title")</script>标题里的脚本', "<script>alert(1)</script>",
                   "<img src=x onerror=alert(2)>", '<iframe src="https://evil.example/"></iframe>',
                   "[点我](javascript:alert(3))", "![图](x.png)", "&lt;b&gt;实体&lt;/b&gt; &amp; &#60;i&#62;",
                   "&copy;", "# 井号开头的一行", "* 星号开头的一行", "| 表 | 格 |", "**粗体** _斜体_ `代码`",
                   "{: #injected .evil }", "{{ 7*7 }}", '{% include "base.html" %}', '--8<-- "/etc/passwd"',
                   "*[HTML]: 缩写定义不应生效", "!!! note", "</p></div><script>alert(5)</script>",
                   '" onmouseover="alert(6)']:
        assert needle in visible, needle
    assert "root:x:" not in visible and "49 和" not in visible


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("gbk无BOM.txt", "平湖街道召开部署会。\n\n会议全面动员部署了新一轮攻坚行动。\n".encode("gbk")),
        ("utf16le.txt", codecs.BOM_UTF16_LE + "观湖街道工作报告。\r\n\r\n一年来成绩显著。\r\n".encode("utf-16-le")),
        ("utf16be.txt", codecs.BOM_UTF16_BE + "观湖街道工作报告。\r\r一年来成绩显著。\r".encode("utf-16-be")),
        ("utf8 bom 空格.txt", codecs.BOM_UTF8 + "带BOM的文件名有空格。\n\n第二段内容在这里。\n".encode()),
        ("nul.txt", "正文中有\x00空字符的一段话。\n\n第二段。\n".encode()),
    ],
)
def test_odd_encodings_build_with_their_text_intact(tmp_path: Path, name: str, data: bytes) -> None:
    """GBK, UTF-16 LE/BE with BOM, a BOM, NUL bytes, CR/CRLF and a file name with spaces and Chinese all build."""
    root, report = _build(tmp_path, {name: data})
    assert report.errors == []
    doc = report.documents[0]
    html = (root / "site" / "docs" / f"{doc.id}.html").read_text(encoding="utf-8")
    first = next(b.text for b in doc.blocks if b.kind in ("paragraph", "title"))
    assert first.replace("\x00", "") in html or first in html
    assert "\x00" not in html


def test_bad_seeds_are_reported_by_name_and_the_rest_still_builds(tmp_path: Path) -> None:
    """Empty, binary and undecodable seeds are errors naming the file; the good seed builds; --strict fails."""
    bad = {
        "empty.txt": b"",
        "picture.txt": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
        "garbage.txt": bytes(range(128, 256)) * 40,
    }
    root, report = _build(tmp_path, {**bad, "good.txt": "平湖街道召开部署会。\n\n会议全面动员部署。\n".encode()})
    assert len(report.documents) == 1
    assert sorted(e.split("'")[1].split(":")[0] for e in report.errors) == sorted(bad)
    with pytest.raises(BuildError):
        pipeline.build(config.load(root), strict=True)


def test_a_seed_that_cannot_be_read_is_an_error_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A seed the build may not read (permissions, a file removed mid-build) is an error naming the file,
    not a traceback; the other seeds build."""
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    _root, report = _build(tmp_path, {"locked.txt": "平湖街道。\n".encode(),
                                      "good.txt": "平湖街道召开部署会。\n\n会议全面动员部署。\n".encode()})
    assert len(report.documents) == 1
    assert report.errors == ["Error reading seed 'locked.txt': cannot be read: Permission denied"]


def test_a_huge_line_and_many_paragraphs_build(tmp_path: Path) -> None:
    """A 5 MB file with no line break and a file of 20,000 one-line paragraphs both build, nothing lost."""
    huge = ("平湖街道推进高质量发展,成效显著" * 200_000)[: 5 * 1024 * 1024 // 3] + "。"
    many = "\n\n".join(f"第{i}段:社区开展活动{i}场,服务居民。" for i in range(20_000))
    _root, report = _build(tmp_path, {"huge.txt": huge.encode(), "many.txt": many.encode()})
    assert report.errors == []
    by_source = {d.source: d for d in report.documents}
    assert sum(len(b.text) for b in by_source["huge.txt"].blocks) >= len(huge) - 10
    paragraphs = [b for b in by_source["many.txt"].blocks if b.kind in ("paragraph", "heading", "title", "kicker")]
    assert len(paragraphs) == 20_000
    assert len({b.anchor for b in paragraphs if b.anchor}) == len([b for b in paragraphs if b.anchor])


def test_identical_seeds_and_colliding_titles_get_distinct_ids(tmp_path: Path) -> None:
    """Two seeds with the same content warn and still get two ids; a title that slugs to a taken id gets -2."""
    text = "同一个标题\n\n平湖街道召开部署会,会议全面动员部署。\n".encode()
    _root, report = _build(tmp_path, {"a.txt": text, "b.txt": text})
    ids = sorted(d.id for d in report.documents)
    assert len(set(ids)) == 2 and ids[1] == ids[0] + "-2"
    assert any("same content as 'a.txt'" in str(w) for w in report.warnings)


@pytest.mark.parametrize(
    ("path", "content", "expected"),
    [
        ("annotations/registry.yaml", "documents: [\n  - id: x\n", "registry.yaml:"),
        ("annotations/cleaning.yaml", "toolbar_words: [a, b\n", "cleaning.yaml:"),
        ("annotations/documents/{id}.yaml", "date: [unclosed\n", ".yaml:"),
        ("annotations/documents/{id}.yaml", "colour: red\n", "unknown field 'colour'"),
        ("annotations/translations/en/{id}.po", 'msgid "a"\nmsgstr "b\n', ".po:2"),
        ("annotations/summaries/{id}.yaml", "zh: only one\n", "summaries"),
        ("annotations/retired.yaml", "anchors: [1, 2]\n", "retired.yaml"),
        ("digest.yml", "heading_max: many\n", "heading_max"),
        ("digest.yml", "colour: red\n", "'colour'"),
    ],
)
def test_bad_annotations_give_one_clear_error_without_traceback(
    tmp_path: Path, path: str, content: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Malformed YAML, PO syntax errors, unknown fields and bad settings: one error line naming the file.

    `digest check` runs the same analysis as build; an exception other than a DigestError would escape
    cli.main and fail this test with its traceback.
    """
    root = copy_project(tmp_path, [SEEDS / "003_089e73d47226c464.txt"])
    doc_id = "cong-houjinsheng-dao-shifan-sheng-pinghu"
    target = root / path.format(id=doc_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")
    assert cli.main(["-C", str(root), "check"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert expected in err, err


def test_a_failed_build_leaves_the_previous_output_as_it_was(tmp_path: Path) -> None:
    """A build that fails in MkDocs (bad mkdocs.yml) leaves content/ and site/ byte for byte as before."""
    root = copy_project(tmp_path, [SEEDS / "003_089e73d47226c464.txt"])
    pipeline.build(config.load(root))
    before = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) + sorted((root / "content").rglob("*"))
              if p.is_file()}
    (root / "seeds" / "new.txt").write_text("新文件的标题\n\n新文件的正文内容,用来改变输出。\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text((root / "mkdocs.yml").read_text() + "\ntheme: 42\n", encoding="utf-8")
    assert cli.main(["-C", str(root), "build"]) == 1
    after = {p: p.read_bytes() for p in sorted((root / "site").rglob("*")) + sorted((root / "content").rglob("*"))
             if p.is_file()}
    assert after == before


def _tree(path: Path) -> dict[str, bytes]:
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def test_output_is_identical_under_other_hash_seeds_locales_time_zones_and_file_order(tmp_path: Path) -> None:
    """PYTHONHASHSEED, LC_ALL, TZ and the order seeds were created in change nothing in content/ or site/."""
    outputs = []
    for n, (seed, lang, tz, order) in enumerate([("0", "C.UTF-8", "UTC", 1), ("12345", "POSIX", "Asia/Shanghai", -1)]):
        root = tmp_path / f"p{n}"
        root.mkdir()
        copy_project(root, [])
        for src in sorted(SEEDS.iterdir())[::order]:
            shutil.copy(src, root / "seeds" / src.name)
        env = {**os.environ, "PYTHONHASHSEED": seed, "LC_ALL": lang, "TZ": tz}
        proc = subprocess.run([sys.executable, "-m", "digest", "-C", str(root), "build"], env=env, cwd=ROOT,
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stderr
        outputs.append((_tree(root / "content"), _tree(root / "site")))
    assert outputs[0][0] == outputs[1][0]
    assert outputs[0][1].keys() == outputs[1][1].keys()
    for key in outputs[0][1]:
        assert outputs[0][1][key] == outputs[1][1][key], key
