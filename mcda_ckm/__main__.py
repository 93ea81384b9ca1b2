"""``python -m mcda_ckm`` runs the ``ckm`` command line."""

from .cli import main

if __name__ == "__main__":
    main()
