"""Digest: turn Chinese government documents into a bilingual, annotated MkDocs site."""

__version__ = "0.1.0"
