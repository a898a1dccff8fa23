"""Shared pieces of the clinic's API: typed fields embedded in page payloads."""
