"""Knowledge lives in data (issue 21, item 5): word lists are files under ``kronika/data/``,
read once through ``kronika.resources``, and the stage packages hold no lists of English
words of their own.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

import kronika
from kronika import resources
from kronika.actors import resolver
from kronika.errors import ConfigError
from kronika.events import syntax
from kronika.geo import locate
from kronika.resources import word_list, word_map, word_set, word_table

SRC = Path(kronika.__file__).resolve().parent
STAGES = ("actors", "events", "geo", "nlp", "time")
MIN_WORDS = 3  # a module-level collection of this many English words is a word list
WORD = re.compile(r"[a-z][a-z'’.\-]*(?: [a-z'’.\-]+)*")
# Module constants made of lower-case *labels*, not English knowledge: the parser's
# dependency labels, the gazetteer's feature classes, the names of the coder's frames and
# of the normalization functions. Each is the vocabulary of a schema the code implements.
SCHEMA_CONSTANTS = {
    "actors/matching.py": {"NP_INTERNAL"},  # spaCy dependency labels
    "actors/localise.py": {"MODIFIER_DEPS"},  # spaCy dependency labels
    "events/syntax.py": {"OBJ"},  # spaCy dependency labels
    "events/coder.py": {"SPEECH_FRAMES"},  # frame names of data/events/grammar.yaml
    "geo/locate.py": {"_SPECIFIC"},  # gazetteer feature classes
    "geo/resolve.py": {"_ISLANDISH", "_VAGUE", "_DEMONYM_FEATURES"},  # gazetteer feature classes
    "time/normalize.py": {"NORMALIZERS"},  # normalization function names (the rules' ``norm``)
}
# The word-list files this issue created; every list in them is read by some module.
WORD_FILES = ("english/prepositions.yaml", "english/pronouns.yaml", "actors/words.yaml",
              "geo/words.yaml", "geo/names.yaml")


def _words_of(node: ast.expr) -> list[str]:
    """The string literals of a collection literal (``frozenset({...})``, ``"a b".split()``,
    a dict's keys, ``X | frozenset(...)``)."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args \
            and node.func.id in ("frozenset", "set", "tuple", "list"):
        return _words_of(node.args[0])
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "split" \
            and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str):
        return node.func.value.value.split()
    if isinstance(node, ast.Set | ast.List | ast.Tuple):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    if isinstance(node, ast.Dict):
        return [k.value for k in node.keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
    if isinstance(node, ast.BinOp):
        return _words_of(node.left) + _words_of(node.right)
    return []


def word_lists_in_code(root: Path, packages: tuple[str, ...]) -> list[str]:
    """Module-level constants of ``packages`` that hold ``MIN_WORDS`` or more English words."""
    found = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            for node in ast.parse(path.read_text(encoding="utf-8")).body:
                if not isinstance(node, ast.Assign | ast.AnnAssign) or node.value is None:
                    continue
                target = node.targets[0] if isinstance(node, ast.Assign) else node.target
                if not isinstance(target, ast.Name):
                    continue  # ``A, B = "a", "b"``: named constants, not one list
                name = target.id
                words = [w for w in _words_of(node.value) if WORD.fullmatch(w.strip())]
                if len(words) >= MIN_WORDS and name not in SCHEMA_CONSTANTS.get(rel, set()):
                    found.append(f"{rel}:{node.lineno} {name} ({', '.join(words[:4])} …)")
    return found


def test_knowledge_no_word_lists_in_the_stage_packages() -> None:
    found = word_lists_in_code(SRC, STAGES)
    assert not found, "word lists in code (move them to kronika/data/, read with resources.word_set): " \
        + "; ".join(found)


def test_knowledge_the_scan_finds_a_word_list(tmp_path: Path) -> None:
    pkg = tmp_path / "geo"
    pkg.mkdir()
    (pkg / "m.py").write_text('A = frozenset("north south east".split())\nB = {"in", "at", "on"}\n'
                              'C: dict[str, str] = {"city": "x", "town": "y", "village": "z"}\nD = ("AB", "CD", "EF")\n'
                              'E = word_set("geo/words.yaml", "x")\n', encoding="utf-8")
    assert [f.split(" ")[0] for f in word_lists_in_code(tmp_path, ("geo",))] == ["geo/m.py:1", "geo/m.py:2", "geo/m.py:3"]


def test_knowledge_every_list_in_the_word_files_is_read() -> None:
    """No dead data: each list of the word files is named by some module of the package."""
    code = "\n".join(p.read_text(encoding="utf-8") for p in SRC.rglob("*.py"))
    for rel in WORD_FILES:
        names = [k for k in yaml.safe_load(resources.read_text(rel)) if k != "version"]
        unread = [n for n in names if f'"{n}"' not in code]
        assert not unread, f"{rel}: lists no module reads: {unread}"


def test_knowledge_word_lists_are_frozen_and_read_once() -> None:
    preps = word_set("english/prepositions.yaml", "event_place")
    assert isinstance(preps, frozenset) and preps is word_set("english/prepositions.yaml", "event_place")
    features = word_map("geo/words.yaml", "feature_words")
    assert features["prefecture"] == "admin1"
    with pytest.raises(TypeError):
        features["x"] = "y"  # type: ignore[index]
    endings = word_table("geo/words.yaml", "demonym_endings")
    assert endings[0] == ("ian", ("ia", "y", "", "a", "e", "i"))  # file order: the order tried
    suffixes = word_list("geo/names.yaml", "admin_suffixes")
    assert suffixes[0] == " prefecture"  # quoted entries keep their space


def test_knowledge_yaml_booleans_stay_words() -> None:
    """YAML 1.1 reads a bare on/off as a boolean: the lists quote them, and a list holding a
    non-word is refused rather than silently losing the word."""
    assert {"on", "off"} <= word_set("english/prepositions.yaml", "event_place")
    assert "on" in word_set("english/prepositions.yaml", "verb_target")


def test_knowledge_a_broken_word_list_is_a_coded_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nprepositions: [in, on, at]\nmapping: [a, b]\n", encoding="utf-8")
    with pytest.raises(ConfigError) as exc:
        word_set(str(bad), "prepositions")  # bare "on" is True in YAML 1.1
    assert exc.value.code == "K011" and "'prepositions'" in str(exc.value) and "bad.yaml" in str(exc.value)
    with pytest.raises(ConfigError, match="has no list 'missing'"):
        word_set(str(bad), "missing")
    with pytest.raises(ConfigError, match="not a mapping"):
        word_map(str(bad), "mapping")


def test_knowledge_one_file_two_locative_lists() -> None:
    """One LOCATIVE_PREPS file; two lists because the stages decide different things: where
    an event happened takes "on" ("strikes on Idlib") and never "from"; a country that is a
    place and not an agent takes "from" ("a minister from Japan") and never "on" ("sanctions
    on Iran": Iran is the target)."""
    event_place = word_set("english/prepositions.yaml", "event_place")
    not_agent = word_set("english/prepositions.yaml", "place_not_agent")
    assert "on" in event_place and "from" not in event_place
    assert "from" in not_agent and "on" not in not_agent
    assert locate.EVENT_PLACE_PREPS is event_place and resolver.PLACE_NOT_AGENT_PREPS is not_agent
    assert syntax.TARGET_PREPS is word_set("english/prepositions.yaml", "verb_target")
    assert not hasattr(locate, "LOCATIVE_PREPS")
