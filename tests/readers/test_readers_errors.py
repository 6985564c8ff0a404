"""Malformed and hostile files: each fails with file, line, what was found and expected."""

from __future__ import annotations

import pytest
import xlsxwriter

from sitegen.config.limits import Limits
from sitegen.errors import DataError
from sitegen.readers import sniff


def error_of(read) -> DataError:
    with pytest.raises(DataError) as info:
        read()
    return info.value


NO_PERIOD = "no date column and no period: the rows cannot be placed in time"


def test_no_date_column_and_no_period_is_refused_saying_how_to_export(write, read):
    write("fb.csv", "Title line\nDay of week,Likes,Comments\nMon,1,2\n")
    err = error_of(read)
    assert (err.file, err.line, err.message) == ("data/fb.csv", 2, NO_PERIOD)
    assert err.found == "columns 'Day of week', 'Likes', 'Comments'"
    assert "day (or week/month) breakdown" in (err.hint or "")
    assert "[[data.files]]" in (err.hint or "")
    # The columns hold no dates: mapping one to "date" cannot help, so it is not proposed.
    assert "[data.columns]" not in (err.hint or "")
    assert max(len(line) for line in str(err).splitlines()) <= 300


def test_an_unnamed_date_column_keeps_the_mapping_hint(write, read):
    write("fb.csv", "Tag,Likes\n2026-03-01,1\n2026-03-02,2\n")
    err = error_of(read)
    assert (err.line, err.message) == (1, "no date column")
    assert "[data.columns]" in (err.hint or "")


def test_no_recognisable_header(write, read):
    write("fb.csv", "foo,bar\n1,2\n")
    err = error_of(read)
    assert (err.line, err.message, err.found) == (1, NO_PERIOD, "columns 'foo', 'bar'")


def test_text_in_a_number_column(write, read):
    write("fb.csv", "Date,Likes,Comments\n2025-01-01,1,2\n2025-01-02,lots,2\n")
    err = error_of(read)
    assert (err.file, err.line, err.column, err.key) == ("data/fb.csv", 3, 2, "Likes")
    assert err.message == "text in a number column"
    assert err.found == "'lots'"
    assert str(err).startswith("data/fb.csv:3:2 [Likes]: text in a number column")


def test_not_a_date(write, read):
    write("fb.csv", "Date,Likes\n2025-01-01,1\nsoon,2\n")
    err = error_of(read)
    assert (err.line, err.column, err.message, err.found) == (3, 1, "not a date", "'soon'")


def test_ambiguous_dates(write, read):
    write("fb.csv", "Date,Likes\n01/02/2025,1\n02/03/2025,2\n")
    err = error_of(read)
    assert (err.line, err.column) == (2, 1)
    assert err.message.startswith("ambiguous dates")
    assert "date_format" in (err.hint or "")


def test_duplicates(write, read):
    write("fb.csv", "Date,Likes\n2025-01-01,1\n2025-01-01,1\n")
    err = error_of(read)
    assert (err.line, err.found) == (3, "line 2 and line 3")


def test_unreadable_encoding_binary(write, read):
    write("fb.csv", b"Date,Likes\n2025-01-01,1\n\x00\x01\x02\x03garbage\xff\n")
    err = error_of(read)
    assert (err.file, err.line, err.message) == ("data/fb.csv", 3, "this is not a text file")


def test_unreadable_encoding_mixed_utf8(write, read):
    write("fb.csv", "Дата,Лайки\n".encode() + b"2025-01-01,1\n\xc0\xc1 broken,2\n")
    err = error_of(read)
    assert (err.line, err.message) == (3, "the file is not valid UTF-8")


def test_unreadable_encoding_undefined_byte(write, read):
    # 0x81 is undefined in Windows-1252, the encoding isolated high bytes suggest.
    write("fb.csv", b"Date,Likes\n2025-01-01,1\nx\x81y,2\n")
    err = error_of(read)
    assert (err.line, err.message) == (3, "cannot tell the file's text encoding")


def test_workbook_with_a_text_name(write, read, data_dir):
    book = xlsxwriter.Workbook(str(data_dir / "fb.csv"))
    book.add_worksheet().write(0, 0, "Date")
    book.close()
    err = error_of(read)
    assert err.hint == "rename the file to .xlsx"


def test_broken_workbook(write, read):
    write("fb.xlsx", b"not a zip at all")
    err = error_of(read)
    assert (err.file, err.message) == ("data/fb.xlsx", "cannot open the workbook")


@pytest.mark.parametrize("content", ["", "   \n\n", b"\xef\xbb\xbf", "sep=,\n"])
def test_empty_file(write, read, content):
    write("fb.csv", content)
    err = error_of(read)
    assert err.file == "data/fb.csv"
    assert err.line in (1, 2)
    assert err.message in ("the file is empty", "the file has no rows")


