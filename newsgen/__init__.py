"""newsgen: turn folders of scraped news text into a static, browsable archive."""

import logging

__version__ = "0.1.0"

# The library logs (to "newsgen" and its children) and never prints on its own; the command line shows
# the messages. A program that embeds newsgen routes or quiets them as it does any library's.
logging.getLogger(__name__).addHandler(logging.NullHandler())
