"""`feedgen-app demo`: a sample news site bundled with the package, served on 127.0.0.1 and kept fresh by the
daemon, so a person sees feedgen-app work with no network and no configuration.

Modules: `sample_site` (the site: its pages from `stories.toml`, a new story every minute), `pictures`
(its lead pictures, drawn as PNG), `run` (the command: the site, a temporary configuration and the daemon).
"""
