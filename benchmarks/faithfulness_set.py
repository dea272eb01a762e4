"""Build the labelled translation-faithfulness set (``eval/faithfulness/pairs.jsonl``).

Each pair is an original sentence and a rendering of it in another language, labelled ``faithful`` or
``corrupted``. Three sources:

* XQuAD's parallel paragraphs (``eval/xquad/xquad.paragraphs.jsonl``; English and German written by
  professional translators), aligned sentence by sentence where both paragraphs have as many sentences:
  German → English and English → German pairs, faithful as published;
* real translations of seed sentences (German, French, Vietnamese, Indonesian, English) by the bundled
  model, labelled by hand (``eval/faithfulness/model_translations.jsonl``, written by
  ``--translate-seeds`` and then labelled);
* corrupted copies of faithful pairs, one corruption each, of the kinds a small translator makes or a
  verifier must catch: names swapped between roles, a number changed or two swapped, a relation reversed,
  a negation added, an office mistranslated, a word left untranslated.

Every pair carries its split: XQuAD pairs by article (even ``article_idx`` tune, odd report, as every
XQuAD figure); model translations by position. Corrupted copies share their faithful pair's split.

The word tables below are *corruption recipes* for building test data, not product knowledge: the
product never reads them.

    .venv/bin/python -m benchmarks.faithfulness_set            # rebuild pairs.jsonl
    .venv/bin/python -m benchmarks.faithfulness_set --translate-seeds   # (re)draft model_translations.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

from assistant.text.names import is_name_part
from assistant.text.words import WORD

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "eval" / "faithfulness"

#: Relations and their reversal, per language of the rendering.
REVERSALS = {
    "en": [("increased", "decreased"), ("rose", "fell"), ("before", "after"), ("largest", "smallest"),
           ("more", "less"), ("higher", "lower"), ("first", "last"), ("won", "lost"), ("north", "south"),
           ("east", "west"), ("earlier", "later"), ("older", "younger"), ("most", "least"), ("above", "below"),
           ("entered", "left"), ("bought", "sold"), ("received", "sent"), ("from", "to"), ("defeated", "lost to"),
           ("supported", "opposed"), ("allowed", "banned"), ("invested in", "received investment from")],
    "de": [("vor", "nach"), ("größte", "kleinste"), ("größten", "kleinsten"), ("mehr", "weniger"),
           ("höher", "niedriger"), ("erste", "letzte"), ("ersten", "letzten"), ("gewann", "verlor"),
           ("Norden", "Süden"), ("Osten", "Westen"), ("früher", "später"), ("meisten", "wenigsten"),
           ("über", "unter"), ("von", "nach"), ("kaufte", "verkaufte"), ("stieg", "fiel"), ("erhielt", "schickte")],
}
#: Offices and roles, each mistranslated as another.
OFFICES = {
    "en": [("president", "prime minister"), ("minister", "ambassador"), ("ambassador", "consul"), ("king", "prince"),
           ("mayor", "governor"), ("emperor", "king"), ("general", "admiral"), ("director", "chairman"),
           ("professor", "student"), ("coach", "player"), ("quarterback", "linebacker"), ("chancellor", "president"),
           ("bishop", "cardinal"), ("pope", "bishop"), ("duke", "count"), ("governor", "senator"),
           ("teacher", "pupil"), ("father", "brother"), ("son", "nephew"), ("wife", "sister"), ("founder", "owner")],
    "de": [("Präsident", "Kanzler"), ("Minister", "Botschafter"), ("König", "Kaiser"), ("Kaiser", "Papst"),
           ("Bürgermeister", "Gouverneur"), ("Professor", "Student"), ("Trainer", "Spieler"), ("Direktor", "Vorsitzender"),
           ("Bischof", "Kardinal"), ("Vater", "Bruder"), ("Sohn", "Neffe"), ("Frau", "Schwester"), ("Gründer", "Besitzer"),
           ("Quarterback", "Linebacker"), ("Herzog", "Graf")],
}
#: Where a negation goes: after the first of these auxiliaries.
NEGATABLE = {
    "en": (r"\b(is|are|was|were|has|have|had|will|would|can|could|should|must)\b", r"\1 not"),
    "de": (r"\b(ist|sind|war|waren|hat|haben|hatte|hatten|wird|werden|wurde|wurden|kann|konnte)\b", r"\1 nicht"),
    "fr": (r"\b(est|sont|était|étaient|a|ont|avait|sera|seront)\b", r"n'\1 pas"),
    "id": (r"\b(adalah|akan|telah|sudah|sedang)\b", r"tidak \1"),
    "vi": (r"\b(là|đã|sẽ|đang)\b", r"không \1"),
}
NUMBER = re.compile(r"\d+")
KINDS = ("swap_names", "number", "reversal", "negation", "office", "untranslated")


def name_runs(text: str) -> list[tuple[int, int, str]]:
    """Runs of capitalised name words after the first word: (start, end, text)."""
    words = list(WORD.finditer(text))
    runs: list[list[re.Match[str]]] = []
    for i, m in enumerate(words):
        if i == 0 or not is_name_part(m.group(0)):
            continue
        if runs and runs[-1][-1] is words[i - 1] and not text[words[i - 1].end() : m.start()].strip():
            runs[-1].append(m)
        else:
            runs.append([m])
    return [(r[0].start(), r[-1].end(), text[r[0].start() : r[-1].end()]) for r in runs]


def swap_spans(text: str, a: tuple[int, int], b: tuple[int, int]) -> str:
    (s1, e1), (s2, e2) = sorted([a, b])
    return text[:s1] + text[s2:e2] + text[e1:s2] + text[s1:e1] + text[e2:]


def corrupt(kind: str, original: str, rendering: str, lang: str, rng: random.Random) -> str | None:
    """``rendering`` corrupted in the way ``kind`` names, or None when it has nothing to corrupt so."""
    if kind == "swap_names":
        runs = name_runs(rendering)
        distinct = [(a, b) for i, a in enumerate(runs) for b in runs[i + 1 :] if a[2] != b[2]]
        if not distinct:
            return None
        a, b = rng.choice(distinct)
        return swap_spans(rendering, a[:2], b[:2])
    if kind == "number":
        numbers = [m for m in NUMBER.finditer(rendering)]
        if len({m.group(0) for m in numbers}) >= 2 and rng.random() < 0.5:
            first = numbers[0]
            second = next(m for m in numbers if m.group(0) != first.group(0))
            return swap_spans(rendering, first.span(), second.span())
        if not numbers:
            return None
        m = rng.choice(numbers)
        value = int(m.group(0))
        changed = str(value + rng.choice([1, 2, 3, 7, 10])) if value < 1000 else str(value + rng.choice([1, 2, 10]))
        return rendering[: m.start()] + changed + rendering[m.end() :]
    if kind == "reversal":
        for word, other in rng.sample(REVERSALS.get(lang, []), len(REVERSALS.get(lang, []))):
            for a, b in ((word, other), (other, word)):
                pattern = re.compile(rf"\b{re.escape(a)}\b")
                if pattern.search(rendering):
                    return pattern.sub(b, rendering, count=1)
        return None
    if kind == "negation":
        pattern, repl = NEGATABLE[lang]
        changed = re.sub(pattern, repl, rendering, count=1)
        return changed if changed != rendering else None
    if kind == "office":
        for word, other in rng.sample(OFFICES.get(lang, []), len(OFFICES.get(lang, []))):
            for a, b in ((word, other), (other, word)):
                pattern = re.compile(rf"\b{re.escape(a)}\b", re.IGNORECASE)
                m = pattern.search(rendering)
                if m:
                    b = b[0].upper() + b[1:] if m.group(0)[0].isupper() else b
                    return rendering[: m.start()] + b + rendering[m.end() :]
        return None
    if kind == "untranslated":
        # A content word of the rendering replaced by the original's word at about the same place.
        ours = [m for m in WORD.finditer(rendering) if len(m.group(0)) >= 5 and not m.group(0)[0].isupper()]
        theirs = [m for m in WORD.finditer(original) if len(m.group(0)) >= 5 and m.group(0).casefold() not in rendering.casefold()
                  and not m.group(0).isdigit()]
        if not ours or not theirs:
            return None
        m = rng.choice(ours)
        place = m.start() / max(len(rendering), 1)
        foreign = min(theirs, key=lambda t: abs(t.start() / max(len(original), 1) - place)).group(0)
        return rendering[: m.start()] + foreign + rendering[m.end() :]
    raise ValueError(kind)


def xquad_pairs() -> list[dict]:
    """Aligned German/English sentences of XQuAD paragraphs with equally many sentences."""
    rows = [json.loads(line) for line in (ROOT / "eval/xquad/xquad.paragraphs.jsonl").open(encoding="utf-8")]
    article = {}
    for line in (ROOT / "eval/xquad/xquad.de.jsonl").open(encoding="utf-8"):
        r = json.loads(line)
        article[r["para_id"]] = int(r["article_idx"])
    en = {r["para_id"]: r for r in rows if r["lang"] == "en"}
    de = {r["para_id"]: r for r in rows if r["lang"] == "de"}
    pairs = []
    for pid in sorted(en):
        a, b = en[pid], de.get(pid)
        if not b or len(a["sentence_breaks"]) != len(b["sentence_breaks"]) or pid not in article:
            continue
        for i, ((s1, e1), (s2, e2)) in enumerate(zip(a["sentence_breaks"], b["sentence_breaks"])):
            e_text, d_text = a["context"][s1:e1].strip(), b["context"][s2:e2].strip()
            if not (40 <= len(e_text) <= 260 and 40 <= len(d_text) <= 300):
                continue
            pairs.append({"para": pid, "i": i, "article_idx": article[pid], "en": e_text, "de": d_text})
    return pairs


def build(per_split: int = 60, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    out: list[dict] = []
    faithful: list[dict] = []
    pairs = xquad_pairs()
    rng.shuffle(pairs)
    for split, parity in (("tune", 0), ("report", 1)):
        chosen = [p for p in pairs if p["article_idx"] % 2 == parity][: per_split * 2]
        for j, p in enumerate(chosen):
            src, tgt = ("de", "en") if j % 2 == 0 else ("en", "de")
            faithful.append({
                "id": f"xquad-{p['para']}-{p['i']}-{src}{tgt}", "split": split, "source": "xquad",
                "original": p[src], "original_lang": src, "text": p[tgt], "lang": tgt,
            })
    labelled = OUT / "model_translations.jsonl"
    if labelled.is_file():
        for i, line in enumerate(labelled.open(encoding="utf-8")):
            r = json.loads(line)
            if r.get("label") not in ("faithful", "corrupted"):
                continue
            item = {"id": r["id"], "split": "tune" if i % 2 == 0 else "report", "source": "model",
                    "original": r["original"], "original_lang": r["original_lang"], "text": r["text"], "lang": r["lang"]}
            if r["label"] == "faithful":
                faithful.append(item)
            else:
                out.append({**item, "label": "corrupted", "corruption": r.get("error", "model error")})
    made = {kind: 0 for kind in KINDS}
    for item in faithful:
        out.append({**item, "label": "faithful", "corruption": None})
        # One corruption each: of the kinds that apply, the one made least so far (kinds stay balanced).
        options = {}
        for kind in KINDS:
            changed = corrupt(kind, item["original"], item["text"], item["lang"], rng)
            if changed and changed != item["text"]:
                options[kind] = changed
        if options:
            kind = min(options, key=lambda k: (made[k], KINDS.index(k)))
            made[kind] += 1
            out.append({**item, "id": f"{item['id']}-{kind}", "text": options[kind], "label": "corrupted", "corruption": kind})
    return out


def translate_seeds(n_per_doc: int = 14) -> None:
    """Draft model translations of seed sentences for hand labelling (label left empty)."""
    from assistant.backends.chat import get_chat_model
    from assistant.config import Settings
    from assistant.generation.translation import translate_one
    from assistant.text.language import detect_language
    from assistant.text.sentences import split_sentences

    settings = Settings(model="qwen2.5-coder-1.5b")
    model = get_chat_model(settings)
    rows = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        lang = detect_language(text, tuple(settings.language_codes))
        spans = [" ".join(text[a:b].split()) for a, b in split_sentences(text)]
        sentences = [s for s in spans if 40 <= len(s) <= 280][:n_per_doc]
        target = "en" if lang != "en" else "de"
        for i, s in enumerate(sentences):
            rows.append({"id": f"seed-{path.stem[:3]}-{i}", "original": s, "original_lang": lang, "lang": target,
                         "text": translate_one(model, s, lang, target), "label": "", "error": ""})
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "model_translations.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--translate-seeds", action="store_true")
    args = parser.parse_args()
    if args.translate_seeds:
        translate_seeds()
        return
    rows = build()
    OUT.mkdir(parents=True, exist_ok=True)
    with (OUT / "pairs.jsonl").open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    from collections import Counter

    print(len(rows), Counter((r["split"], r["label"]) for r in rows), Counter(r["corruption"] for r in rows))


if __name__ == "__main__":
    main()