def test_bad_json(write, read):
    write("fb.json", '[{"date": "2025-01-01", "likes": 1},\n {"date": }]')
    err = error_of(read)
    assert (err.line, err.column, err.message) == (2, 11, "the file is not valid JSON")


def test_json_that_is_not_records(write, read):
    write("fb.json", '[{"date": "2025-01-01", "likes": 1}, 5]')
    err = error_of(read)
    assert (err.line, err.message) == (2, "the JSON is not a list of records")


def test_json_errors_say_record(write, read):
    write("fb.json", '[{"date": "2025-01-01", "likes": 1}, {"date": "2025-01-02", "likes": "x"}]')
    err = error_of(read)
    assert (err.line, err.key, err.message) == (2, "likes", "text in a number column (record 2)")


def test_xlsx_errors_say_row_and_sheet(data_dir, read):
    book = xlsxwriter.Workbook(str(data_dir / "fb.xlsx"))
    book.add_worksheet("Readme").write(0, 0, "notes")
    sheet = book.add_worksheet("Data")
    sheet.write_row(0, 0, ["Date", "Likes"])
    sheet.write_row(1, 0, ["2025-01-01", 1])
    # A formula cell gives the value the spreadsheet saved (never evaluated here) ...
    sheet.write_row(2, 0, ["2025-01-02"])
    sheet.write_formula(2, 1, "=1+1", None, 2)
    # ... a formula kept as text is text in a number column.
    sheet.write_row(3, 0, ["2025-01-03"])
    sheet.write_string(3, 1, "=1+1")
    book.close()
    err = error_of(read)
    assert (err.file, err.line, err.column) == ("data/fb.xlsx", 4, 2)
    assert err.message == "a formula in a number column (sheet 'Data', row 4)"


def test_formulas_and_html_in_label_columns_are_kept_as_text(write, read, rows):
    write(
        "social.csv",
        "Date,Channel,Competitor,Likes\n"
        '2025-01-01,<script>alert(1)</script>,"=HYPERLINK(""http://x"",""y"")",1\n'
        "2025-01-01,<b>IG</b>,,2\n",
    )
    assert rows(read(), "likes") == [
        ("2025-01-01", "<b>ig</b>", None, 2.0),
        ("2025-01-01", "<script>alert(1)</script>", '=HYPERLINK("http://x","y")', 1.0),
    ]


def test_html_in_a_number_column(write, read):
    write("fb.csv", "Date,Likes\n2025-01-01,<b>5</b>\n")
    err = error_of(read)
    assert (err.line, err.message) == (2, "text in a number column")


def test_line_too_long(write, read, monkeypatch):
    monkeypatch.setattr(sniff, "MAX_LINE_BYTES", 1000)
    write(
        "fb.csv",
        "Date,Title,Likes\n2025-01-01,ok,1\n"
        + "2025-01-02,"
        + "x" * 3000
        + ",1\n"
        + "2025-01-03,ok,1\n" * 200,
    )
    err = error_of(read)
    assert (err.line, err.message) == (3, "a line is too long to be a data row")


def test_too_many_columns(write, read):
    write("fb.csv", "Date," + ",".join(f"c{i}" for i in range(60)) + "\n2025-01-01\n")
    err = error_of(lambda: read(limits=Limits(max_columns=50)))
    assert (err.line, err.message, err.found) == (1, "too many columns", "61 columns")
    assert "[limits] max_columns" in str(err)


def test_file_too_big(write, read):
    write("fb.csv", "Date,Likes\n2025-01-01,1\n")
    err = error_of(lambda: read(limits=Limits(max_file_bytes=10)))
    assert (err.file, err.message) == ("data/fb.csv", "the file is too big")
    assert "raise [limits] max_file_bytes in sitegen.toml" in str(err)


def test_missing_data_folder(tmp_path, kinds):
    from sitegen.readers import read_data

    with pytest.raises(DataError) as info:
        read_data(tmp_path / "data", metric_kinds=kinds)
    assert info.value.file == "data/"


def test_messages_have_no_traceback_noise(write, read):
    write("fb.csv", "Date,Likes\n2025-01-01,1\n2025-01-01,1\n")
    text = str(error_of(read))
    assert text.splitlines()[0] == (
        "data/fb.csv:3: two rows for 2025-01-01 (channel fb) that nothing tells apart"
    )
    assert "  expected: one row per date, channel and competitor" in text
    assert "  found:    line 2 and line 3" in text


def test_row_with_more_cells_than_the_header(write, read):
    write("fb.csv", "Date,Title,Likes\n2025-01-01,ok,4\n2025-01-02,Hello, world,5\n")
    err = error_of(read)
    assert (err.line, err.message) == (3, "a row has more cells than the header")
