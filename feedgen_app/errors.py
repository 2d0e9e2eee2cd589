"""One exception base for the whole tool; every message names the thing and the cause."""

from enum import Enum


class FeedgenError(Exception):
    """Base of every error this tool raises on purpose."""


class ConfigError(FeedgenError):
    """The configuration (feeds.toml or a site profile) is unusable: names file, key path and problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        where = f"{source}: {key}" if key else source
        super().__init__(f"{where}: {problem}")


class FetchKind(Enum):
    """Why a fetch failed, as the code decides on it (retries, "blocked", advice); the message says it to
    a person."""

    UNREACHABLE = "no connection to the host"
    TIMEOUT = "no answer in time"
    STATUS = "an error status"
    TOO_LARGE = "over the size cap"
    ROBOTS = "disallowed by robots.txt"
    OFF_SITE = "outside the feed's site"
    REDIRECTS = "too many redirects"
    DEADLINE = "the poll's deadline"
    STOPPED = "feedgen-app is stopping"
    UNREADABLE = "an answer that could not be read"


class StoryFailure(Enum):
    """Why one story of a poll is missing from its feed, as status.json counts it (`last_poll.failed_by`)
    and the poll decides on it (most stories refused: the feed is blocked, not broken)."""

    UNREACHABLE = "unreachable"
    TIMED_OUT = "timed out"
    REFUSED = "refused"  # 401, 403, 429, 451: the site would not serve us
    GONE = "gone"  # 404, 410
    SITE_ERROR = "site error"  # any other error status
    TOO_LARGE = "too large"
    NOT_FETCHED = "not fetched"  # robots.txt, off-site redirects, redirect loops, unreadable answers
    NOT_A_STORY = "not a story"  # fetched, but no title or no text
    NOT_STORED = "not stored"  # the store could not take it
    BUG = "bug"  # an internal error, logged with its traceback


class FetchError(FeedgenError):
    """A URL could not be fetched (network, status, size, robots.txt): names the URL and the cause."""

    def __init__(
        self,
        url: str,
        cause: str,
        status: int | None = None,
        retry_after: float | None = None,
        final: bool = False,
        kind: FetchKind | None = None,
    ) -> None:
        self.url = url
        self.cause = cause
        self.status = status
        self.retry_after = retry_after  # what the server asked for (Retry-After), in seconds
        self.final = final  # retrying cannot help (size cap, redirect loop)
        self.kind = kind or (FetchKind.STATUS if status is not None else FetchKind.UNREADABLE)
        super().__init__(f"{url}: {cause}")


class ExtractError(FeedgenError):
    """A page was fetched but holds no usable story: names the URL and what was missing."""

    def __init__(self, url: str, cause: str) -> None:
        self.url = url
        self.cause = cause
        super().__init__(f"{url}: {cause}")


class StateBusyError(FeedgenError):
    """Another feedgen-app holds the state store: nothing was done (the command exits 3)."""


class PublishError(FeedgenError):
    """An output file could not be written (disk full, permissions): names the file and the cause."""


class BugError(FeedgenError):
    """A stage raised what it should not have (a bug on hostile or unusual input): names the page, the stage
    and the exception. The guard that catches it logs it with its traceback; the feed goes on."""

    def __init__(self, stage: str, url: str, exc: BaseException) -> None:
        self.stage = stage
        self.url = url
        self.exc = exc
        super().__init__(
            f"{url}: {stage} failed with an internal error (a bug: please report it with this page): "
            f"{type(exc).__name__}: {exc}"
        )
