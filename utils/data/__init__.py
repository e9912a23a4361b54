"""Translation data: the seeded EN->DE grammar and the course phrasebook.

`from utils.data import grammar, phrasebook` gives the two built-in sources
(the optional Ding pairs come from `utils.assets.load_ding`).
"""
