"""Translation data: the seeded EN->DE grammar, the course phrasebook, and the
optional Ding pairs.

`from utils.data import grammar, phrasebook` gives the two built-in sources.
"""
