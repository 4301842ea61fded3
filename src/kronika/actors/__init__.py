"""The actors stage: who acts, as of the article's date, and how we know.

``ActorResolver(settings, learned=None, dictionaries=())(doc, times) -> tuple[ActorMention, ...]``

* knowledge base: packaged data under ``kronika/data/actors/`` (countries, organisations,
  role words, dated office-holders), compiled once per resolver (``kb.py``);
* user dictionaries: ``settings.user_dictionaries`` files named ``actors*`` or declaring
  ``format: kronika-actors`` (format in ``dictionary.py``), or ``ActorDictionary`` objects
  passed as ``dictionaries`` (e.g. from ``load_petrarch_dictionaries``);
* corpus knowledge: ``LearnedIndex.from_rows(store.learned_actor_rows())``.
"""

from kronika.actors.dictionary import (
    ActorDictionary,
    ActorEntry,
    AgentEntry,
    Tenure,
    load_dictionary,
)
from kronika.actors.kb import KnowledgeBase, load_knowledge_base
from kronika.actors.learned import LearnedActor, LearnedIndex
from kronika.actors.petrarch import load_petrarch_dictionaries
from kronika.actors.resolver import ActorResolver

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "ActorResolver",
    "AgentEntry",
    "KnowledgeBase",
    "LearnedActor",
    "LearnedIndex",
    "Tenure",
    "load_dictionary",
    "load_knowledge_base",
    "load_petrarch_dictionaries",
]
