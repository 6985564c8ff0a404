"""Add finer rows up per (date, channel, competitor), or refuse rows nothing tells apart."""

from __future__ import annotations

import polars as pl

from sitegen.errors import DataError
from sitegen.readers.raw import col
from sitegen.readers.rows.columns import Columns, Located
from sitegen.readers.rows.options import GRAIN_RANK, GRAINS, KEY, ReadOptions


def duplicate(rows: pl.DataFrame, key: list[str]) -> tuple[int, int, tuple[object, ...]] | None:
    """Return the lines of the first two rows sharing `key`, and the key, or None."""
    dup = rows.filter(pl.struct(key).is_duplicated())
    if not dup.height:
        return None
    first = dup.row(0, named=True)
    same = dup.filter(
        pl.all_horizontal(pl.col(k).eq_missing(pl.lit(first[k], dtype=rows.schema[k])) for k in key)
    )
    lines = sorted(same["_line"].to_list())
    return lines[0], lines[1], tuple(first[k] for k in key)


def is_cell(name: str) -> bool:
    """Return True for a column of the kept frame that holds a row's cells (not _line, ...)."""
    return not name.startswith("_")


def all_different(ids: pl.Series) -> bool:
    """Return True when no two cells of a text column are equal (False: they may be)."""
    # Equal texts give equal numbers and equal hashes: distinct numbers (ids are mostly
    # numbers), or else distinct hashes, prove the texts distinct, faster than comparing them.
    n = ids.len()
    return ids.cast(pl.Int64, strict=False).n_unique() == n or ids.hash().n_unique() == n


def numbers_all_different(ids: pl.Series) -> bool:
    """Return True when every cell of an id column as read (not stripped) is a whole number
    and no two are equal: then no two are equal once stripped either."""
    # A cell with a space around it is no number here (null): the proof then needs the
    # stripped ids (strip_ids).
    numbers = ids.cast(pl.Int64, strict=False)
    return numbers.null_count() == 0 and numbers.n_unique() == ids.len()


def strip_ids(rows: pl.DataFrame, unique: list[str]) -> pl.DataFrame:
    """Return rows with their id cells stripped of spaces (as compared and hashed)."""
    texts = [n for n in unique if rows.schema[n] == pl.String]  # numbers have no spaces
    return rows.with_columns(pl.col(n).str.strip_chars() for n in texts) if texts else rows


def combine_rows(
    rows: pl.DataFrame,
    ids: list[tuple[str, str]],
    finer: bool,
    timed: bool,
    metrics: list[str],
    opts: ReadOptions,
    loc: Located,
    channel: str | None = None,
    partial: bool = False,
    cells: pl.DataFrame | None = None,
    check: bool = True,
) -> pl.DataFrame:
    """Add finer rows up per key, or refuse rows that nothing tells apart.

    `ids` are the post/record id columns; `finer` says whether the file has any id or name
    column at all; `channel`, when given, is every row's channel (and no row has a
    competitor), so that the date alone is the key. `partial` (a batch of a file read in
    batches) gives a mean metric as its sum, with the count in `<metric>#n`. `cells` are the
    rows' cells as in the file: two rows with one id on one date are a duplicate only when
    every cell is equal too (a row pasted twice); ids repeat legitimately on breakdown rows
    (a campaign number per device or age group) and as placeholders (YouTube's `--` video id).
    `check=False` leaves duplicate rows to the caller (batches check them across the file).
    """
    unique = [n for n, _ in ids]
    key = ["date"] if channel is not None else KEY
    if check and unique:
        found = repeated_id(rows, unique, key, cells)
        if found:
            raise duplicate_error(found, loc, "the same id")
    elif (
        check
        and not unique
        and not finer
        and not timed
        and bool(rows.select(pl.struct(key).hash()).to_series().is_duplicated().any())
    ):
        found = duplicate(rows, KEY)
        if found:
            raise duplicate_error(found, loc, None)
    if not finer and not timed:
        return rows.select(KEY + metrics + ["_line"])
    aggs = [pl.col("_line").min()]
    for m in metrics:
        kind = opts.metric_kinds[m]
        if kind == "stock":
            aggs.append(pl.col(m).drop_nulls().last())
        elif kind == "mean" and partial:
            aggs += [pl.col(m).sum(), pl.col(m).count().cast(pl.Int64).alias(count_of(m))]
        elif kind == "mean":
            aggs.append(pl.col(m).mean())
        else:
            aggs.append(pl.when(pl.col(m).count() > 0).then(pl.col(m).sum()).alias(m))
    post_ids = [n for n, kind in ids if kind == "post"]
    extra: list[str] = []
    if post_ids and "posts" not in metrics and "posts" in opts.metric_kinds:
        # One row per post: the rows themselves count the posts.
        aggs.append(pl.col(post_ids[0]).is_not_null().sum().cast(pl.Float64).alias("posts"))
        extra = ["posts"]
    out = _sorted_dates(rows, key).group_by(key, maintain_order=True).agg(aggs)
    if channel is not None:
        out = out.with_columns(channel=pl.lit(channel), competitor=pl.lit(None, dtype=pl.Utf8))
    order = [m for m in opts.metric_kinds if m in metrics or m in extra]
    counts = [count_of(m) for m in order if partial and opts.metric_kinds[m] == "mean"]
    return out.select(KEY + order + counts + ["_line"])


