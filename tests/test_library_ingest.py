"""``kronika.ingest_paths`` (the library call) stores like ``kronika ingest``: through the shared
writer, so the file is free between batches and memory does not grow with the database."""

from __future__ import annotations

from pathlib import Path

import pytest

import kronika
from kronika.store import Store
from kronika.store.access import SharedWriter


def test_library_ingest_releases_the_file_between_batches(tmp_path: Path, settings, pipeline,
                                                          seed_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in"
    src.mkdir()
    text = seed_path.read_text(encoding="utf-8")
    (src / "a.txt").write_text(text, encoding="utf-8")
    (src / "b.txt").write_text(text + "\nA second copy of the story.\n", encoding="utf-8")
    db = tmp_path / "k.duckdb"
    seen: list[int] = []
    original = SharedWriter.write_batch

    def write_then_read(self, analyses, problems=()):
        result = original(self, analyses, problems)
        with Store(db, read_only=True) as reader:  # fails while a writer holds the file
            seen.append(reader.fetch_tuples("SELECT count(*) FROM articles")[0][0])
        return result

    monkeypatch.setattr(SharedWriter, "write_batch", write_then_read)
    report = kronika.ingest_paths([src], db, settings=settings.replace(batch_size=1), pipeline=pipeline)
    assert report.articles_written == 2 and report.events_written > 0
    assert seen == [1, 2]  # a reader got in after each one-article batch
    again = kronika.ingest_paths([src], db, settings=settings.replace(batch_size=1), pipeline=pipeline)
    assert again.articles_written == 0 and again.events_written == 0
