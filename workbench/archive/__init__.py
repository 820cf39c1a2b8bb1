"""Archival files and leaves: citations, and the sequence of leaves in a file (pure, no database)."""
