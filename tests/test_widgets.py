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
