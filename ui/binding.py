"""The one definition of how widgets keep their values: in the link and the session, or in the session only."""

from __future__ import annotations

#: Scenario inputs shared by the pages: written to the URL (dropped at their default) and kept across page switches.
IN_LINK = {"bind": "query-params", "persist_state": "session"}
#: Page-local inputs that a link need not carry (pasted text, uploads' settings): kept across page switches only.
IN_SESSION = {"persist_state": "session"}
