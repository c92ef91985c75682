"""Imported only by the server process that forks the upload checks (vawmap/ingest/isolated.py).

The first ingest in a process builds what later ones reuse (validation schemas, catalogues,
vocabularies): about 0.15 s. Doing it once here, before any child is forked, spares every
check that time.
"""

from vawmap.ingest.pipeline import ingest

ingest([("warm-up.csv", b"Provider,Service type,Region\nA,Helpline,B\n")])
