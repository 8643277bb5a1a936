# nbgrader settings for grading this course: copy these lines into the nbgrader_config.py of your course directory
# (`nbgrader quickstart` writes one). The course's tests grade with exactly these (tests/test_editions.py).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

c = get_config()  # noqa: F821 (nbgrader defines get_config in its configuration files)

# Feedback without the hidden tests: a student sees which test cell failed and its message, not the hidden cases.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]

# Seconds a cell may run. nbgrader's default is 30; the course's slowest cell takes about 9 on the machine that
# builds the book, so a slower grading machine gets room.
c.ExecutePreprocessor.timeout = 120
