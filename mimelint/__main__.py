"""``python -m mimelint``: the same as the ``mimelint`` command."""

from mimelint.command import script

# Guarded: worker processes started with "spawn" (a Dask local cluster)
# import this module again and must not run the command a second time.
if __name__ == "__main__":
    script()
