"""How long converting a built project's document pages takes, outside MkDocs (a lever's floor).

    python benchmarks/markdown_speed.py PROJECT

PROJECT is a project that has been built (its content/docs/*.md are read). The script times, in CPU
seconds, Python-Markdown with the extensions of the project's mkdocs.yml (what MkDocs does for each
page before its template) and markdown-it-py (CommonMark with tables) on every document page, once
each. It answers one question of benchmarks/README.md ("Render document pages outside MkDocs"): how
much of the MkDocs render such a change could save, since the pages' Markdown would still have to be
converted.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    import markdown
    import yaml
    from markdown_it import MarkdownIt

    root = Path(argv[0])
    pages = sorted((root / "content" / "docs").glob("*.md"))
    if not pages:
        print(f"no document pages under {root / 'content' / 'docs'}: build the project first", file=sys.stderr)
        return 1
    texts = [p.read_text(encoding="utf-8") for p in pages]
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names, configs = [], {}
    for ext in config.get("markdown_extensions", []):
        name, options = next(iter(ext.items())) if isinstance(ext, dict) else (ext, None)
        names.append(name)
        if options:
            configs[name] = options
    md = markdown.Markdown(extensions=names, extension_configs=configs)
    t0 = time.process_time()
    for text in texts:
        md.reset().convert(text)
    python_markdown = time.process_time() - t0
    it = MarkdownIt("commonmark").enable("table")
    t0 = time.process_time()
    for text in texts:
        it.render(text)
    markdown_it = time.process_time() - t0
    mean = sum(map(len, texts)) / len(texts)
    print(f"{len(texts)} document pages, {mean:,.0f} characters of Markdown on average")
    for label, seconds in (("Python-Markdown (mkdocs.yml's extensions)", python_markdown),
                           ("markdown-it-py", markdown_it)):
        print(f"{label}: {seconds:.2f} s CPU, {seconds / len(texts) * 1000:.2f} ms a page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
