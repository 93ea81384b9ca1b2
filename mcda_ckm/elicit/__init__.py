"""Eliciting the panel's judgements: the terminal interview (``ckm judge``), Excel workbooks and
survey exports, the panel's judgement files and their status.
"""

__all__: list[str] = []
