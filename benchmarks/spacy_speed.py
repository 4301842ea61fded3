"""spaCy speed: what the pinned model costs per component, and which settings make it faster.

    python -m benchmarks.spacy_speed [--n 100] [--repeats 2] [--skip-multiprocess]

On the same WikiNews articles, in the same run, interleaved (every round runs every
configuration once, so load from other jobs hits them alike):

* ``nlp.pipe`` at batch sizes 8 / 32 (the default) / 128 / 512 — the pipeline as Kronika
  runs it, whose attribute ruler matches by table (``kronika.nlp.attributes``) and whose
  lemmatizer looks lemmas up per token signature (``kronika.nlp.lemmas``);
* the attribute ruler with spaCy's own ``Matcher``, and the lemmatizer with spaCy's own
  per-token loop (the stock model);
* with components disabled (``lemmatizer``, ``ner``, ``attribute_ruler`` + ``lemmatizer``)
  — speed only: every stage reads lemma, POS, tag, dep, morph and entity hints from
  ``ParsedDoc``, so these are priced, not proposed;
* ``n_process=2`` (spaCy's own multiprocessing; includes its start-up);
* the conversion to ``ParsedDoc`` (``kronika.nlp.to_parsed_doc``, array based) against the
  obvious per-token conversion it replaced;
* a per-component breakdown (each component's ``pipe`` over docs the previous one made).

Figures are relative to the default configuration in the same round (median over
rounds): quote ratios, the machine is shared.
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kronika.config import Settings
from kronika.ingest import iter_records
from kronika.model import Article, Entity, ParsedDoc, Sentence, Token
from kronika.nlp import SpacyParser, attributes, lemmas, to_parsed_doc

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "news" / "wikinews_politics.jsonl"
BASELINE = "batch 32 (default)"


def per_token_conversion(doc: Any, article: Article) -> ParsedDoc:
    """The straightforward conversion (one property access per attribute per token)."""
    sent_of = [0] * len(doc)
    sentences = []
    for si, s in enumerate(doc.sents):
        for i in range(s.start, s.end):
            sent_of[i] = si
        sentences.append(Sentence(si, s.start_char, s.end_char, s.start, s.end))
    tokens = tuple(
        Token(i=t.i, text=t.text, start=t.idx, end=t.idx + len(t.text), lemma=t.lemma_, pos=t.pos_,
              tag=t.tag_, dep=t.dep_, head=t.head.i, sent=sent_of[t.i], morph=str(t.morph),
              ent_type=t.ent_type_, ent_iob=t.ent_iob_, ws=t.whitespace_)
        for t in doc
    )
    entities = tuple(Entity(e.start_char, e.end_char, e.label_, e.start, e.end, e.text) for e in doc.ents)
    return ParsedDoc(article=article, tokens=tokens, sentences=tuple(sentences), entities=entities)


def configurations(nlp: Any, texts: list[str], multiprocess: bool) -> dict[str, Callable[[], None]]:
    def run(batch: int = 32, disable: tuple[str, ...] = (), n_process: int = 1) -> Callable[[], None]:
        def go() -> None:
            for _ in nlp.pipe(texts, batch_size=batch, disable=list(disable), n_process=n_process):
                pass
        return go

    def stock_matcher() -> None:  # spaCy's own Matcher in the attribute ruler
        attributes.uninstall(nlp)
        try:
            run()()
        finally:
            attributes.install(nlp)

    def stock_lemmatizer() -> None:  # spaCy's own per-token lemmatizer loop
        lemmas.uninstall(nlp)
        try:
            run()()
        finally:
            lemmas.install(nlp)

    configs = {
        BASELINE: run(),
        "attribute_ruler with spaCy's Matcher": stock_matcher,
        "lemmatizer with spaCy's loop": stock_lemmatizer,
        "batch 8": run(batch=8),
        "batch 128": run(batch=128),
        "batch 512": run(batch=512),
        "no lemmatizer": run(disable=("lemmatizer",)),
        "no ner": run(disable=("ner",)),
        "no attribute_ruler+lemmatizer": run(disable=("attribute_ruler", "lemmatizer")),
    }
    if multiprocess:
        configs["n_process 2 (batch 32)"] = run(n_process=2)
    return configs


def component_breakdown(nlp: Any, texts: list[str], batch: int) -> dict[str, float]:
    """Seconds per component, each run over the docs the previous components produced."""
    t = time.perf_counter()
    docs = [nlp.make_doc(x) for x in texts]
    out = {"tokenizer": time.perf_counter() - t}
    for name, proc in nlp.pipeline:
        t = time.perf_counter()
        docs = list(proc.pipe(docs, batch_size=batch)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
        out[name] = time.perf_counter() - t
    return out


def conversion_times(nlp: Any, articles: list[Article]) -> tuple[float, float]:
    docs = list(nlp.pipe([a.text for a in articles], batch_size=32))
    t = time.perf_counter()
    fast = [to_parsed_doc(d, a) for d, a in zip(docs, articles, strict=True)]
    t_fast = time.perf_counter() - t
    t = time.perf_counter()
    slow = [per_token_conversion(d, a) for d, a in zip(docs, articles, strict=True)]
    t_slow = time.perf_counter() - t
    if fast != slow:
        raise SystemExit("to_parsed_doc differs from the per-token conversion")
    return t_fast, t_slow


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--repeats", type=int, default=2)
    ap.add_argument("--skip-multiprocess", action="store_true")
    args = ap.parse_args()

    settings = Settings()
    nlp = SpacyParser(settings).nlp
    articles = [r for r in itertools.islice(iter_records([args.corpus], settings), args.n) if isinstance(r, Article)]
    texts = [a.text for a in articles]
    words = sum(len(x.split()) for x in texts)
    configs = configurations(nlp, texts, not args.skip_multiprocess)
    times: dict[str, list[float]] = {k: [] for k in configs}
    breakdown: dict[str, list[float]] = {}
    conv: list[tuple[float, float]] = []
    for _ in range(args.repeats):
        for name, go in configs.items():
            t = time.perf_counter()
            go()
            times[name].append(time.perf_counter() - t)
        for k, v in component_breakdown(nlp, texts, 32).items():
            breakdown.setdefault(k, []).append(v)
        conv.append(conversion_times(nlp, articles))
    report(args, len(articles), words, times, breakdown, conv)


def report(args: argparse.Namespace, n: int, words: int, times: dict[str, list[float]],
           breakdown: dict[str, list[float]], conv: list[tuple[float, float]]) -> None:
    import spacy

    base = times[BASELINE]
    print(f"spaCy {spacy.__version__}; {n} articles, {words} words; {args.repeats} interleaved rounds")
    print(f"  {'configuration':32s} {'median s':>9s} {'words/s':>9s} {'speed vs default':>17s}")
    for name, vals in times.items():
        rel = statistics.median(b / v for b, v in zip(base, vals, strict=True))
        med = statistics.median(vals)
        print(f"  {name:32s} {med:9.2f} {words / med:9.0f} {rel:16.2f}x")
    total = sum(statistics.median(v) for v in breakdown.values())
    print("per component (median s, share of the pipeline):")
    for name, vals in breakdown.items():
        m = statistics.median(vals)
        print(f"  {name:32s} {m:9.2f} {m / total:8.1%}")
    fast = statistics.median(c[0] for c in conv)
    slow = statistics.median(c[1] for c in conv)
    print(f"conversion to ParsedDoc: array-based {fast:.2f} s ({fast / statistics.median(base):.1%} of the parse), "
          f"per-token {slow:.2f} s ({slow / statistics.median(base):.1%}); {slow / fast:.2f}x faster, outputs equal")


if __name__ == "__main__":
    main()
