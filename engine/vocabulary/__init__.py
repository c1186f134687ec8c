"""One clinical vocabulary: concepts in an is-a hierarchy, anchored on standard codes, shared by every trial.

The vocabulary describes medicine; a ruleset describes the protocol. A question about concept C is answered
by a record of C or anything below it; a record of something above C is less specific than the question.
"""

from .graph import CodeMatch, Concept, Vocabulary
from .load import get_vocabulary, load_vocabulary, site_directories

__all__ = ["CodeMatch", "Concept", "Vocabulary", "get_vocabulary", "load_vocabulary", "site_directories"]
