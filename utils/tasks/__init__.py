"""Tasks: the data, loss, models and decoding of one job that several lessons
share. `translation` is part 1's English -> German task."""
