"""Transformers Lunch & Learn: the small, tested helpers behind the notebooks.

One module per idea of the course. Nothing here reaches for the network: every
model and data set comes from the pinned offline set that `make assets` prepares.
"""

__version__ = "0.1.0"
