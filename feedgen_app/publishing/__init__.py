"""Publishing: feed documents (Atom, RSS, JSON Feed), the index, OPML and status files, writing them atomically, the built-in server and WebSub pings.

Modules: `render`, `site`, `publish`, `serve`, `status`, `websub`. Import from the modules themselves."""
