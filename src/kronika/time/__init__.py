"""The time stage: TIMEX3 extraction and normalization, TimeML writing.

``TimeTagger(settings)(doc) -> tuple[TimeExpr, ...]``; ``to_timeml(article, times)``.
Rules are data (``kronika/data/time/<lang>.yaml``), compiled once per tagger.
"""

from kronika.time.tagger import TimeTagger
from kronika.time.timeml import to_timeml

__all__ = ["TimeTagger", "to_timeml"]
