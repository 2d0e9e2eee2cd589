"""Fetching: the polite HTTP client (robots.txt, pacing, budgets at the socket) and bytes decoded as browsers do.

Modules: `http`, `robots`, `session`, `encoding`. Import from the modules themselves."""
