"""Repair: when a site's layout changes and its profile stops matching, selectors learned from what the
fallbacks found, offered as a TOML patch or used (`repair = "apply"`), and checked on every later poll.

Modules: `candidates` (selectors that may name an element on every page), `article` (story fields, and the
check that drops learned selectors the fallbacks no longer agree with), `listing` (a listing's story
links), `patch` (the `[sites.NAME]` TOML a person pastes). Pure: pages and stories in, records out."""
