"""Gzip bombs (issue 19, F5): one decompression path, capped, for every format.

Every ``.gz`` file is unpacked through ``dispatch.open_input``, which counts unpacked bytes
and stops at ``Settings.max_decompressed_bytes``; going over is a K105 problem for that
file and the walk goes on. JSON lines are also read a bounded line at a time, so an endless
line (a bomb of zeros has no newline) is one K105 problem, not a gigabyte in memory.
Caps here are tiny so the tests stay fast and light.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import peak_traced_bytes
from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.ingest import iter_records
from kronika.model import Article, IngestProblem

TEXT = "Japanese Prime Minister Shinzo Abe met Russian President Vladimir Putin in Moscow."
ROW = {"date": "2019-05-30", "text": TEXT}
RSS = ("<rss version='2.0'><channel><title>t</title><item><guid>g</guid>"
       "<pubDate>Thu, 30 May 2019 09:00:00 GMT</pubDate><description><![CDATA[" + TEXT + "]]></description>"
       "</item></channel></rss>")
GOOD: dict[str, tuple[str, str]] = {  # format → (file name, content)
    "jsonl": ("c.jsonl.gz", json.dumps(ROW) + "\n"),
    "csv": ("c.csv.gz", f'date,text\n2019-05-30,"{TEXT}"\n'),
    "json": ("c.json.gz", json.dumps([ROW])),
    "rss": ("f.rss.gz", RSS),
    "txt": ("2019-05-30-a.txt.gz", TEXT),
}
CAP = 200_000
BOMB = 4_000_000  # unpacked bytes: 20x the cap, ~4 KB on disk
SMALL = Settings(max_decompressed_bytes=CAP)




@pytest.mark.parametrize("fmt", sorted(GOOD))
@pytest.mark.parametrize("filler", [b"\0", b"a", b"\n"], ids=["zeros", "letters", "newlines"])
def test_ingest_gzip_bomb_is_a_problem_for_its_file(tmp_path: Path, fmt: str, filler: bytes) -> None:
    name, content = GOOD[fmt]
    bomb = tmp_path / f"bomb-{name}"
    bomb.write_bytes(gzip.compress(content.encode() + filler * BOMB, 9))
    (tmp_path / name).write_bytes(gzip.compress(content.encode()))  # a good file after it
    out: list[object] = []
    peak = peak_traced_bytes(lambda: out.extend(iter_records([tmp_path], SMALL)))
    problems = [r for r in out if isinstance(r, IngestProblem)]
    assert [(p.origin, p.code) for p in problems if str(bomb) in p.origin] == [(str(bomb), "K105")], problems
    assert "max_decompressed_bytes" in problems[0].reason
    assert any(isinstance(r, Article) and r.origin.startswith(str(tmp_path / name)) for r in out)
    assert peak < 8 * CAP + 2_000_000, f"peak {peak} bytes: the bomb was unpacked"


@pytest.mark.parametrize("fmt", sorted(GOOD))
def test_ingest_gzip_under_the_cap_reads_every_format(tmp_path: Path, fmt: str) -> None:
    name, content = GOOD[fmt]
    (tmp_path / name).write_bytes(gzip.compress(content.encode()))
    recs = list(iter_records([tmp_path / name], SMALL))
    assert [type(r) for r in recs] == [Article]
    assert recs[0].text == TEXT


@given(extra=st.integers(-50, 50), fmt=st.sampled_from(sorted(GOOD)))
@hsettings(max_examples=30, deadline=None)
def test_ingest_gzip_cap_is_exact(extra: int, fmt: str) -> None:
    """A file that unpacks to exactly the cap is read; one byte more is refused."""
    import tempfile

    name, content = GOOD[fmt]
    data = content.encode() + b" " * 500
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / name
        p.write_bytes(gzip.compress(data))
        recs = list(iter_records([p], Settings(max_decompressed_bytes=len(data) + extra)))
    refused = [r for r in recs if isinstance(r, IngestProblem) and "max_decompressed_bytes" in r.reason]
    assert bool(refused) == (extra < 0)


def test_ingest_endless_jsonl_line_costs_only_that_line(tmp_path: Path) -> None:
    small = Settings(max_article_chars=1000)  # lines over 4 x 1000 + 1 MiB bytes are refused
    p = tmp_path / "c.jsonl"
    p.write_bytes(json.dumps(ROW).encode() + b"\n" + b"\0" * 3_000_000 + b"\n" + json.dumps(ROW).encode() + b"\n")
    out: list[object] = []
    peak = peak_traced_bytes(lambda: out.extend(iter_records([p], small)))
    assert [type(r) for r in out] == [Article, IngestProblem, Article]
    assert out[1].code == "K105" and out[1].origin == f"{p}:2" and "line too long" in out[1].reason
    assert peak < 2_500_000, f"peak {peak} bytes: the long line was held"


def test_ingest_max_decompressed_bytes_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRONIKA_MAX_DECOMPRESSED_BYTES", "12345")
    assert Settings.load().max_decompressed_bytes == 12345
    assert Settings().max_decompressed_bytes == 128 * 1024 * 1024
    with pytest.raises(ConfigError):
        Settings(max_decompressed_bytes=0)
