"""Generate the benchmark's inputs (seeded, so every run and every machine builds the same).

- ``client``: one small-agency client: Instagram and Facebook daily exports for two years,
  a goal, in one of the three locales; a portfolio is N of these with different seeds.
- ``posts_project``: a post-level project of N rows (one per post, with ``Post ID``), its CSV
  written by the reader benchmark's own generator so both benchmarks read the same file.
- ``wide_csv``: a legacy Facebook Insights page export: 2,760 columns (quoted names with
  ';' and ','), a description row and 40 days, about 0.9 MB.
- ``change_one_csv``: edit one number in one CSV, as a data commit would.
"""

from __future__ import annotations

import os
import random
import shutil
from datetime import date, timedelta
from pathlib import Path

LOCALES = [("en", "USD"), ("ru", "RUB"), ("lv", "EUR")]
START = date(2024, 1, 1)
DAYS = 731  # two years: the report period and the previous one


def _daily(rng: random.Random, scale: float) -> list[list[int]]:
    """Return one row of counts per day with a trend, a weekly rhythm and noise."""
    rows = []
    followers = int(2000 * scale)
    for i in range(DAYS):
        d = START + timedelta(days=i)
        level = scale * (1 + i / DAYS) * (1.2 if d.weekday() < 5 else 0.8)
        impressions = int(rng.gauss(8000, 1500) * level)
        reach = int(impressions * rng.uniform(0.5, 0.7))
        likes = int(reach * rng.uniform(0.02, 0.05))
        comments = int(likes * rng.uniform(0.05, 0.15))
        shares = int(likes * rng.uniform(0.02, 0.08))
        clicks = int(reach * rng.uniform(0.005, 0.02))
        followers += rng.randint(-3, 12)
        rows.append([impressions, reach, followers, likes, comments, shares, clicks])
    return rows


def client(root: Path, seed: int) -> Path:
    """Write one generated client project under root/client-<seed>; return its folder."""
    rng = random.Random(seed)
    folder = root / f"client-{seed:03d}"
    data = folder / "data"
    data.mkdir(parents=True, exist_ok=True)
    locale, currency = LOCALES[seed % len(LOCALES)]
    (folder / "sitegen.toml").write_text(
        f'[project]\nname = "Client {seed:03d}"\nlocale = "{locale}"\n'
        f'currency = "{currency}"\n\n[period]\nstart = 2025-01-01\nend = 2025-12-31\n',
        encoding="utf-8",
    )
    (folder / "goals.toml").write_text(
        "[[goals]]\n"
        'title = "Raise engagement rate by 20% in the second half"\n'
        'kpi = "engagement_rate"\nchange = "+20%"\n'
        "start = 2025-07-01\ndeadline = 2025-12-31\n",
        encoding="utf-8",
    )
    header = "Date,Impressions,Reach,Followers,Likes,Comments,Shares,Link clicks\n"
    for channel, scale in (("instagram", rng.uniform(0.5, 3)), ("facebook", rng.uniform(0.2, 1))):
        lines = [header]
        for i, row in enumerate(_daily(rng, scale)):
            day = (START + timedelta(days=i)).isoformat()
            lines.append(day + "," + ",".join(str(v) for v in row) + "\n")
        (data / f"{channel}.csv").write_text("".join(lines), encoding="utf-8")
    return folder


def portfolio(root: Path, clients: int) -> Path:
    """Write a portfolio folder of generated clients (reused when already complete)."""
    marker = root / f".complete-{clients}"
    if not marker.exists():
        shutil.rmtree(root, ignore_errors=True)
        for seed in range(1, clients + 1):
            client(root, seed)
        marker.touch()
    return root


def posts_project(root: Path, rows: int) -> Path:
    """Write a project whose data is one post-level CSV of `rows` rows; return its folder.

    The CSV is the reader benchmark's (bench_reader.py, same generator and seed): linked from
    its folder when that has it already, else written here.
    """
    import bench_reader

    csv = root / "data" / "facebook.csv"
    if not csv.exists():
        csv.parent.mkdir(parents=True, exist_ok=True)
        theirs = root.parent / f"posts-{rows}" / "data" / "facebook.csv"
        try:
            os.link(theirs, csv)
        except OSError:
            bench_reader.make_csv(csv, rows)
    (root / "sitegen.toml").write_text(
        '[project]\nname = "Posts"\nlocale = "en"\ncurrency = "USD"\n', encoding="utf-8"
    )
    return root


def wide_csv(path: Path, days: int = 40, width: int = 2760, seed: int = 7) -> Path:
    """Write a legacy Facebook Insights page export of `width` columns; return its path."""
    rng = random.Random(seed)
    names = ["Date", "Lifetime Total Likes", "Daily New Likes", "Daily Unlikes"]
    about = [
        "",
        "Lifetime: The total number of people who have liked your Page. (Unique Users)",
        "Daily: The number of new people who have liked your Page (Unique Users)",
        "Daily: The number of Unlikes of your Page (Total Count)",
    ]
    spans = ["Daily", "Weekly", "28 Days", "Lifetime"]
    topics = [
        "Page Stories by story type - user post; page post",
        "Liked and online - {i}",
        "Page Consumptions by type - other clicks, link clicks",
        "Reach of page posts by age; gender - F.{i}",
        "Negative Feedback by type - hide_clicks; report_spam_clicks",
    ]
    i = 0
    while len(names) < width:
        span, topic = spans[i % 4], topics[i % len(topics)].format(i=i)
        names.append(f"{span} {topic} #{i}")
        about.append(f"{span}: The number of people, by {topic.lower()}; counted once a day.")
        i += 1

    def quote(cell: str) -> str:
        return f'"{cell}"' if "," in cell or ";" in cell else cell

    lines = [",".join(map(quote, names)), ",".join(map(quote, about))]
    for day in range(days):
        cells = [str(rng.randrange(5000)) if rng.random() < 0.7 else "" for _ in names[1:]]
        cells[0] = str(1000 + day)  # Lifetime Total Likes: a stock
        lines.append(",".join([str(date(2026, 1, 1) + timedelta(days=day)), *cells]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def change_one_csv(project: Path) -> Path:
    """Add one to the last number of the last row of the project's first CSV; return the file."""
    path = sorted((project / "data").glob("*.csv"))[0]
    raw = path.read_bytes()
    body = raw.rstrip(b"\r\n")
    cut = len(body)
    while cut > 0 and body[cut - 1 : cut].isdigit():
        cut -= 1
    if cut == len(body):
        raise ValueError(f"{path}: the last cell of the last row is not a number")
    bumped = str(int(body[cut:]) + 1).encode()
    path.write_bytes(body[:cut] + bumped + raw[len(body) :])
    return path
