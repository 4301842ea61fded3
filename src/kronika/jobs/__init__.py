"""Jobs that join the stages to the store: local streaming ingest, Dask scale-out, watching.

``local``  one machine, ``nlp.pipe`` batches (optionally several processes), one store
           transaction per batch;
``dask``   the same per-article pipeline on a Dask cluster, results loaded into the store;
``watch``  re-runs ingest on a folder or feed at a fixed cadence (idempotent).
"""

from kronika.jobs.local import IngestReport, ingest

__all__ = ["IngestReport", "ingest"]
