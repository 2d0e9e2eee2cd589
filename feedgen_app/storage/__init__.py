"""Storage: the embedded SQLite store of stories, validators, robots.txt and feed status, the archive of
stories' last pages, the selectors learned per site, and the story-under-a-new-URL test.

Modules: `store`, `schema`, `serialized`, `archive`, `learned`, `story_rows`, `lock`, `same_story`. Import
from the modules themselves."""
