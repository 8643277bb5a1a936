"""tools/course_stats.py counts what the core-path issue limits: words by kind, narration, asserts, exercises."""

import importlib.util
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("course_stats", ROOT / "tools" / "course_stats.py")
course_stats = importlib.util.module_from_spec(spec)
spec.loader.exec_module(course_stats)


def markdown(text):
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def code(text, tags=(), grade=False):
    metadata = {"tags": list(tags)}
    if grade:
        metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1}
    return {"cell_type": "code", "metadata": metadata, "source": text}


NOTEBOOK = {
    "cells": [
        markdown("# Title\n\none two three"),  # 5 core words
        markdown("## Idea\n\nThe next cell checks it."),  # 7 core words, 1 signpost, 1 check
        code("assert 1 == 1\nnp.testing.assert_allclose(a, b)  # shown\nx = 1"),  # 2 visible asserts
        code("assert True", tags=["remove-cell"]),  # hidden
        markdown("## Going further: depth\n\nfour five"),  # 6 optional words
        markdown("## Back\n\nsix"),  # 3 core words
        markdown("## Exercises\n\nseven eight nine"),  # 5 exercise words
        code("try:\n    f(-1)\nexcept ValueError as error:\n    assert 'x' in str(error)", grade=True),
        code("np.testing.assert_allclose(f(1), 2)", tags=["hide-input"], grade=True),
    ]
}


def test_words_are_split_into_core_optional_and_exercises():
    row = course_stats.chapter_stats(NOTEBOOK, core=True)
    assert (row["core"], row["optional"], row["exercises"]) == (15, 6, 5)


def test_an_optional_chapter_has_no_core_words():
    row = course_stats.chapter_stats(NOTEBOOK, core=False)
    assert (row["core"], row["optional"], row["exercises"]) == (0, 21, 5)


def test_narration_asserts_and_graded_exercises_are_counted():
    row = course_stats.chapter_stats(NOTEBOOK, core=True)
    assert row["signposts"] == 1 and row["check"] == 1
    assert row["asserts"] == 2 + 1  # the shown cell's two, and the graded cell that is not hidden
    assert (row["graded"], row["error"], row["wording"]) == (2, 1, 1)


def test_the_landing_page_gives_each_chapter_its_reading_time():
    intro = (ROOT / "book" / "intro.md").read_text()
    listed = dict(re.findall(r"\]\(\.\./notebooks/(\w+)\.ipynb\)[^|]*\| (\d+) min,", intro))
    rows = course_stats.book_rows()
    assert sorted(listed) == sorted(name for name, _, _ in rows), "every chapter has a row with a reading time"
    for name, _, row in rows:
        assert int(listed[name]) == course_stats.reading_minutes(row), f"{name}: reading time out of date"
