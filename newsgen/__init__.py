"""newsgen: turn folders of scraped news text into a static, browsable archive."""

__version__ = "0.1.0"
