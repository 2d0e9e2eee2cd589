"""The commands that are not a build: extract, discover, check --live, save-page, init, preview.

Modules: `extract_pages`, `discover_pages`, `live_check`, `save_page`, `init`, `preview`. Import from the modules themselves."""
