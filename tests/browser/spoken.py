"""What a screen reader reads out on a page: the accessible names and descriptions our code and
Streamlit put in the page (aria-label, title, alt, role descriptions, value texts, SVG titles
and descriptions) and its visible text, and the English words found among them."""

import re

from playwright.sync_api import Page

# Words of Streamlit's, Vega's and the browser's English that a French reader must not hear,
# and the internal column names of the charts' data. Whole words, case as written.
ENGLISH = (
    "Help", "Collapse", "Expand", "sidebar", "Close", "Copy", "Download", "Search",
    "Fullscreen", "Show", "Hide", "Clear", "Upload", "Browse", "files", "Select", "Choose",
    "Sort", "Open", "Press", "Loading", "Running", "Stop", "Skip", "View", "Settings",
    "Deploy", "Rerun", "Print", "Record", "Toggle", "value", "visualization", "chart",
    "X-axis", "Y-axis", "titled", "scale", "axis", "legend", "values", "Jan", "Feb", "Mar",
    "Apr", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    "notice_deadline", "top_value", "credits_value", "amount_value", "credits_text",
    "amount_text", "balance_label", "start_date", "effective_end_date", "body_id",
)  # fmt: skip
ENGLISH_WORD = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in ENGLISH) + r")(?![\w-])")
# A number as Vega writes it for a screen reader: 2,800 or 1,234.5 (French groups by a space).
ENGLISH_NUMBER = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])")

SPOKEN_JS = """() => {
    const names = ['aria-label', 'title', 'alt', 'aria-roledescription', 'aria-description',
                   'aria-valuetext', 'aria-placeholder', 'placeholder'];
    // Chart marks may be many: their names are read too (each says its figures).
    const said = [];
    for (const element of document.querySelectorAll('*')) {
        if (element.closest('[aria-hidden="true"]')) continue;
        for (const name of names) {
            const value = element.getAttribute(name);
            if (value && value.trim()) said.push(`${name}: ${value.trim()}`);
        }
        if (["title", "desc"].includes(element.tagName.toLowerCase()) && element.closest('svg')) {
            said.push(`svg ${element.tagName}: ${element.textContent.trim()}`);
        }
    }
    // Visible text, as a screen reader walks it: not what is hidden from it (aria-hidden, such
    // as the icons' ligature names), not scripts and styles.
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        const text = node.nodeValue.trim();
        if (!text || !parent || parent.closest('[aria-hidden="true"], script, style')) continue;
        if (!parent.checkVisibility()) continue;
        said.push(`text: ${text}`);
    }
    return said;
}"""


def spoken(page: Page) -> list[str]:
    """Every name, description and text a screen reader may read out on the page."""
    return page.evaluate(SPOKEN_JS)


def english_in(said: list[str]) -> list[str]:
    """The spoken strings that hold an English word of the list or an English number."""
    return [s for s in said if ENGLISH_WORD.search(s) or ENGLISH_NUMBER.search(s)]
