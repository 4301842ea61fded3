"""Scheduling around the run layer (``kronika.run``), which does the ingest itself.

``dask``   the run layer's loop with the analysis on a Dask cluster;
``watch``  runs the loop on a folder or feed at a fixed cadence (idempotent).
"""
