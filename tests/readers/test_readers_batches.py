"""A big CSV read in batches gives what one read of the whole file gives.

Each test writes an export, reads it whole, then reads it in batches of a few dozen bytes
(BATCH_THRESHOLD and BATCH_BYTES forced down) and compares the frame, the grains, the
warnings, or the error. `batched=True` also asserts that the batches did the work (no
fall-back to the whole read); the others only need the same outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from sitegen import readers
from sitegen.errors import SitegenError
from sitegen.readers import read_file
from sitegen.readers.rows import batches, batchstate


def _outcome(path: Path, **kw: Any) -> Any:
    try:
        data = read_file(path, **kw)
    except SitegenError as exc:
        return type(exc).__name__, str(exc), vars(exc)
    return (
        data.frame.to_dicts(),
        data.frame.schema,
        data.grains,
        [vars(w) for w in data.warnings],
        data.unknown_columns,
    )


def _compare(
    monkeypatch: pytest.MonkeyPatch,
    path: Path,
    sizes: tuple[int, ...] = (7, 97, 400),
    batched: bool = False,
    **kw: Any,
) -> Any:
    whole = _outcome(path, **kw)
    for size in sizes:
        used: list[bool] = []
        real: Callable[..., Any] = batches.read_batched

        def spy(*args: Any, _used: list[bool] = used, _real: Any = real) -> Any:
            result = _real(*args)
            _used.append(result is not None)
            return result

        with monkeypatch.context() as m:
            m.setattr(batches, "BATCH_THRESHOLD", 0)
            m.setattr(batches, "BATCH_BYTES", size)
            m.setattr(batches, "read_batched", spy)
            got = _outcome(path, **kw)
        assert got == whole, f"batch size {size}"
        if batched:
            assert used == [True], f"batch size {size} fell back to the whole read"
    return whole


def _write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "data").mkdir(exist_ok=True)
    path = tmp_path / "data" / name
    path.write_text(text, encoding="utf-8")
    return path


def test_posts_summed_and_last_stock_of_a_day_across_batches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["date,channel,Post ID,likes,spend,followers"]
    for i in range(60):
        day = 1 + i // 7
        rows.append(
            f"2025-01-{day:02d},{'fb' if i % 3 else 'ig'},{1000 + i},{i},{i * 0.1:.2f},{500 + i}"
        )
    path = _write(tmp_path, "posts.csv", "\n".join(rows) + "\n")
    frame = _compare(monkeypatch, path, batched=True, metric_kinds=kinds)[0]
    assert frame and all(r["posts"] for r in frame)


def test_daily_rows_with_rates_and_a_total_row_at_the_end(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["Date;Impressions;CTR;Spend"]
    rows += [f"{d:02d}.01.2025;{100 * d};{d / 100:.2f};{d},5" for d in range(1, 29)]
    rows.append("Total;40600;;406")
    path = _write(tmp_path, "ads.csv", "\n".join(rows) + "\n")
    outcome = _compare(monkeypatch, path, metric_kinds=kinds)
    assert any("total row" in w["message"] for w in outcome[3])


def test_timed_rows_and_quoted_newlines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["Publish time,Title,Impressions,Reach"]
    for i in range(40):
        title = '"Sale,\n""50%"" off"' if i % 5 == 0 else f"Post {i}"
        rows.append(f"2025-02-{1 + i // 6:02d} {i % 24:02d}:15,{title},{i * 10},{i * 7}")
    path = _write(tmp_path, "tiktok.csv", "\r\n".join(rows) + "\r\n")
    _compare(monkeypatch, path, batched=True, metric_kinds=kinds)


def test_duplicate_rows_across_the_batch_boundary(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["date,likes"] + [f"2025-03-{d:02d},{d}" for d in range(1, 20)]
    rows.append("2025-03-02,9")
    path = _write(tmp_path, "fb.csv", "\n".join(rows) + "\n")
    assert _compare(monkeypatch, path, metric_kinds=kinds)[0] == "DataError"
    ids = ["date,Post ID,likes"] + [f"2025-03-{1 + i // 4:02d},{i},{i}" for i in range(30)]
    ids.append("2025-03-01,2,2")  # the row of post 2 pasted again, far from the first
    path = _write(tmp_path, "ig.csv", "\n".join(ids) + "\n")
    assert _compare(monkeypatch, path, metric_kinds=kinds)[0] == "DataError"
    # One id with other values is a breakdown row, added up as a whole read adds it up.
    ids[-1] = "2025-03-01,2,5"
    path = _write(tmp_path, "ig2.csv", "\n".join(ids) + "\n")
    assert _compare(monkeypatch, path, metric_kinds=kinds)[0] != "DataError"


def test_date_order_and_decimal_mark_settled_late_in_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    # 01/02 .. 12/02 are ambiguous until 13/02; 1.234 is ambiguous until 2,5.
    rows = ["Date,Spend,Clicks"] + [f'{d:02d}/02/2025,"1.234",{d}' for d in range(1, 13)]
    rows += [f'{d:02d}/02/2025,"2,5",{d}' for d in range(13, 20)]
    path = _write(tmp_path, "g.csv", "\n".join(rows) + "\n")
    _compare(monkeypatch, path, metric_kinds=kinds)
    settled = ["Date,Spend"] + [f"{d:02d}/02/2025,{d}.5" for d in range(13, 28)]
    path = _write(tmp_path, "h.csv", "\n".join(settled) + "\n")
    _compare(monkeypatch, path, batched=True, metric_kinds=kinds)


def test_blank_comment_description_and_second_table(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    text = (
        "Date,Sessions,Bounce rate\n"
        ",The number of sessions,Share of single-page sessions\n"
        + "".join(f"2025-04-{d:02d},{d * 10},{d}%\n\n" for d in range(1, 15))
        + "# a comment\n"
        + "".join(f"2025-04-{d:02d},{d * 10},{d}%\n" for d in range(15, 25))
        + "Date,Sessions,Bounce rate\n2025-04-01,1,1%\n"
    )
    path = _write(tmp_path, "ga.csv", text)
    outcome = _compare(monkeypatch, path, metric_kinds=kinds)
    assert outcome[0]


def test_errors_are_the_whole_reads(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["date,likes"] + [f"2025-05-{d:02d},{d}" for d in range(1, 25)]
    rows[17] = "2025-05-17,lots"
    path = _write(tmp_path, "x.csv", "\n".join(rows) + "\n")
    assert _compare(monkeypatch, path, metric_kinds=kinds)[0] == "DataError"
    latin = "date,channel,likes\n" + "".join(f"2025-05-{d:02d},caf\xe9,{d}\n" for d in range(1, 9))
    path = tmp_path / "data" / "y.csv"
    path.write_bytes(latin.encode("cp1252"))
    _compare(monkeypatch, path, metric_kinds=kinds)


def test_a_mean_metric_across_batches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["date,Ticket,Response time"] + [
        f"2025-06-{1 + i // 5:02d},{i},{(i * 37) % 11}" for i in range(40)
    ]
    path = _write(tmp_path, "support.csv", "\n".join(rows) + "\n")
    _compare(monkeypatch, path, metric_kinds=kinds)


def test_the_example_exports(monkeypatch: pytest.MonkeyPatch, kinds: dict[str, str]) -> None:
    root = Path(__file__).resolve().parents[2] / "content"
    for path in sorted(root.glob("*/data/*.csv")):
        _compare(monkeypatch, path, sizes=(300,), metric_kinds=kinds)


def _batched_only(monkeypatch: pytest.MonkeyPatch, path: Path, size: int, **kw: Any) -> Any:
    """Return the outcome of reading path in batches of `size` bytes, a file too big to be
    read whole (MAX_WHOLE_BYTES forced to 0, and the whole read made to fail)."""

    def no_whole(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("read whole")

    with monkeypatch.context() as m:
        m.setattr(batches, "BATCH_THRESHOLD", 0)
        m.setattr(batches, "BATCH_BYTES", size)
        m.setattr(batches, "MAX_WHOLE_BYTES", 0)
        m.setattr(batchstate, "SPILL_ROWS", 5)  # the rows' hashes go to disk
        m.setattr(readers, "read_raw", no_whole)
        return _outcome(path, **kw)


def test_repeated_ids_far_apart_are_the_whole_reads_first(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    # Post 1 of March 1st is pasted again at the end; post 7 twice in the middle, later than
    # post 1's first line: the whole read names post 1 (the first row that comes again).
    rows = ["date,Post ID,likes"] + [f"2025-03-{1 + i // 4:02d},{i},{i}" for i in range(60)]
    rows.insert(20, "2025-03-02,7,7")
    rows.append("2025-03-01,1,1")
    path = _write(tmp_path, "ig.csv", "\n".join(rows) + "\n")
    whole = _compare(monkeypatch, path, metric_kinds=kinds)
    assert whole[0] == "DataError" and whole[2]["line"] == len(rows)
    for size in (7, 97, 400):
        assert _batched_only(monkeypatch, path, size, metric_kinds=kinds) == whole
    plain = ["date,likes"] + [f"2025-03-{d:02d},{d}" for d in range(1, 29)] + ["2025-03-01,3"]
    path = _write(tmp_path, "fb.csv", "\n".join(plain) + "\n")
    whole = _compare(monkeypatch, path, metric_kinds=kinds)
    assert whole[0] == "DataError"
    assert _batched_only(monkeypatch, path, 50, metric_kinds=kinds) == whole


def _spills(monkeypatch: pytest.MonkeyPatch, path: Path, size: int, **kw: Any) -> tuple[Any, int]:
    """Return the batched outcome (as _batched_only) and how many batches spilled hashes."""
    calls: list[int] = []
    real = batches.spill_hashes

    def spy(*args: Any) -> None:
        calls.append(1)
        real(*args)

    with monkeypatch.context() as m:
        m.setattr(batches, "spill_hashes", spy)
        got = _batched_only(monkeypatch, path, size, **kw)
    return got, len(calls)


@pytest.mark.parametrize("newest_first", [False, True])
def test_pasted_rows_in_a_file_in_date_order_are_found_without_spilling(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str], newest_first: bool
) -> None:
    # Posts in date order (either way), four a day; post 41 pasted twice right after itself
    # and post 80 later, each on its own date: the whole read names post 41 first. The
    # blocks' dates never overlap, so each block finds its own pasted rows, nothing on disk.
    body = [f"2025-03-{1 + i // 4:02d},{i},{i}" for i in range(120)]
    body.insert(42, body[41])
    body.insert(82, body[81])
    if newest_first:
        body.reverse()
    path = _write(tmp_path, "ig.csv", "\n".join(["date,Post ID,likes", *body]) + "\n")
    whole = _compare(monkeypatch, path, metric_kinds=kinds)
    assert whole[0] == "DataError" and "with the same id" in whole[1]
    for size in (7, 97, 400):
        got, spilled = _spills(monkeypatch, path, size, metric_kinds=kinds)
        assert got == whole
        assert spilled == 0
    # Without a pasted row the same file reads as the whole read does, also without spilling.
    clean = [r for n, r in enumerate(body) if r not in body[:n]]
    path = _write(tmp_path, "ig2.csv", "\n".join(["date,Post ID,likes", *clean]) + "\n")
    whole = _compare(monkeypatch, path, metric_kinds=kinds)
    assert whole[0] != "DataError"
    assert _spills(monkeypatch, path, 97, metric_kinds=kinds) == (whole, 0)


def test_a_file_out_of_date_order_is_read_again_with_its_hashes_on_disk(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    # March 2nd comes back after March 9th: a pasted row may then be far from its first
    # copy, so the batches start again and spill every row's hash.
    body = [f"2025-03-{1 + i // 4:02d},{i},{i}" for i in range(40)]
    body.append("2025-03-02,5,5")  # post 5 of March 2nd, pasted at the end
    path = _write(tmp_path, "ig.csv", "\n".join(["date,Post ID,likes", *body]) + "\n")
    whole = _compare(monkeypatch, path, metric_kinds=kinds)
    assert whole[0] == "DataError"
    got, spilled = _spills(monkeypatch, path, 97, metric_kinds=kinds)
    assert got == whole
    assert spilled > 0


def test_line_breaks_in_a_blank_cell_past_the_header_count_as_lines(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    # Row 1 has a third, quoted cell holding only a line break (no data: not ragged), so
    # the bad cell of the row on March 2nd is on line 1 + 2 + 1 = 4, however it is read.
    text = 'date,likes\n2025-03-01,5,"\n"\n2025-03-02,lots\n'
    path = _write(tmp_path, "fb.csv", text)
    whole = _compare(monkeypatch, path, sizes=(7, 20, 400), metric_kinds=kinds)
    assert whole[0] == "DataError" and whole[2]["line"] == 4


def test_a_bad_cell_is_refused_by_its_batch_with_the_files_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["date,Post ID,likes"] + [f"2025-05-{1 + i // 9:02d},{i},{i}" for i in range(200)]
    rows[190] = "2025-05-22,189,lots"
    path = _write(tmp_path, "x.csv", "\n".join(rows) + "\n")
    whole = _compare(monkeypatch, path, metric_kinds=kinds)
    assert whole[0] == "DataError" and whole[2]["line"] == 191
    for size in (7, 97, 400):
        assert _batched_only(monkeypatch, path, size, metric_kinds=kinds) == whole


def test_a_big_file_whose_parts_disagree_is_refused_with_a_hint(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, kinds: dict[str, str]
) -> None:
    rows = ["Date,Spend,Clicks"] + [f'2025-02-{d:02d},"1.234",{d}' for d in range(1, 13)]
    rows += [f'2025-02-{d:02d},"2,5",{d}' for d in range(13, 20)]
    path = _write(tmp_path, "g.csv", "\n".join(rows) + "\n")
    name, message, fields = _batched_only(monkeypatch, path, 97, metric_kinds=kinds)
    assert name == "DataError" and fields["file"] == "data/g.csv"
    assert "cannot be read in parts: the decimal mark of column 'Spend'" in message
    assert "MAX_WHOLE_BYTES" in message and fields["hint"]
    late = ["Date,Clicks"] + [f"{d:02d}/02/2025,{d}" for d in range(1, 20)]
    path = _write(tmp_path, "h.csv", "\n".join(late) + "\n")
    name, message, fields = _batched_only(monkeypatch, path, 97, metric_kinds=kinds)
    assert name == "DataError" and "date_format" in message
