"""Generate the settings and error references from the code that defines them.

    python -m kronika.cli.refdocs settings > docs/settings.md
    python -m kronika.cli.refdocs errors > docs/errors.md

Why generated: a hand-kept list of knobs or codes drifts the day someone adds one. Here the
settings page is read from the section dataclasses (``kronika.config``: type, default, one-line
meaning per field) and the error page from the registry (``kronika.errors.CODES``); tests
compare both files with this output.
"""

from __future__ import annotations

import dataclasses
import inspect
import sys

from kronika.config import ENV_PREFIX, OTHER_ENV, SECTIONS, flat_names, toml_value
from kronika.errors import CODES, FAMILIES, KronikaError


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _default(value: object) -> str:
    return "unset" if value is None else f"`{toml_value(value)}`"


def settings_markdown() -> str:
    """docs/settings.md: every section and field, from ``kronika.config``."""
    flat = {where: name for name, where in flat_names().items()}
    parts = [
        "# Kronika settings reference",
        "",
        "Generated from the section dataclasses in `src/kronika/config.py` by "
        "`python -m kronika.cli.refdocs settings > docs/settings.md`; a test keeps it current.",
        "",
        "Settings come in layers, each overriding the one before: the defaults below → a settings "
        "file (`kronika.toml` in the working folder, or `--config FILE`) → the environment "
        f"(`{ENV_PREFIX}*`) → command-line flags. `kronika config` prints the settings in force and "
        "where each value came from.",
        "",
        "```toml",
        "# kronika.toml",
        "[store]",
        'db_path = "news.duckdb"',
        "",
        "[api]",
        'cors_origins = ["https://dashboard.example"]',
        "max_page = 500",
        "```",
        "",
        f"In the environment a field is `{ENV_PREFIX}<SECTION>_<FIELD>` (`KRONIKA_STORE_DB_PATH`) or "
        f"`{ENV_PREFIX}<FLAT NAME>` (`KRONIKA_DB_PATH`). The *flat name* is the name the setting had "
        "before sections; it also works as a top-level key of the file (or in a legacy `[extra]` "
        "table) and as a keyword of `Settings(...)`, `Settings.load(...)` and `settings.replace(...)`. "
        "Lists in the environment are comma-separated (paths: separated like `PATH`).",
        "",
        "A key no section knows, in the file or as a `KRONIKA_*` variable, is an error (K004) that "
        "names the nearest valid key; a value of the wrong type or out of range is K002. "
        "Variables that are not settings: "
        + ", ".join(f"`{k}` ({v})" for k, v in OTHER_ENV.items()) + ".",
        "",
    ]
    for name, cls in SECTIONS.items():
        doc = inspect.getdoc(cls) or ""
        parts += [f"## [{name}]", "", doc, "",
                  "| field | type | default | flat name | meaning |", "|---|---|---|---|---|"]
        for f in dataclasses.fields(cls):
            default = f.default if f.default is not dataclasses.MISSING else None
            parts.append(f"| `{f.name}` | `{_cell(str(f.type))}` | {_cell(_default(default))} | "
                         f"`{flat[(name, f.name)]}` | {_cell(str(f.metadata.get('doc', '')))} |")
        parts.append("")
    return "\n".join(parts)


def errors_markdown() -> str:
    """docs/errors.md: every K-code, from ``kronika.errors.CODES``."""
    parts = [
        "# Kronika error codes",
        "",
        "Generated from the registry in `src/kronika/errors.py` (`CODES`) by "
        "`python -m kronika.cli.refdocs errors > docs/errors.md`; a test keeps it current and "
        "checks that every code the source uses is registered here.",
        "",
        "Every error Kronika raises carries a code: the CLI prints it (`error [K105] …`), the "
        "HTTP API returns it in the JSON body (`{\"code\": \"K503\", …}`), an ingest problem stores "
        "it in `ingest_errors.code`. The first digit is the family:",
        "",
        "| family | class | what went wrong |",
        "|---|---|---|",
    ]
    for cls in FAMILIES:
        first = (inspect.getdoc(cls) or "").split("\n", 1)[0]
        family = cls.code if cls is KronikaError else f"{cls.code[:2]}xx"
        parts.append(f"| `{family}` | `{cls.__name__}` | {_cell(first)} |")
    parts += ["", "| code | class | meaning | raised in |", "|---|---|---|---|"]
    for code, entry in sorted(CODES.items()):
        parts.append(f"| {code} | `{entry.kind.__name__}` | {_cell(entry.meaning)} | {_cell(entry.where)} |")
    parts.append("")
    return "\n".join(parts)


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else ""
    if which not in ("settings", "errors"):
        sys.exit("usage: python -m kronika.cli.refdocs settings|errors")
    sys.stdout.write(settings_markdown() if which == "settings" else errors_markdown())
