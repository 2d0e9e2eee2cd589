"""Finding stories: a listing page's story links (or a feed's items), what an address and a link text say, most-read boxes, what to fetch, and whether a site refused us.

Modules: `discover`, `most_read`, `headline`, `feed_items`, `decide`, `blocked`. Import from the modules themselves."""