def _sorted_dates(rows: pl.DataFrame, key: list[str]) -> pl.DataFrame:
    """Return rows with their date marked sorted when it is the key and is in order.

    Exports list their rows by date (either way): grouping a sorted key takes the runs as
    they are instead of hashing a million dates, and the groups come in the same order.
    """
    dates = rows.get_column("date")
    if key != ["date"] or dates.null_count():
        return rows
    for descending in (False, True):
        if dates.is_sorted(descending=descending):
            return rows.with_columns(pl.col("date").set_sorted(descending=descending))
    return rows


def repeated_id(
    rows: pl.DataFrame, unique: list[str], key: list[str], cells: pl.DataFrame | None
) -> tuple[int, int, tuple[object, ...]] | None:
    """Return the first row whose date, channel, competitor, ids and cells come again (a
    row pasted twice), as duplicate() does; None when there is none.

    `cells` are the rows' cells as in the file (None: the ids alone); `key` is ["date"]
    when every row has the same channel and no competitor.
    """
    # Ids are read as they are in the file (key_rows): ids that are distinct whole numbers
    # (one per post) settle it at once; else they are compared stripped.
    if any(numbers_all_different(rows[n]) for n in unique):
        return None
    rows = strip_ids(rows, unique)
    # Hashes first (8 bytes a row instead of a table of strings); the exact check runs only
    # when two rows hash alike. Ids that are all different (one per post) settle it sooner.
    if any(all_different(rows[n]) for n in unique) or not bool(
        rows.select(pl.struct(key + unique).hash()).to_series().is_duplicated().any()
    ):
        return None
    whole = [c for c in (cells.columns if cells is not None else []) if is_cell(c)]
    checked = rows.with_columns(cells.select(whole) if cells is not None else [])
    checked = checked.filter(pl.all_horizontal(pl.col(n).is_not_null() for n in unique))
    return duplicate(checked, KEY + unique + whole)


def count_of(metric: str) -> str:
    """Return the column that counts a mean metric's values in a partial aggregate."""
    return f"{metric}#n"


def duplicate_error(
    found: tuple[int, int, tuple[object, ...]], loc: Located, what: str | None
) -> DataError:
    first, second, key = found
    date, channel, competitor = key[:3]
    who = f"channel {channel}" + (f", competitor {competitor}" if competitor else "")
    if what:
        message = f"two rows for {date} ({who}) with the same id"
        hint = "remove the repeated row (the export may have been pasted twice)"
    else:
        message = f"two rows for {date} ({who}) that nothing tells apart"
        hint = (
            "remove one of them; if they are different posts, ads or campaigns, keep "
            "a column that names them (Post ID, Campaign, Ad name); if they are different "
            "channels, add a channel column"
        )
    return DataError(
        message,
        file=loc.display,
        line=second,
        expected="one row per date, channel and competitor",
        found=f"{loc.where(first)} and {loc.where(second)}",
        hint=hint,
    )


def key_rows(
    frame: pl.DataFrame,
    parsed: pl.DataFrame,
    cols: Columns,
    stem: str,
) -> tuple[pl.DataFrame, list[tuple[str, str]]]:
    """Return the rows' date, grain, channel, competitor, _line and id columns (_id0, ...),
    and the id columns with their kind; a row without a channel is the file's (stem)."""
    channel: pl.Series | pl.Expr
    competitor: pl.Series | pl.Expr
    if cols.channel is not None:
        channel = (
            frame[col(cols.channel)]
            .cast(pl.Utf8)
            .str.strip_chars()
            .str.to_lowercase()
            .str.replace_all(r"\s+", " ")
        )
        channel = pl.select(
            pl.when(pl.lit(channel).is_null() | (pl.lit(channel) == ""))
            .then(pl.lit(stem))
            .otherwise(pl.lit(channel))
        ).to_series()
    else:
        channel = pl.lit(stem, dtype=pl.Utf8)  # one value: not a million copies
    if cols.competitor is not None:
        comp = frame[col(cols.competitor)].cast(pl.Utf8).str.strip_chars()
        competitor = pl.select(
            pl.when(pl.lit(comp) == "").then(None).otherwise(pl.lit(comp))
        ).to_series()
    else:
        competitor = pl.lit(None, dtype=pl.Utf8)

    # A select keeps a grain of one value (an ISO date column) as one value.
    rows = parsed.select("date", "grain").with_columns(
        channel=channel, competitor=competitor, _line=frame["_line"]
    )
    ids: list[tuple[str, str]] = []  # (column in rows, id kind)
    for n, (i, kind) in enumerate(cols.unique_ids()):
        ids.append((f"_id{n}", kind))
        # As in the file: stripped only where they are compared (strip_ids); ids read as
        # whole numbers (sources._int_columns) stay numbers.
        ids_read = frame.get_column(col(i))
        if ids_read.dtype != pl.Int64:
            ids_read = ids_read.cast(pl.Utf8)
        rows = rows.with_columns(ids_read.alias(f"_id{n}"))
    return rows, ids


def grains_of(rows: pl.DataFrame, parsed: pl.DataFrame, cols: Columns, stem: str) -> dict[str, str]:
    """Return the finest grain (day, week, month) seen per channel."""
    if cols.channel is None:
        found = parsed.select((pl.col("grain") == g).any().alias(g) for g in GRAINS).row(0)
        seen = [g for g, hit in zip(GRAINS, found, strict=True) if hit]
        return {stem: seen[0]} if seen else {}
    return {
        str(c): GRAINS[int(r)]
        for c, r in rows.group_by("channel")
        .agg(pl.col("grain").replace_strict(GRAIN_RANK, return_dtype=pl.Int8).min())
        .iter_rows()
    }
