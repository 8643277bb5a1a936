# nbgrader settings for grading this course: copy these lines into the nbgrader_config.py of your course directory
# (`nbgrader quickstart` writes one). The course's tests grade with exactly these (tests/test_editions.py).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor

c = get_config()  # noqa: F821 (nbgrader defines get_config in its configuration files)


class ErrorMessageOnly(NbGraderPreprocessor):
    """A failed test shows its message (what was expected, what came back), not its traceback: a traceback
    quotes the lines around the failing one, and those can be hidden tests."""

    def preprocess_cell(self, cell, resources, index):
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                output["traceback"] = [f"{output['ename']}: {output['evalue']}"]
        return cell, resources


# Feedback without the hidden tests: a student sees which test cell failed and its message, not the hidden cases.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ErrorMessageOnly, CSSHTMLHeaderPreprocessor]

# Seconds a cell may run. nbgrader's default is 30; the course's slowest cell takes about 9 on the machine that
# builds the book, so a slower grading machine gets room.
c.ExecutePreprocessor.timeout = 120
