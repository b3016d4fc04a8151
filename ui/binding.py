"""The one definition of how widgets keep their values: in the link and the session, or in the session only."""

from __future__ import annotations

#: Inputs a link carries: written to the URL (dropped at their default) and kept across page switches. Each key must be
#: declared in calc/querystring.py (the scenario's params or PAGE_PARAMS), whose check runs before any widget reads the
#: link (tests/app/test_link_params.py finds every widget made with this and fails on an undeclared key).
IN_LINK = {"bind": "query-params", "persist_state": "session"}
#: Page-local inputs that a link need not carry (pasted text, uploads' settings): kept across page switches only.
IN_SESSION = {"persist_state": "session"}
