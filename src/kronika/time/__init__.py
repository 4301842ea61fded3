"""The time stage: TIMEX3 extraction and normalization.

``TimeTagger(settings)(doc) -> tuple[TimeExpr, ...]``. Rules are data
(``kronika/data/time/<lang>.yaml``), compiled once per tagger. TimeML files are read and
written by ``kronika.timeml`` (one format module), not by this stage.
"""

from kronika.time.tagger import TimeTagger

__all__ = ["TimeTagger"]
