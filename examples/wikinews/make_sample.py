"""Rebuild ``wikinews_politics_sample.jsonl`` from the shared WikiNews politics corpus.

Deterministic: every 3rd line (lines 1, 4, 7, …), kept when its text has 40+ words,
first 1,200 kept. Records are copied byte for byte (no re-serialisation), so article ids
match those of the full corpus.

    python examples/wikinews/make_sample.py ../shared/data/news/wikinews_politics.jsonl
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

EVERY = 3
MIN_WORDS = 40
LIMIT = 1200


def main(src: Path, dst: Path) -> int:
    kept: list[bytes] = []
    with src.open("rb") as f:
        for n, line in enumerate(f):
            if n % EVERY or not line.strip():
                continue
            if len(str(json.loads(line).get("text") or "").split()) < MIN_WORDS:
                continue
            kept.append(line if line.endswith(b"\n") else line + b"\n")
            if len(kept) == LIMIT:
                break
    dst.write_bytes(b"".join(kept))
    return len(kept)


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/news/wikinews_politics.jsonl")
    target = Path(__file__).with_name("wikinews_politics_sample.jsonl")
    sys.stdout.write(f"{main(source, target)} articles → {target}\n")
