"""Extraction: a story page to a Story (the profile, JSON-LD, OpenGraph and generic chain), its dates, lead image and clean body.

Modules: `extract`, `one_field`, `body_trim`, `generic`, `main_text`, `metadata`, `images`, `dates`, `junk`, `clean`, `parse_budget`. Import from the modules themselves."""
