"""The names newsgen.parsing imports from here, until it imports them from ``searchdocs``: delete me then.

Search is now ``searchdocs`` (what the index keeps of an article), ``searchindex`` (its files) and
``searchpatch`` (patching the last build's index).
"""

from newsgen.output.searchdocs import SearchDoc, search_doc

__all__ = ["SearchDoc", "search_doc"]
