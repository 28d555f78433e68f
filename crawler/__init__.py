"""Crawler and ingestion job for the Malian press."""

__version__ = "0.1.0"
