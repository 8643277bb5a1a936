"""softmax_course.grading: a student's function may not call the package function it replaces."""

import numpy as np
import pytest

from softmax_course import grading, onehot, softmax


def lazy_one_hot(labels, num_classes):
    return onehot.one_hot(labels, num_classes)


def own_one_hot(labels, num_classes):
    labels = np.asarray(labels)
    rows = np.zeros((labels.size, num_classes))
    rows[np.arange(labels.size), labels] = 1
    return rows


def test_own_code_runs_and_returns_its_result():
    checked = grading.own_work(own_one_hot, onehot.one_hot)
    np.testing.assert_array_equal(checked([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    assert checked.__name__ == "own_one_hot"


def test_calling_the_package_function_fails_with_its_name():
    checked = grading.own_work(lazy_one_hot, onehot.one_hot)
    with pytest.raises(
        grading.NotOwnWorkError,
        match=r"while your `lazy_one_hot` runs, "
        r"`softmax_course\.onehot\.one_hot` is switched off",
    ):
        checked([0, 1], 2)


def test_a_library_function_is_named_as_it_is_imported():
    import scipy.special

    def lazy(logits):
        return scipy.special.log_softmax(logits, axis=1)

    with pytest.raises(grading.NotOwnWorkError, match=r"`scipy\.special\.log_softmax` is switched off") as raised:
        grading.own_work(lazy, scipy.special.log_softmax)(np.zeros((1, 2)))
    assert "._" not in str(raised.value), "a private module path in the message"


def test_an_alias_or_a_second_import_is_caught_too():
    from softmax_course.onehot import one_hot as renamed

    def sneaky(labels, num_classes):
        return renamed(labels, num_classes)

    with pytest.raises(grading.NotOwnWorkError):
        grading.own_work(sneaky, onehot.one_hot)([0], 1)


def test_a_copy_of_the_function_or_a_reloaded_module_is_caught_too():
    import importlib
    import sys
    import types

    copy = types.FunctionType(onehot.one_hot.__code__, onehot.one_hot.__globals__, "mine", onehot.one_hot.__defaults__)
    copy.__kwdefaults__ = onehot.one_hot.__kwdefaults__

    def copied(labels, q):
        return copy(labels, q)

    def reloaded(labels, q):
        return importlib.reload(sys.modules["softmax_course.onehot"]).one_hot(labels, q)

    for answer in (copied, reloaded):
        with pytest.raises(grading.NotOwnWorkError, match="switched off"):
            grading.own_work(answer, onehot.one_hot)(np.array([0, 1]), 3)
    assert sys.getprofile() is None  # the hook is gone after the call
    np.testing.assert_array_equal(onehot.one_hot(np.array([1]), 2), [[0.0, 1.0]])


def test_the_package_works_again_after_the_call_even_when_it_failed():
    checked = grading.own_work(lazy_one_hot, onehot.one_hot)
    with pytest.raises(grading.NotOwnWorkError):
        checked([0], 1)
    np.testing.assert_array_equal(onehot.one_hot([1], 2), [[0, 1]])


def test_other_package_functions_stay_usable_inside():
    def uses_softmax(labels, num_classes):
        return softmax.softmax(own_one_hot(labels, num_classes))

    result = grading.own_work(uses_softmax, onehot.one_hot)([0], 2)
    np.testing.assert_allclose(result.sum(axis=1), 1.0)


def test_rewrapping_does_not_stack():
    once = grading.own_work(own_one_hot, onehot.one_hot)
    twice = grading.own_work(once, onehot.one_hot)
    assert twice.__wrapped_student__ is own_one_hot


def test_the_student_s_exceptions_pass_through():
    def broken(labels, num_classes):
        raise NotImplementedError()

    with pytest.raises(NotImplementedError):
        grading.own_work(broken, onehot.one_hot)([0], 1)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ((42, onehot.one_hot), "the student's function first"),
        ((own_one_hot,), "at least one package function"),
        ((own_one_hot, len), "plain Python functions"),
    ],
)
def test_bad_arguments(arguments, message):
    with pytest.raises(TypeError, match=message):
        grading.own_work(*arguments)
