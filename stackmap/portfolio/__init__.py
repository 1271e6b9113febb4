"""Portfolio analyses for the people who own and pay for the stack: ``spend``, ``impact``, ``rationalize``.

Each analysis module computes plain, frozen data from a :class:`stackmap.graph.Stack` (with a
``to_json()`` view); each ``*_format`` module turns that data into text, JSON, Markdown (and CSV
for spend) and holds the registry of its formats. Nothing here prints or exits.
"""
