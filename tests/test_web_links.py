"""Only http(s) addresses become links in the dashboard (issue 19: an article whose ``url``
was ``javascript:...`` was rendered as a link; only the CSP stopped it).

``util.js`` checks every ``href``/``src`` that ``el`` sets (``safeHref``: a path of this
server or a web address) and ``externalLink`` shows any other ``url`` as plain text. The
checks run the real module in Node when it is installed, and read the sources otherwise.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kronika.web import STATIC

JS = STATIC / "js"
NODE = shutil.which("node")
HOSTILE = ["javascript:alert(1)", "JavaScript:alert(document.cookie)", " javascript:alert(1)", "java\tscript:alert(1)",
           "\x01javascript:alert(1)", "javascript://%0aalert(1)", "data:text/html,<script>alert(1)</script>",
           "vbscript:msgbox(1)", "//evil.example/x", "/\\evil.example", "file:///etc/passwd", "http:evil", "about:blank"]
GOOD = ["https://example.com/a?b=1#c", "http://news.example.org/2019/05/30/talks.html", "HTTPS://EXAMPLE.COM"]


def run_node(function: str, values: list[object]) -> list[object]:
    script = (f"const m = await import({json.dumps((JS / 'util.js').as_uri())});"
              f"const vs = JSON.parse(process.argv[1]); console.log(JSON.stringify(vs.map((v) => m.{function}(v))));")
    out = subprocess.run([NODE, "--input-type=module", "-e", script, json.dumps(values)], capture_output=True,
                         text=True, timeout=30, check=True)
    return json.loads(out.stdout)


def is_web(value: object) -> bool:
    return isinstance(value, str) and re.match(r"https?://[^\s]", value.strip(), re.I | re.ASCII) is not None


@pytest.mark.skipif(NODE is None, reason="node is not installed")
def test_web_url_links_only_http_and_https() -> None:
    got = run_node("webUrl", [*HOSTILE, *GOOD, None, 5, ""])
    assert got[: len(HOSTILE)] == [None] * len(HOSTILE)
    assert all(isinstance(g, str) and g.lower().startswith("http") for g in got[len(HOSTILE): -3])
    assert got[-3:] == [None, None, None]


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@settings(max_examples=5, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=40), st.sampled_from(HOSTILE + GOOD),
                          st.builds(lambda s, t: s + t, st.sampled_from(["javascript:", "data:", "http://", "https://",
                                                                         "//", "/", "#", " "]), st.text(max_size=20))),
                min_size=1, max_size=60))
def test_web_hrefs_are_same_origin_or_web_addresses(values: list[str]) -> None:
    """Whatever a value holds, ``safeHref`` gives null, the value itself as a path of this
    server, or an http(s) address; ``webUrl`` gives only http(s) addresses."""
    for value, web, href in zip(values, run_node("webUrl", values), run_node("safeHref", values), strict=True):
        assert web is None or (is_web(value) and web.lower().startswith(("http://", "https://"))), (value, web)
        if href is not None:
            same_origin = href == value and re.match(r"(#|\?|/(?![/\\]))", value) is not None
            assert same_origin or href == web, (value, href)


def test_web_article_url_is_rendered_through_external_link() -> None:
    """Static check of the sources: no store value is ever put in an ``href`` directly."""
    events = (JS / "events.js").read_text(encoding="utf-8")
    assert "externalLink(a.url" in events
    for path in JS.glob("*.js"):
        src = path.read_text(encoding="utf-8")
        for value in re.findall(r"\bhref:\s*([^,}\n]+)", src):
            assert value.startswith(("withParams(\"/", "`#/", "\"#/")), (path.name, value)
        assert not re.search(r"\.(href|src)\s*=(?![=]|\s*withParams\()", src.replace("parsed.href", "")), path.name
        assert "setAttribute(\"href\"" not in src and not re.search(r"innerHTML\s*=", src), path.name
    util = (JS / "util.js").read_text(encoding="utf-8")
    assert 'k === "href" || k === "src"' in util and "safeHref(v)" in util
    assert 'new Set(["http:", "https:"])' in util
