"""Errors Kronika raises, each with a stable code that says what went wrong and what to do.

::

    KronikaError            K000  base; the CLI turns any of these into a clean exit
    ├── ConfigError         K0xx  bad settings or data files
    ├── IngestError         K1xx  a record or file that cannot be read (per record: skipped)
    │     K100 missing path · K101 malformed record · K102 bad TimeML · K103 missing,
    │     relative or impossible date · K104 empty text · K105 article too long ·
    │     K106 undecodable bytes · K107 unreadable file/gzip/download · K108 broken feed/HTML ·
    │     K109 symlink leading outside a walked folder
    ├── NlpError            K2xx  the language model is missing or failed
    ├── CodingError         K3xx  an extraction stage failed on an article
    │     K301 a stage raised · K302 the article exceeded ``article_timeout_s``
    ├── StoreError          K4xx  the database cannot be opened, migrated or written
    └── QueryError          K5xx  a query with impossible parameters

Library code raises these and never prints or exits; ``cli.py`` reports them.
"""

from __future__ import annotations


class KronikaError(Exception):
    code = "K000"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code:
            self.code = code

    def __str__(self) -> str:
        return f"[{self.code}] {self.args[0]}"


class ConfigError(KronikaError):
    code = "K001"


class IngestError(KronikaError):
    code = "K101"


class NlpError(KronikaError):
    code = "K201"


class CodingError(KronikaError):
    code = "K301"


class StoreError(KronikaError):
    code = "K401"


class QueryError(KronikaError):
    code = "K501"
