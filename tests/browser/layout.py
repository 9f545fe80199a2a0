"""Layout checks run inside the page under test: no sideways scrolling, big enough targets.

`LAYOUT_GUARD` is added to every page the browser tests open (conftest's `_guarded`):
after each load and each htmx swap it looks for horizontal overflow and, in a phone-sized
window, for tap targets under 24 x 24 px, and reports them as console errors, which fail
the test. So every page a journey passes through is checked, at both sizes, without each
test having to ask.
"""

from __future__ import annotations

PHONE = {"width": 360, "height": 780}  # the narrowest common phone (Galaxy S8/S9, many Androids)
PHONE_MAX_WIDTH = 480  # at most this wide, the guard also checks tap targets

# Shared by the guard and by `small_targets`: the interactive elements smaller than
# `min` CSS pixels either way. A link that is a word in a sentence is exempt (WCAG 2.2
# 2.5.8, "inline"); so is anything not displayed; a radio or checkbox inside a label is
# measured by its label, which is what a finger presses.
_SMALL_TARGETS = """
(min, selector) => {
  const found = [];
  const blockOf = e => {
    for (let a = e.parentElement; a; a = a.parentElement) {
      if (getComputedStyle(a).display !== 'inline') return a;
    }
    return document.body;
  };
  for (const e of document.querySelectorAll(selector)) {
    let target = e;
    if (e.matches('input[type=radio], input[type=checkbox]') && e.closest('label')) {
      target = e.closest('label');
    }
    // Not displayed, invisible, or inside a closed <details> (content-visibility): no target.
    if (!target.checkVisibility({visibilityProperty: true, contentVisibilityAuto: true})) continue;
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    if (box.width === 0 || box.height === 0) continue;
    if (box.right < 0 || box.bottom < 0) continue;  // parked off-screen (the skip link)
    if (target.closest('[aria-hidden=true], .visually-hidden')) continue;
    if (box.width >= min && box.height >= min) continue;
    const text = (target.textContent || '').replace(/\\s+/g, ' ').trim();
    if (style.display === 'inline' && target.matches('a')) {
      const around = (blockOf(target).textContent || '').replace(/\\s+/g, ' ').trim();
      if (around.length > text.length) continue;  // a link inside a sentence
    }
    const cls = target.getAttribute('class');
    const name = target.tagName.toLowerCase() + (cls ? '.' + cls.trim().split(/\\s+/).join('.') : '');
    found.push(`${name} "${text.slice(0, 40)}" ${Math.round(box.width)}x${Math.round(box.height)}`);
  }
  return found;
}
"""

TARGETS = "a[href], button, input:not([type=hidden]), select, textarea, summary, [role=button]"

LAYOUT_GUARD = (
    """
(() => {
  const smallTargets = """
    + _SMALL_TARGETS
    + """;
  function check(when) {
    const page = document.documentElement;
    if (page.scrollWidth > window.innerWidth) {
      // The elements that make the page wide: those reaching its right edge, innermost
      // first (often something positioned that escapes its scrolling box).
      const edge = page.scrollWidth - 1;
      const reaching = [...document.body.querySelectorAll('*')]
        .filter(e => e.getBoundingClientRect().right + window.scrollX >= edge);
      const wide = reaching.filter(e => !reaching.some(o => o !== e && e.contains(o)))
        .slice(0, 3).map(e => {
          const name = n => n.tagName.toLowerCase() + (n.getAttribute('class') ? '.' + n.getAttribute('class').trim().split(/\\s+/).join('.') : '');
          return name(e) + (e.parentElement ? ' in ' + name(e.parentElement) : '');
        });
      console.error(`Horizontal overflow ${when} at ${location.pathname}: the page is ${page.scrollWidth}px wide in a ${window.innerWidth}px window (${wide.join(', ')})`);
    }
    // Django's admin is Django's own interface, with its own (desktop-sized) controls.
    if (window.innerWidth <= """
    + str(PHONE_MAX_WIDTH)
    + """ && !location.pathname.startsWith('/admin/')) {
      const small = smallTargets(24, '"""
    + TARGETS
    + """');
      if (small.length) {
        console.error(`Tap targets under 24x24px ${when} at ${location.pathname}: ${small.slice(0, 5).join('; ')}`);
      }
    }
  }
  const later = when => requestAnimationFrame(() => requestAnimationFrame(() => check(when)));
  window.addEventListener('load', () => later('on load'));
  document.addEventListener('htmx:afterSettle', () => later('after a swap'));
})();
"""
)


def small_targets(page, *, min_px: int, selector: str = TARGETS) -> list[str]:
    """The targets matching `selector` smaller than `min_px` either way, one line each."""
    return page.evaluate(f"([m, s]) => ({_SMALL_TARGETS})(m, s)", [min_px, selector])


def overflow(page) -> int:
    """How many CSS pixels the page is wider than its window (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth - window.innerWidth)"
    )
