"""The nlp stage: spaCy's English pipeline turned into plain ``ParsedDoc`` records.

Only this package imports spaCy. Every later stage reads tokens, dependencies, morphology
and NER hints from the ``ParsedDoc`` it produces.
"""

from kronika.nlp.parser import SpacyParser, to_parsed_doc

__all__ = ["SpacyParser", "to_parsed_doc"]
