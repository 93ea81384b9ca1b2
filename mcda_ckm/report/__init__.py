"""The client's report: results as JSON-able dicts, every sentence (narrative, in English and
Chinese), the pages (HTML, Markdown), figures, and the writer of the report folder.
"""

__all__: list[str] = []
