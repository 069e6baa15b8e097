"""The accessibility helpers catch what they are for: each one fails on a page
made to break it, and passes when it is fixed (no server needed)."""

import pytest

from tests.e2e import axe

pytestmark = pytest.mark.e2e

BAD = """<!doctype html><html><head><title>t</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>
<header class="site-header"><a href="/a">A</a> <a href="/b">B</a></header>
<main><button></button><p style="color:#aaa">low contrast</p>
<p>https://example.org/a/very/long/address/that/does/not/wrap/anywhere/at/all/ok</p>
<p><input type="checkbox" aria-label="one" style="width:13px;height:13px"><input
 type="checkbox" aria-label="two" style="width:13px;height:13px"></p></main>
</body></html>"""


@pytest.fixture(scope="module")
def page(browser):
    context = browser.new_context(viewport={"width": 375, "height": 812})
    page = context.new_page()
    page.set_content(BAD)
    yield page
    context.close()


def test_axe_names_rule_impact_target_and_help(page):
    violations = {v["id"]: v for v in axe.axe_violations(page)}
    assert {"html-has-lang", "button-name", "color-contrast"} <= set(violations)
    report = axe.format_violations(list(violations.values()))
    assert "- button-name (critical): Buttons must have discernible text" in report
    assert "    button" in report
    with pytest.raises(AssertionError, match="button-name"):
        axe.assert_axe_clean(page)


def test_sideways_scrolling_names_the_culprit(page):
    with pytest.raises(
        AssertionError, match=r"scrolls sideways at 375 px(.|\n)*\n  p \("
    ):
        axe.assert_no_sideways_scroll(page)


def test_small_crowded_targets_are_found(page):
    with pytest.raises(AssertionError) as error:
        axe.assert_target_sizes(page)
    assert 'input "one" is 13×13 px' in str(error.value)
    assert 'a "A"' in str(error.value)
    page.add_style_tag(
        content="a, input { display: inline-block; min-width: 24px; "
        "min-height: 24px; width: 24px !important; height: 24px !important; }"
    )
    axe.assert_target_sizes(page)
