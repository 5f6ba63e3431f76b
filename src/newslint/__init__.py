"""newslint: an editorial linter for Jekyll and Hugo posts."""

__version__ = "0.1.0"
