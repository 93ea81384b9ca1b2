"""The panel's web questionnaire and the consultant's board (``ckm serve``).

Needs the optional extra ``mcda_ckm[serve]`` (Starlette, uvicorn, Jinja2). It is a front end like
the CLI: it reads and writes the same case files through the library below it.
"""
