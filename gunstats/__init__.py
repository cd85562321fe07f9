"""gunstats: gun-crime figures from a YAML file, with their changes computed and printed.

The package is layered so data flows one way: ``load`` reads and validates a figures file
into immutable objects, ``compute`` turns them into comparisons, and ``render`` prints those
comparisons in one format per module. ``cli`` only wires the three together.
"""

__version__ = "0.1.0"
