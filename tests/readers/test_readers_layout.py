"""Encodings, delimiters, preambles, quoting, blank and total rows, line numbers."""

from __future__ import annotations

import pytest

from sitegen.errors import DataError

HEADER = "Date;Likes;Comments\n"
BODY = "31.01.2025;1 204;3\n01.02.2025;5;\n"
EXPECTED = [
    ("2025-01-31", "fb", None, 1204.0, 3.0),
    ("2025-02-01", "fb", None, 5.0, None),
]


@pytest.mark.parametrize(
    "encoding",
    ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "windows-1251", "windows-1252"],
)
def test_encodings(write, read, rows, encoding):
    text = HEADER + BODY
    data = text.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        data = ("\ufeff" + text).encode(encoding)  # the BOM Meta writes
    write("fb.csv", data)
    assert rows(read(), "likes", "comments") == EXPECTED


def test_windows1251_and_1252_letters_come_out_right(write, read, data_dir):
    write("vk.csv", "Дата;Канал;Лайки\n01.02.2025;ВКонтакте;5\n", encoding="windows-1251")
    write(
        "lv.csv",
        "Date;Channel;Likes\n01.02.2025;Café Rīga;5\n".replace("ī", "i"),
        encoding="windows-1252",
    )
    assert read().frame["channel"].to_list() == ["café riga", "вконтакте"]


def test_utf16_without_bom(write, read, rows):
    write("fb.csv", (HEADER + BODY).encode("utf-16-le"))
    assert rows(read(), "likes", "comments") == EXPECTED


def test_bom_right_before_a_quote_and_crlf(write, read, rows):
    write(
        "fb.csv",
        '\ufeff"Date";"Likes";"Comments"\r\n"31.01.2025";"1 204";"3"\r\n"01.02.2025";"5";""\r\n',
    )
    assert rows(read(), "likes", "comments") == EXPECTED


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters(write, read, rows, delimiter):
    text = (
        f"Date{delimiter}Likes{delimiter}Comments\n2025-01-31{delimiter}1204{delimiter}3\n"
        f"2025-02-01{delimiter}5{delimiter}\n"
    )
    write("fb.txt", text)
    assert rows(read(), "likes", "comments") == EXPECTED


def test_tsv_suffix_means_tab(write, read, rows):
    write("fb.tsv", "Date\tLikes\tComments\n2025-01-31\t1,204\t3\n2025-02-01\t5\t\n")
    assert rows(read(), "likes", "comments") == EXPECTED


def test_semicolon_file_with_decimal_commas_everywhere(write, read, rows):
    # Every row has exactly one comma: the semicolon still wins, because the header has none.
    write("ads.csv", "Date;Spend\n2025-01-01;1,5\n2025-01-02;2,25\n")
    assert rows(read(), "spend") == [
        ("2025-01-01", "ads", None, 1.5),
        ("2025-01-02", "ads", None, 2.25),
    ]


@pytest.mark.parametrize("hint", ["sep=;", '"sep=;"', "SEP=;"])
def test_excel_sep_hint_line(write, read, rows, hint):
    write("fb.csv", f"{hint}\nDate;Likes;Comments\n31.01.2025;1 204;3\n01.02.2025;5;\n")
    data = read()
    assert rows(data, "likes", "comments") == EXPECTED
    assert data.warnings == []


def test_title_lines_and_comment_block_above_the_header(write, read, rows):
    write(
        "fb.csv",
        "# Exported by Acme Insights\n# Period: January\n\n"
        "Page report, January 2025\n"
        "Generated: 2025-02-01\n"
        "Date,Likes,Comments\n2025-01-31,1204,3\n2025-02-01,5,\n",
    )
    assert rows(read(), "likes", "comments") == EXPECTED


