from pathlib import Path

import pytest

from feedgen_app.cli import main
from feedgen_app.config import load_config, parse_duration
from feedgen_app.errors import ConfigError

GOOD_FEED = """
[[feeds]]
id = "north-korea"
site = "koreaherald"
listing = "https://www.koreaherald.com/National/North-Korea"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("[output]\ndirr = 'x'\n" + GOOD_FEED, "output.dirr", "unknown key"),
        ("[http]\nmin_delay = 'fast'\n" + GOOD_FEED, "http.min_delay", "must be a number"),
        ("[http]\nmax_per_host = 0\n" + GOOD_FEED, "http.max_per_host", "between 1 and 64, not 0"),
        ("[http]\nmin_delay = nan\n" + GOOD_FEED, "http.min_delay", "between 0 and 3600, not nan"),
        ("[http]\ndeadline = 1e300\n" + GOOD_FEED, "http.deadline", "between 1 and 86400"),
        (
            GOOD_FEED + "every = 30\n",
            "feeds[0] (north-korea).every",
            "30 has no unit: write '30s', '30m' or '30h'",
        ),
        (GOOD_FEED + 'every = "0s"\n', "feeds[0] (north-korea).every", "between 1 second and a year"),
        (GOOD_FEED + 'every = "1e300s"\n', "feeds[0] (north-korea).every", "not a duration"),
        (GOOD_FEED + GOOD_FEED, "feeds[1] (north-korea).id", "duplicate feed id"),
        (
            GOOD_FEED.replace("https://www.koreaherald.com/National/North-Korea", "ftp://x"),
            "feeds[0] (north-korea).listing",
            "not an http",
        ),
        (
            GOOD_FEED.replace('site = "koreaherald"', 'site = "nosuchsite"'),
            "feeds[0] (north-korea).site",
            "unknown site profile",
        ),
        (
            GOOD_FEED.replace('id = "north-korea"', 'id = "North Korea!"'),
            "feeds[0] (North Korea!).id",
            "lower-case",
        ),
        (GOOD_FEED + 'every = "soon"\n', "feeds[0] (north-korea).every", "not a duration"),
        (GOOD_FEED + 'formats = ["atom", "pdf"]\n', "feeds[0] (north-korea).formats[1]", "unknown format"),
        (GOOD_FEED + "colour = 1\n", "feeds[0] (north-korea).colour", "unknown key"),
        ("[output]\ndir = 'public'\n", "feeds", "no [[feeds]]"),
        (GOOD_FEED.replace("[[feeds]]", "[feeds]"), "feeds", "write [[feeds]] (two brackets)"),
        (
            "[output]\nbase_url = 'https://example.test/feeds'\n" + GOOD_FEED,
            "output.base_url",
            "must end with '/'",
        ),
        ("[output]\nbase_url = '/feeds/'\n" + GOOD_FEED, "output.base_url", "not an http"),
        (
            GOOD_FEED + 'exclude = ["autor:AFP"]\n',
            "feeds[0] (north-korea).exclude[0]",
            "names no field 'autor'",
        ),
        (
            GOOD_FEED + '[sites.koreaherald.article]\ntitle = ["h1[["]\n',
            "sites.koreaherald.article.title[0]",
            "does not compile",
        ),
        (
            GOOD_FEED + "[sites.koreaherald]\nstory_urls = ['([']\n",
            "sites.koreaherald.story_urls[0]",
            "regular expression",
        ),
        (
            GOOD_FEED + "[sites.koreaherald]\ntimezone = 'Mars/Olympus'\n",
            "sites.koreaherald.timezone",
            "unknown time zone",
        ),
    ],
)
def test_config_errors_name_file_key_and_problem(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path)
    message = str(err.value)
    assert str(path) in message and key in message and problem in message


def test_broken_toml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD_FEED + "[output\n")
    with pytest.raises(ConfigError, match=r"not valid TOML.*line"):
        load_config(path)


@pytest.mark.parametrize(
    "nested", ["x = " + "[" * 100_000 + "]" * 100_000, "x = " + "{a = " * 5_000 + "1" + "}" * 5_000]
)
def test_absurdly_nested_toml_is_a_config_error(
    tmp_path: Path, nested: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, nested + "\n" + GOOD_FEED)
    assert main(["build", "--config", str(path)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and str(path) in err and "Traceback" not in err


def test_cli_exits_2_and_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD_FEED.replace("https://", "htp://"))
    assert main(["build", "--config", str(path)]) == 2
    assert "feeds[0] (north-korea).listing" in capsys.readouterr().err
    assert not (tmp_path / "public").exists() and not (tmp_path / "state").exists()
    assert main(["check", "--config", str(path)]) == 2
    assert main(["build", "--config", str(tmp_path / "missing.toml")]) == 2


def test_relative_paths_resolve_against_the_config_folder(tmp_path: Path) -> None:
    path = write(tmp_path, "[output]\ndir = 'out'\n[state]\npath = 's/db.sqlite'\n" + GOOD_FEED)
    config = load_config(path)
    assert config.output_dir == tmp_path / "out"
    assert config.state_path == tmp_path / "s" / "db.sqlite"


def test_unknown_feed_on_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, GOOD_FEED)
    assert main(["build", "--config", str(path), "--feed", "sports"]) == 2
    assert "sports" in capsys.readouterr().err


def test_shipped_feeds_toml_is_valid(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    config = load_config(root / "feeds.toml")
    ids = {f.id for f in config.feeds}
    assert {"north-korea", "national", "politics", "foreign-affairs", "defense"} <= ids
    assert all(f.site == "koreaherald" for f in config.feeds)
    assert main(["check", "--config", str(root / "feeds.toml")]) == 0


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("1h", 3600), ("2d", 172800), ("2.5m", 150)]
)
def test_durations(text: str | int, seconds: float) -> None:
    assert parse_duration(text) == seconds


def test_check_notes_a_foreign_host_and_an_unwritable_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "blocker").write_text("a file where a folder should be")
    path = write(
        tmp_path,
        "[output]\ndir = 'blocker/public'\n"
        + GOOD_FEED.replace("www.koreaherald.com", "www.koreaherald.co.kr"),
    )
    assert main(["check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert "listing host www.koreaherald.co.kr is not one of the koreaherald profile's hosts" in out
    assert "output.dir" in out and "cannot be created" in out
