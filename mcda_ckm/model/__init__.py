"""The data, loaded and validated at the door: the pairwise scale, directions, criteria trees,
judgement files, typed settings, the case folder, the decision matrix and its readers.

Nothing here computes a method: weights, ranking and sensitivity import the model, never the
reverse.
"""

__all__: list[str] = []
