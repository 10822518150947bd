"""A fictional demo workbook: years of one person's gives, for tours, tests and benchmarks.

The persona came back to a small harbour town after years in a big city. She sings in a choir,
works part-time at the library, helps at the food pantry, belongs to a congregation and keeps up
with a professional forum online; her mother is known and liked all over town. Lately she has
stopped going to choir, so one busy community shows no gives in the last three months.

Everything is drawn from one ``random.Random(seed)``: the same arguments give the same records.

All of it importable from here: ``world`` holds her data (places, people, notes, answers),
``size`` how big a demo is, ``persona`` draws her records, and ``records`` gives them out or
writes them into a workbook.
"""

from .records import demo_records, write_demo
from .size import DemoSize, demo_size

__all__ = ["DemoSize", "demo_records", "demo_size", "write_demo"]
