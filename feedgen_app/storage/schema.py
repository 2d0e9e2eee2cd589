"""The state store's schema: one migration per version, applied in order (`PRAGMA user_version` says how
many ran). A migration is never edited once released; a change is a new one at the end."""

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE stories (
        url TEXT PRIMARY KEY,
        story_id TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        revised_at TEXT,
        content_hash TEXT NOT NULL,
        sort_date TEXT NOT NULL,
        listing_text TEXT NOT NULL DEFAULT '',
        etag TEXT,
        last_modified TEXT,
        data TEXT NOT NULL
    );
    CREATE TABLE feed_stories (
        feed_id TEXT NOT NULL,
        url TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        listing_text TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (feed_id, url)
    );
    CREATE TABLE validators (
        url TEXT PRIMARY KEY,
        etag TEXT,
        last_modified TEXT,
        checked_at TEXT NOT NULL
    );
    CREATE TABLE feed_status (
        feed_id TEXT PRIMARY KEY,
        data TEXT NOT NULL
    );
    """,
    """
    CREATE TABLE robots (
        origin TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        fetched_at TEXT NOT NULL
    );
    """,
    # 3: sort_date in UTC, so ordering by the string is chronological; an index for the feed query
    """
    UPDATE stories SET sort_date = strftime('%Y-%m-%dT%H:%M:%S+00:00', sort_date);
    CREATE INDEX stories_sort ON stories (sort_date DESC, url DESC);
    """,
    # 4: which feeds list a story, by key: pruning one feed costs the same whatever the store holds
    """
    CREATE INDEX feed_stories_url ON feed_stories (url);
    """,
    # 5: a story found again under a new URL (a site's new URL scheme) is kept under the URL first seen
    """
    CREATE TABLE aliases (
        url TEXT PRIMARY KEY,
        target TEXT NOT NULL
    );
    ALTER TABLE stories ADD COLUMN sketch TEXT NOT NULL DEFAULT '';
    """,
    # 6: each story's last fetched page (compressed) for `reextract`, and selectors learned per site
    """
    CREATE TABLE pages (
        feed_id TEXT NOT NULL,
        url TEXT NOT NULL,
        story_id TEXT NOT NULL,
        final_url TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        hint TEXT,
        size INTEGER NOT NULL,
        body BLOB NOT NULL,
        PRIMARY KEY (feed_id, url)
    );
    CREATE INDEX pages_age ON pages (feed_id, fetched_at);
    CREATE TABLE learned (
        site TEXT NOT NULL,
        field TEXT NOT NULL,
        selector TEXT NOT NULL,
        stories INTEGER NOT NULL,
        learned_at TEXT NOT NULL,
        why TEXT NOT NULL,
        PRIMARY KEY (site, field)
    );
    """,
    # 7: what each feed's files were last rendered from, so an unchanged feed is not rendered again
    """
    CREATE TABLE rendered (
        feed_id TEXT PRIMARY KEY,
        key TEXT NOT NULL,
        entries INTEGER NOT NULL
    );
    """,
    # 8: what a person should know of the site as a whole (files of the output folder that could not be
    # written), kept where `status` reads it even when the output folder is what failed
    """
    CREATE TABLE site_notes (
        name TEXT PRIMARY KEY,
        text TEXT NOT NULL,
        at TEXT NOT NULL
    );
    """,
    # 9: canonical URLs keep a site's own query parameters (`sid`, `page`, `from`), which they used to drop:
    # the stories stored before keep their keys (so their entry ids), each claimed once by the first address
    # that used to give it (Store._resolve)
    """
    CREATE TABLE former_keys (url TEXT PRIMARY KEY);
    INSERT INTO former_keys (url) SELECT url FROM stories;
    """,
)