def test_quoted_fields_with_newlines_keep_line_numbers(write, read):
    write(
        "fb.csv",
        "Date,Post ID,Message,Likes\n"
        '2025-01-31,1,"one\ntwo\nthree",4\n'
        '2025-01-31,2,"say ""hi""\r\nthere",5\n'
        "2025-02-01,3,plain,many\n",
    )
    with pytest.raises(DataError) as info:
        read()
    err = info.value
    assert (err.file, err.line, err.column, err.key) == ("data/fb.csv", 7, 4, "Likes")
    assert err.found == "'many'"


def test_blank_lines_and_empty_rows_are_skipped_and_counted(write, read, rows):
    write("fb.csv", "Date,Likes\n\n2025-01-31,1204\n,\n\n2025-02-01,x\n")
    with pytest.raises(DataError) as info:
        read()
    assert info.value.line == 6


def test_total_rows_dropped_with_a_note(write, read, rows):
    write(
        "vk.csv",
        "Дата;Лайки\nИтого;1 209\n31.01.2025;1 204\n01.02.2025;5\nВсего за период;1 209\n",
    )
    data = read()
    assert rows(data, "likes") == [
        ("2025-01-31", "vk", None, 1204.0),
        ("2025-02-01", "vk", None, 5.0),
    ]
    [note] = data.warnings
    assert note.code == "note"
    assert (note.file, note.line) == ("data/vk.csv", 2)
    assert "dropped 2 total row(s) (lines 2, 5)" in note.message


@pytest.mark.parametrize(
    "label",
    [
        "Total",
        "TOTAL:",
        "Total: Account",
        "Grand total",
        "Kopā",
        "Итого",
        "Итого и средние",
        "Totals (3)",
    ],
)
def test_total_labels(write, read, rows, label):
    write("fb.csv", f"Date,Campaign,Likes\n2025-01-31,A,4\n{label},,4\n")
    data = read()
    assert rows(data, "likes") == [("2025-01-31", "fb", None, 4.0)]
    assert data.warnings[0].code == "note"


def test_a_campaign_named_like_a_total_is_kept(write, read, rows):
    write("fb.csv", "Date,Campaign,Likes\n2025-01-31,Total Sale,4\n2025-01-31,Totally,1\n")
    assert rows(read(), "likes") == [("2025-01-31", "fb", None, 5.0)]


def test_unlabeled_sum_row_at_the_end_is_a_total(write, read, rows):
    write("ga.csv", "Date,Sessions\n2025-01-31,10\n2025-02-01,5\n,15\n")
    data = read()
    assert rows(data, "sessions")[-1] == ("2025-02-01", "ga", None, 5.0)
    assert data.warnings[0].line == 4


def test_a_row_without_a_date_in_the_middle_is_an_error(write, read):
    write("ga.csv", "Date,Sessions\n2025-01-31,10\n,15\n2025-02-01,5\n")
    with pytest.raises(DataError) as info:
        read()
    assert (info.value.line, info.value.column, info.value.message) == (
        3,
        1,
        "a row without a date",
    )


def test_ragged_rows_and_trailing_delimiters(write, read, rows):
    write("vk.csv", "Дата;Лайки;Репосты\n31.01.2025;1 204;3;\n01.02.2025;5\n")
    assert rows(read(), "likes", "shares") == [
        ("2025-01-31", "vk", None, 1204.0, 3.0),
        ("2025-02-01", "vk", None, 5.0, None),
    ]


def test_quote_in_the_middle_of_a_cell(write, read, rows):
    write("fb.csv", 'Date,Post ID,Title,Likes\n2025-01-31,1,5" pizza,4\n2025-01-31,2,ok,1\n')
    assert rows(read(), "likes", "posts") == [("2025-01-31", "fb", None, 5.0, 2.0)]


def test_unclosed_quote_names_its_line(write, read):
    write("fb.csv", 'Date,Title,Likes\n2025-01-31,ok,4\n2025-02-01,"broken,4\n2025-02-02,x,1\n')
    with pytest.raises(DataError) as info:
        read()
    assert (info.value.line, info.value.message) == (3, "a quoted cell is never closed")


