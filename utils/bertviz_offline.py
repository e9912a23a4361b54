"""bertviz's head and model views, offline (part 1, lesson 5).

`bertviz.head_view` and `bertviz.model_view` load require.js, d3 and jQuery
from CDNs: with no network the view stays empty. Here we ask bertviz for its
HTML, drop the CDN script tag, inline d3 and jQuery from the repository's
`node_modules` (installed by `make assets`), and hand them to the view's script
through a local `require`/`requirejs`. The JavaScript is read at display time only: it never
lands in a committed file (the notebook cell's output is stripped before
commit, see scripts/strip_third_party.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parent.parent
D3 = ROOT / "node_modules" / "d3" / "dist" / "d3.min.js"
JQUERY = ROOT / "node_modules" / "jquery" / "dist" / "jquery.min.js"
MISSING = "The bertviz view needs d3 and jQuery from npm: run `make assets` first."

# The view's libraries, loaded into a local object so that neither a page's
# own require.js (classic notebook) nor its globals are disturbed.
_PRELUDE = """(function () {
  var lib = {};
  (function () { var define, module, exports; %(d3)s
  }).call(lib);
  var previous = window.jQuery, previousDollar = window.$;
  (function () { var define, module, exports; %(jquery)s
  }).call(lib);
  var $ = window.jQuery.noConflict(true);
  if (previous) { window.jQuery = previous; window.$ = previousDollar; }
  var require = {config: function () {}};
  var requirejs = function (deps, callback) { callback($, lib.d3); };
"""


def _js(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("</script", "<\\/script")


def view_html(attention: torch.Tensor, tokens: list[str], kind: str = "head") -> str:
    """Self-contained HTML of bertviz's head view (`kind="head"`: one layer at a
    time, every head as a colour) or model view (`kind="model"`: a thumbnail
    per layer and head), or a one-line message if d3 or jQuery is missing.

    attention: (layers, heads, seq, seq) weights of one sentence.
    """
    if not (D3.exists() and JQUERY.exists()):
        return f"<p>{MISSING}</p>"
    import bertviz

    draw = {"head": bertviz.head_view, "model": bertviz.model_view}[kind]
    per_layer = [layer[None] for layer in attention]  # bertviz: (1, heads, seq, seq)
    page = draw(per_layer, tokens, html_action="return").data
    page = re.sub(r"<script src=\"[^\"]*require[^\"]*\"></script>", "", page)
    start = page.index('<script type="text/javascript">') + len(
        '<script type="text/javascript">'
    )
    end = page.index("</script>", start)
    prelude = _PRELUDE % {"d3": _js(D3), "jquery": _js(JQUERY)}
    return page[:start] + prelude + page[start:end] + "\n})();\n" + page[end:]


def head_view(attention: torch.Tensor, tokens: list[str]) -> None:
    """Display the offline head view in the notebook."""
    from IPython.display import HTML, display

    display(HTML(view_html(attention, tokens, "head")))


def model_view(attention: torch.Tensor, tokens: list[str]) -> None:
    """Display the offline model view (every layer and head) in the notebook."""
    from IPython.display import HTML, display

    display(HTML(view_html(attention, tokens, "model")))
