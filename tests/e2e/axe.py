"""Accessibility checks for Playwright pages: axe-core (vendored, never downloaded)
with the WCAG 2.0/2.1 A and AA rules, no sideways scrolling on a 375 px phone, and
WCAG 2.2's minimum target size for the header, the footer and checkboxes."""

from pathlib import Path

AXE_JS = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE_WIDTH = 375
MIN_TARGET = 24

# What axe leaves out of the admin pages, selector → reason. Only Wagtail's own
# admin chrome (its sidebar, dashboard panels, banners) may go here, never markup
# of our templates. Empty: with Wagtail 8.0.1 the dashboard and the
# moderation queue, chrome included, have no WCAG 2.1 A/AA violations. Should an
# upgrade bring one, name its selector here with the reason, e.g.
#     "#wagtail-sidebar": "Wagtail's React sidebar, markup we cannot change",
WAGTAIL_CHROME: dict[str, str] = {}

_RUN = """async (options) => {
  const results = await axe.run(
    { exclude: options.exclude.map((selector) => [selector]) },
    { runOnly: { type: "tag", values: options.tags }, resultTypes: ["violations"] },
  );
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.map((n) => n.target.join(" ")),
  }));
}"""


def axe_violations(page, exclude: list[str] | None = None) -> list[dict]:
    """Run axe-core on the page as it stands; its violations as dicts."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, not as a script element, so
        # the page's CSP (no inline scripts) does not stop it.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(_RUN, {"exclude": exclude or [], "tags": WCAG_TAGS})


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {target}" for target in v["targets"][:10])
        if len(v["targets"]) > 10:
            lines.append(f"    … and {len(v['targets']) - 10} more")
    return "\n".join(lines)


def assert_axe_clean(page, exclude: list[str] | None = None) -> None:
    violations = axe_violations(page, exclude)
    assert not violations, (
        f"axe-core found {len(violations)} WCAG 2.1 A/AA violation(s) on "
        f"{page.url}:\n{format_violations(violations)}"
    )


_WIDTH = "() => document.documentElement.scrollWidth"

# Elements wider than the viewport: the likely cause of sideways scrolling.
_OVERFLOWING = """(width) => [...document.querySelectorAll("body *")]
  .filter((el) => el.getBoundingClientRect().right > width + 0.5
    // or content (a long word, an address) sticking out of a box that fits
    || (el.scrollWidth > el.clientWidth + 1
        && getComputedStyle(el).overflowX === "visible"))
  .filter((el) => !el.closest(".visually-hidden"))
  .slice(0, 8)
  .map((el) => {
    const id = el.id ? "#" + el.id : "";
    const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
    const right = Math.round(el.getBoundingClientRect().right);
    return `${el.tagName.toLowerCase()}${id}${cls} (right edge ${right} px)`;
  })"""


def assert_no_sideways_scroll(page, width: int = PHONE_WIDTH) -> None:
    scroll_width = page.evaluate(_WIDTH)
    if scroll_width > width:
        culprits = page.evaluate(_OVERFLOWING, width)
        raise AssertionError(
            f"{page.url} scrolls sideways at {width} px (it is {scroll_width} px "
            "wide); elements past the edge:\n  " + "\n  ".join(culprits)
        )


# WCAG 2.2 SC 2.5.8 (AA): a target is at least 24 × 24 CSS px, or a 24 px circle
# centred on it overlaps no other target nor another's circle (the spacing
# exception). Inline links in running text are exempt by the criterion, which is
# why only the header's and footer's links and buttons and all checkboxes (and
# radio buttons) are measured.
_TARGETS = """(min) => {
  const selector = [
    ".site-header a", ".site-header button", ".site-footer a", ".site-footer button",
    "input[type=checkbox]", "input[type=radio]",
  ].join(",");
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== "hidden"
      && !el.closest(".visually-hidden, .skip-link, .honeypot, [hidden]");
  };
  const all = [...document.querySelectorAll(
    "a[href], button, input, select, textarea, summary, [role=button]"
  )].filter(visible);
  const boxes = all.map((el) => [el, el.getBoundingClientRect()]);
  const centre = (r) => [r.left + r.width / 2, r.top + r.height / 2];
  const name = (el) => {
    const label = (el.labels && el.labels[0] ? el.labels[0].textContent
      : el.textContent || el.getAttribute("aria-label") || el.name || "").trim();
    return `${el.tagName.toLowerCase()} "${label.slice(0, 40)}"`;
  };
  const small = [];
  for (const el of document.querySelectorAll(selector)) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width >= min - 0.01 && r.height >= min - 0.01) continue;
    // Spacing exception: a 24 px circle centred on it meets no other target
    // and no other undersized target's circle.
    const [cx, cy] = centre(r);
    const crowded = boxes.some(([other, o]) => {
      if (other === el || other.contains(el) || el.contains(other)) return false;
      // Another undersized target: their 24 px circles must not meet.
      if (o.width < min || o.height < min) {
        const [ox, oy] = centre(o);
        if (Math.hypot(ox - cx, oy - cy) < min) return true;
      }
      // Any target: its box must stay outside this target's circle.
      const nx = Math.max(o.left, Math.min(cx, o.right));
      const ny = Math.max(o.top, Math.min(cy, o.bottom));
      return Math.hypot(nx - cx, ny - cy) < min / 2;
    });
    if (crowded) {
      small.push(`${name(el)} is ${Math.round(r.width)}×${Math.round(r.height)} px`);
    }
  }
  return small;
}"""


def assert_target_sizes(page, minimum: int = MIN_TARGET) -> None:
    small = page.evaluate(_TARGETS, minimum)
    assert not small, (
        f"targets under {minimum}×{minimum} CSS px (WCAG 2.2 2.5.8) on "
        f"{page.url}:\n  " + "\n  ".join(small)
    )


# On a phone the header leaves most of the first screen to the page: at most a
# quarter of its height (it took ~370 of 812 px before it was made compact).
HEADER_SHARE = 0.25


def assert_compact_header(page, share: float = HEADER_SHARE) -> None:
    height = page.evaluate(
        "() => document.querySelector('.site-header')?.offsetHeight ?? 0"
    )
    viewport = page.viewport_size["height"]
    assert height <= viewport * share, (
        f"the header of {page.url} is {height} px tall, more than "
        f"{share:.0%} of the {viewport} px screen"
    )
