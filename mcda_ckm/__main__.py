"""``python -m mcda_ckm`` runs the ``ckm`` command line."""

from mcda_ckm.cli.main import main

if __name__ == "__main__":
    main()
