"""Bounded-memory engines for whole customer bases: a two-pass stream over CSV/Parquet files
(chunks, readers, id checks, pass-one statistics, top-k, writer, key-source probabilities), a
Dask engine for partitioned bases, and aggregation of raw CRM logs (contacts).
"""

__all__: list[str] = []
