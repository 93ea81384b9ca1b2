"""The panel's web questionnaire and the consultant's board (``ckm serve``).

Needs the optional extra ``mcda_ckm[serve]`` (Starlette, uvicorn, Jinja2). It is a front end like
the CLI: it reads and writes the same case files through the library below it.

- :mod:`~mcda_ckm.serve.links`: personal links, their hashed tokens (``CASE/.links.toml``);
  imports no web library, so ``ckm links`` works without the extra.
- :mod:`~mcda_ckm.serve.sessions`: each expert's questionnaire (the interview of ``ckm judge``),
  locked per expert, saved to ``panel/*.toml`` after every answer.
- :mod:`~mcda_ckm.serve.questionnaire`: what each page shows; :mod:`~mcda_ckm.serve.messages`:
  its words in English and Chinese.
- :mod:`~mcda_ckm.serve.security`: headers, body limit, form token, same-origin check.
- :mod:`~mcda_ckm.serve.app`: ``create_app(case_dir, lang=...)``, the routes, the board's mount.
- :mod:`~mcda_ckm.serve.server`: uvicorn, in the foreground or in a thread for tests
  (``running(case)`` yields the base URL of a server on a free loopback port).
"""
