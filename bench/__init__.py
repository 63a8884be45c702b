"""Performance benchmark of the portal: ``python -m bench`` (tooling, not a Django app).

``python -m bench run`` generates the city at 1× and 4×, serves it with
gunicorn, loads it with wrk on loopback and writes ``docs/PERFORMANCE.md``.
The pages measured are listed in one place: ``bench.targets.TARGETS``.
"""
