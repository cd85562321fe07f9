"""Records behave like the named tuples they replace: immutable, ordered, hashable, typed."""

import pickle

import pytest

from gunstats.records import record


@record
class Pair:
    """A synthetic record for the tests."""

    first: int
    second: str = "b"
    third: tuple = ()

    def both(self) -> str:
        return f"{self.first}{self.second}"


def test_construction_positional_keyword_and_defaults():
    assert Pair(1) == Pair(1, "b", ()) == Pair(first=1) == (1, "b", ())
    assert Pair(1, third=(2,)).third == (2,)
    assert Pair(1).both() == "1b"
    assert Pair.__doc__ == "A synthetic record for the tests."


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing argument 'first'"),
        ((1, "b", (), 4), {}, "takes 3 arguments, got 4"),
        ((1,), {"first": 2}, "multiple values for 'first'"),
        ((1,), {"fourth": 2}, "unexpected arguments ['fourth']"),
    ],
)
def test_wrong_arguments_are_type_errors(args, kwargs, message):
    with pytest.raises(TypeError, match=message.replace("[", r"\[").replace("]", r"\]")):
        Pair(*args, **kwargs)


def test_immutable_hashable_ordered_and_picklable():
    item = Pair(1)
    with pytest.raises(AttributeError):
        item.first = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        item.extra = 2  # type: ignore[attr-defined]
    assert {Pair(1): "x"}[Pair(1)] == "x"
    assert sorted([Pair(2), Pair(1)]) == [Pair(1), Pair(2)]
    assert pickle.loads(pickle.dumps(item)) == item
    assert item._replace(second="z") == Pair(1, "z")
    assert item._asdict() == {"first": 1, "second": "b", "third": ()}
    assert repr(item) == "Pair(first=1, second='b', third=())"
    assert Pair._fields == ("first", "second", "third")


def test_a_field_without_default_after_one_with_is_refused():
    with pytest.raises(TypeError, match="without a default follows one with"):

        @record
        class Broken:
            first: int = 1
            second: int