def test_classic_mac_line_ends(write, read, rows):
    write("fb.csv", "Date,Likes,Comments\r2025-01-31,1204,3\r2025-02-01,5,\r")
    assert rows(read(), "likes", "comments") == EXPECTED


def test_header_only_file_gives_no_rows(write, read):
    write("fb.csv", "Date,Likes\n")
    data = read()
    assert data.frame.height == 0
    assert [w.code for w in data.warnings] == ["empty_file"]


def test_hidden_readme_and_foreign_files(write, read, data_dir):
    write("fb.csv", "Date,Likes\n2025-01-31,1\n")
    write(".hidden.csv", "garbage")
    write("README.md", "about the data")
    write("readme.txt", "notes")
    write("~$fb.xlsx", "lock file")
    write("notes.docx", "x")
    (data_dir / "old").mkdir()
    (data_dir / "old" / "fb.csv").write_text("Date,Likes\n2025-01-01,1\n")
    data = read()
    assert [p.name for p in data.files] == ["fb.csv"]
    assert [(w.code, w.file) for w in data.warnings] == [("unknown_file", "data/notes.docx")]


def test_small_sample_big_file_line_numbers(write, read, rows, monkeypatch):
    # The sniffing sample ends mid-row; the bulk is polars'. Every 7th post text spans two
    # lines (286 of them), so the bad row at the end is on line 2 + 2000 + 286 + 1.
    from sitegen.readers import sniff

    monkeypatch.setattr(sniff, "SAMPLE_BYTES", 300)
    body = "".join(
        f'{i},2025-01-{1 + i % 28:02d},"{"two" + chr(10) + "lines" if i % 7 == 0 else "one"}",1\n'
        for i in range(2000)
    )
    write("fb.csv", "Report\nPost ID,Date,Message,Likes\n" + body)
    data = read()
    assert sum(r[3] for r in rows(data, "likes")) == 2000.0
    assert sum(r[4] for r in rows(data, "likes", "posts")) == 2000.0
    write("fb.csv", "Report\nPost ID,Date,Message,Likes\n" + body + "9999,2025-01-01,x,bad\n")
    with pytest.raises(DataError) as info:
        read()
    assert info.value.line == 2289


def test_well_formed_files_are_read_by_polars_not_the_fallback(write, read, rows, monkeypatch):
    from sitegen.readers import sources

    def fallback(*args, **kwargs):
        raise AssertionError("the csv-module fallback ran")

    monkeypatch.setattr(sources, "_read_with_csv_module", fallback)
    write(
        "fb.csv",
        'Date,Post ID,Message,Likes\n2025-01-31,1,"a\nb, ""c""",4\n2025-01-31,2,x,1;\n'.replace(
            "1;", "1"
        ),
    )
    write("vk.csv", "Дата;Лайки;\n31.01.2025;1;\n01.02.2025;2\n")
    assert rows(read(), "likes") == [
        ("2025-01-31", "fb", None, 5.0),
        ("2025-01-31", "vk", None, 1.0),
        ("2025-02-01", "vk", None, 2.0),
    ]


def test_a_cell_bigger_than_the_sample(write, read, rows):
    big = "x\n" * 600_000  # 1.2 MB of quoted lines: past the sniffing sample
    write("fb.csv", f'Date,Likes,Note\n2025-01-01,5,"{big}"\n2025-01-02,6,ok\n')
    assert rows(read(), "likes") == [
        ("2025-01-01", "fb", None, 5.0),
        ("2025-01-02", "fb", None, 6.0),
    ]


def test_a_second_table_without_comment_lines_ends_the_first(write, read, rows):
    write("ga.csv", "Day Index,Sessions\n1/1/25,120\n1/13/25,99\n\nDay Index,Users\n1/1/25,100\n")
    data = read()
    assert rows(data, "sessions") == [
        ("2025-01-01", "ga", None, 120.0),
        ("2025-01-13", "ga", None, 99.0),
    ]
    assert [(w.code, w.line) for w in data.warnings] == [("note", 5)]
