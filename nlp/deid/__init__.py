"""Dutch de-identification: find and replace personal data in resident stories.

The public API lives in ``nlp.anonymise``; this package holds its parts.
"""
