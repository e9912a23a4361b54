"""The widget pattern: input cleaning, clamping, and errors turned into messages."""

from utils import widgets
from utils.widgets import View


def test_clean_text_messages():
    assert widgets.clean_text("  hello ") == ("hello", "")
    assert widgets.clean_text("   \n\t") == ("", "Type some text to see the result.")
    assert widgets.clean_text(None) == ("", "Type some text to see the result.")
    text, msg = widgets.clean_text("a" * 100_000)
    assert len(text) == widgets.MAX_CHARS
    assert msg == "Only the first 2,000 characters are used."


def test_clean_text_normalises_unicode():
    decomposed = "cafe\u0301"  # e + combining accent
    assert widgets.clean_text(decomposed)[0] == "caf\u00e9"
    assert widgets.clean_text("猫 😀 مرحبا")[0] == "猫 😀 مرحبا"


def test_clamp():
    assert widgets.clamp(5, 0, 3, 1) == 3
    assert widgets.clamp(-2, 0, 3, 1) == 0
    assert widgets.clamp("x", 0, 3, 1) == 1
    assert widgets.clamp(float("nan"), 0, 3, 1) == 1
    assert widgets.clamp(2.5, 0, 3, 1) == 2.5


def test_safe_update_turns_errors_into_a_message():
    def broken(text: str) -> View:
        raise KeyError(text)

    view = widgets.safe_update(broken, text="zebra")
    assert view == View(message="Could not draw this input (KeyError: 'zebra').")


def test_message_html_escapes():
    assert "&lt;script&gt;" in widgets.message_html("<script>")
    assert widgets.message_html("") == ""


def test_lab_styled_wraps_only_content():
    assert widgets.lab_styled("") == ""
    assert widgets.lab_styled("<table></table>") == (
        '<div class="jp-RenderedHTMLCommon jp-OutputArea-output"><table></table></div>'
    )


def test_show_builds_a_live_widget_that_reacts():
    import ipywidgets

    def update(text: str) -> View:
        clean, message = widgets.clean_text(text)
        return View(html=f"<b>{len(clean)}</b>", message=message)

    box = widgets.show(
        update, {"text": ipywidgets.Text(value="abc")}, static_first=False
    )
    html = box.children[1]
    assert (
        html.value
        == '<div class="jp-RenderedHTMLCommon jp-OutputArea-output"><b>3</b></div>'
    )
    box.children[0].children[0].value = "abcdef"
    assert (
        html.value
        == '<div class="jp-RenderedHTMLCommon jp-OutputArea-output"><b>6</b></div>'
    )
    box.children[0].children[0].value = ""
    assert "Type some text" in html.value


def test_the_live_widget_hides_the_static_picture_above_it():
    """One view at a time: the live box carries the style rule that hides the
    cell's earlier HTML/PNG outputs (the static picture) where it renders."""
    import ipywidgets

    box = widgets.show(lambda text: View(html=text), {"text": ipywidgets.Text("a")})
    marker = box.children[-1]
    assert marker.value == widgets.LIVE_ONLY
    assert widgets.LIVE_MARK in marker.value and "display: none" in marker.value
    assert ":has(~ .jp-OutputArea-child .course-live-widget)" in marker.value


def test_labelled_numbers_repeated_items():
    assert widgets.labelled(["the", "cat", "the", "the"]) == [
        ("the", 0),
        ("cat", 1),
        ("the ·2", 2),
        ("the ·3", 3),
    ]


def test_a_dependent_dropdown_follows_its_item():
    """`choices`: the query menu is rebuilt from the sentence, keeping the same
    word when it moves, else the same place, and every option is valid."""
    import ipywidgets

    def update(sentence: str, query: int) -> View:
        return View(html=sentence.split()[query])

    text = ipywidgets.Text("a cat sat")
    query = ipywidgets.Dropdown(options=[("x", 0)], value=0)
    box = widgets.show(
        update,
        {"sentence": text, "query": query},
        static_first=False,
        choices={"query": lambda sentence: widgets.labelled(sentence.split())},
    )
    out = box.children[1]
    query.value = 1
    assert "cat" in out.value
    text.value = "the black cat sat"  # 'cat' moved from 1 to 2
    assert query.label == "cat" and query.value == 2 and "cat" in out.value
    text.value = "one two three"  # no 'cat': the same place
    assert query.value == 2 and "three" in out.value
    text.value = "hi"  # the place is gone: the last one
    assert query.options == (("hi", 0),) and query.value == 0 and "hi" in out.value


def test_examples_fill_the_text_box():
    import ipywidgets

    text = ipywidgets.Text("abc")
    box = widgets.show(
        lambda text: View(html=f"<b>{text}</b>"),
        {"text": text},
        static_first=False,
        examples={"text": ["one", "two"]},
    )
    picker = box.children[0].children[-1]
    assert picker.label == "examples ..."  # shown, not a blank box
    picker.value = "two"
    assert text.value == "two" and "<b>two</b>" in box.children[1].value
    assert picker.value is None  # ready to pick the same one again
    assert picker.index == 0 and picker.label == "examples ..."


def test_debounced_calls_once_after_a_burst():
    import asyncio

    calls = []
    call = widgets.debounced(lambda: calls.append(1), 0.05)

    async def burst() -> int:
        for _ in range(5):
            call()
        seen = len(calls)
        await asyncio.sleep(0.15)
        return seen

    assert asyncio.run(burst()) == 0 and calls == [1]
    call()  # no event loop running: at once
    assert calls == [1, 1]
