"""The file name suffixes of posts (a module of its own: discovery needs them
without importing the parsers)."""

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
HTML_SUFFIXES = (".html", ".htm")
