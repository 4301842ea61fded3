"""Directory walks never leave the named folder (issue 19, F6).

``2019-05-30-x.txt -> /etc/passwd`` inside an ingested folder once became an article. A
symlinked file or folder that resolves outside the folder is now skipped and reported (K109)
unless ``allow_outside_symlinks``, never silently left out; one that stays inside is read as
before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kronika.config import Settings
from kronika.errors import ConfigError
from kronika.ingest import iter_records
from kronika.jobs.watch import Watcher
from kronika.model import Article, IngestProblem

TEXT = "Japanese Prime Minister Shinzo Abe met Russian President Vladimir Putin in Moscow."


@pytest.fixture
def layout(tmp_path: Path) -> tuple[Path, Path]:
    """``corpus/`` with a real article, a link inside it, links to a secret outside it."""
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n" * 3, encoding="utf-8")
    (outside / "more.jsonl").write_text(json.dumps({"date": "2019-05-30", "text": "A secret."}) + "\n")
    root = tmp_path / "corpus"
    (root / "sub").mkdir(parents=True)
    (root / "2019-05-30-real.txt").write_text(TEXT, encoding="utf-8")
    (root / "2019-05-31-inside.txt").symlink_to(root / "2019-05-30-real.txt")
    (root / "2019-05-30-x.txt").symlink_to(secret)
    (root / "sub" / "2019-05-30-rel.txt").symlink_to(Path("..") / ".." / "outside" / "secret.txt")
    (root / "linked-folder").symlink_to(outside, target_is_directory=True)
    (root / "dangling.txt").symlink_to(tmp_path / "nowhere" / "x.txt")
    (root / "loop.txt").symlink_to(root / "loop.txt")
    return root, secret


def test_ingest_walk_skips_and_reports_symlinks_leaving_the_folder(layout: tuple[Path, Path]) -> None:
    root, secret = layout
    recs = list(iter_records([root], Settings()))
    arts = [r for r in recs if isinstance(r, Article)]
    outside = sorted(r.origin for r in recs if isinstance(r, IngestProblem) and r.code == "K109")
    assert {a.origin for a in arts} == {f"{root / '2019-05-30-real.txt'}:1", f"{root / '2019-05-31-inside.txt'}:1"}
    assert not any("root:x" in a.text or "secret" in a.text.lower() for a in arts)
    assert outside == sorted(str(root / n) for n in ("2019-05-30-x.txt", "sub/2019-05-30-rel.txt",
                                                        "dangling.txt", "loop.txt", "linked-folder"))
    problems = [r for r in recs if isinstance(r, IngestProblem) and r.code == "K109"]
    assert all("allow_outside_symlinks" in p.reason and str(secret.parent) not in p.reason
               for p in problems)  # the reason does not name the target


def test_ingest_walk_may_follow_outside_symlinks_when_allowed(layout: tuple[Path, Path]) -> None:
    root, _ = layout
    recs = list(iter_records([root], Settings(allow_outside_symlinks=True)))
    assert not [r for r in recs if isinstance(r, IngestProblem) and r.code == "K109"]
    assert any(isinstance(r, Article) and r.origin.startswith(str(root / "2019-05-30-x.txt")) for r in recs)
    # the symlinked folder outside is walked too (once, though the file links reach it as well)
    assert any(isinstance(r, Article) and r.origin.startswith(str(root / "linked-folder" / "more.jsonl"))
               for r in recs)


def test_ingest_named_symlink_is_read(layout: tuple[Path, Path]) -> None:
    """A file the user names explicitly is read wherever it points: the walk is what is bounded."""
    root, _ = layout
    [rec] = list(iter_records([root / "2019-05-30-x.txt"], Settings()))
    assert isinstance(rec, Article)


def test_ingest_watch_never_leaves_the_folder(layout: tuple[Path, Path]) -> None:
    root, secret = layout
    paths = {Path(p) for p in Watcher(str(root), Settings()).changed_paths()}
    assert all(p.resolve().is_relative_to(root.resolve()) for p in paths), paths
    assert root / "2019-05-30-real.txt" in paths
    allowed = {Path(p) for p in Watcher(str(root), Settings(allow_outside_symlinks=True)).changed_paths()}
    assert root / "2019-05-30-x.txt" in allowed


@pytest.mark.parametrize(("value", "expected"), [("true", True), ("1", True), ("off", False), ("False", False)])
def test_ingest_allow_outside_symlinks_from_the_environment(monkeypatch: pytest.MonkeyPatch, value: str,
                                                            expected: bool) -> None:
    monkeypatch.setenv("KRONIKA_ALLOW_OUTSIDE_SYMLINKS", value)
    assert Settings.load().allow_outside_symlinks is expected


def test_ingest_allow_outside_symlinks_refuses_other_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KRONIKA_ALLOW_OUTSIDE_SYMLINKS", "maybe")
    with pytest.raises(ConfigError):
        Settings.load()
