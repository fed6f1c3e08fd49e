"""The counting core: how the program's figures are computed, in plain Python, numpy and scipy.

- :mod:`~akt.counting.engine`: the reference engine and the specification of every count
  (facts, definitions, windows, fiscal calendar, disaggregations, unique persons).
- :mod:`~akt.counting.columnar`: the same counts over whole columns at once (the production
  path of the pages, exports and commands), checked against the engine by the tests.
- :mod:`~akt.counting.composition`: mixed activities and participation against population.
- :mod:`~akt.counting.targets`: targets and progress by period rule.
- :mod:`~akt.counting.uncertainty`: the range of a unique-person figure while pairs wait.

Nothing here imports Django or another app (``src/akt/tests/test_layers.py``): the readers in
:mod:`akt.indicators` turn the database into the facts and columns these modules count.
"""
