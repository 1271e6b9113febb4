"""stackmap: map, check and render a marketing-technology stack described in YAML inventories.

Library entry points (imported lazily, so the command line starts fast)::

    from stackmap.load.inventory import load_inventory
    from stackmap.analysis.engine import analyse

    result = analyse(load_inventory([Path("inventories")]))
"""

__version__ = "0.1.0"
