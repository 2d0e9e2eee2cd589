"""Storage: the embedded SQLite store of stories, validators, robots.txt and feed status, and the story-under-a-new-URL test.

Modules: `store`, `story_rows`, `lock`, `same_story`. Import from the modules themselves."""
