"""axe-core in the page: run it, say for each node whether our code or Streamlit made it, and
keep everything for the report under test-output/accessibility/."""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

# RGAA 4 follows WCAG 2.1 AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

# Where our code puts content: the page body and what `with st.sidebar:` adds.
OUR_ROOTS = ("stMain", "stSidebarUserContent")
# Parts of a widget that Streamlit draws by itself, whatever the app passes to it.
STREAMLIT_PARTS = {
    "stElementToolbar": "barre d'outils d'un élément (Streamlit)",
    "stDataFrameResizable": "grille de st.dataframe (glide-data-grid, Streamlit)",
    "data-grid-canvas": "grille de st.dataframe (glide-data-grid, Streamlit)",
    "stFileUploaderDropzone": "zone de dépôt de st.file_uploader (Streamlit)",
    "stFileChips": "fichiers déposés dans st.file_uploader (Streamlit)",
    "stTooltipIcon": "icône d'aide (Streamlit)",
    "stDateInputCalendarButton": "bouton calendrier de st.date_input (Streamlit)",
    "stNumberInputStepDown": "bouton « − » de st.number_input (Streamlit)",
    "stNumberInputStepUp": "bouton « + » de st.number_input (Streamlit)",
    "stSliderTickBar": "graduations de st.slider (Streamlit)",
    "stHeaderActionElements": "lien d'ancre d'un titre (Streamlit)",
    "stTab": "onglet de st.tabs (style de Streamlit)",
}

# For each axe target: its data-testid ancestry (nearest first).
DESCRIBE_TARGETS = """(targets) => targets.map(target => {
    if (!Array.isArray(target) || target.length !== 1 || typeof target[0] !== 'string') {
        return {found: false, testids: []};
    }
    let node = null;
    try { node = document.querySelector(target[0]); } catch (error) { node = null; }
    if (node === null) { return {found: false, testids: []}; }
    const testids = [];
    for (let e = node; e !== null; e = e.parentElement) {
        const id = e.getAttribute && e.getAttribute('data-testid');
        if (id) { testids.push(id); }
    }
    return {found: true, testids: testids};
})"""

# Text drawn in the charts' SVG: axe leaves its contrast "incomplete"; compute it here.
CHART_TEXT_CONTRAST = """() => {
    const channel = c => {
        c /= 255;
        return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const parse = text => {
        const m = text.match(/rgba?\\(([^)]+)\\)/);
        if (!m) { return null; }
        const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
        return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
    };
    const lum = c => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const background = e => {
        for (; e !== null; e = e.parentElement) {
            const c = parse(getComputedStyle(e).backgroundColor || '');
            if (c && c.a > 0) { return c; }
        }
        return {r: 255, g: 255, b: 255, a: 1};
    };
    const out = [];
    document.querySelectorAll('[data-testid="stVegaLiteChart"] svg text').forEach(t => {
        const text = t.textContent.trim();
        if (!text) { return; }
        const style = getComputedStyle(t);
        const fill = parse(style.fill || '');
        if (!fill) { return; }
        let alpha = fill.a * Number(style.fillOpacity || 1);
        for (let e = t; e !== null && e.tagName !== 'svg'; e = e.parentElement) {
            alpha *= Number(getComputedStyle(e).opacity || 1);
        }
        if (alpha < 0.05) { return; }  // hidden by the chart (overlapping labels)
        const bg = background(t.closest('[data-testid="stVegaLiteChart"]'));
        const mix = k => fill[k] * alpha + bg[k] * (1 - alpha);
        const fg = {r: mix('r'), g: mix('g'), b: mix('b')};
        const [l1, l2] = [lum(fg), lum(bg)].sort((a, b) => b - a);
        const ratio = (l1 + 0.05) / (l2 + 0.05);
        const size = parseFloat(style.fontSize);
        const bold = Number(style.fontWeight) >= 700 || style.fontWeight === 'bold';
        const needed = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
        if (ratio < needed) {
            const hex = c => '#' + [c.r, c.g, c.b].map(
                v => Math.round(v).toString(16).padStart(2, '0')).join('');
            out.push({text: text, ratio: Math.round(ratio * 100) / 100, needed: needed,
                      fg: hex(fg), bg: hex(bg), size: size});
        }
    });
    return out;
}"""


@dataclass
class Finding:
    view: str
    url: str
    rule: str
    impact: str
    help: str
    help_url: str
    target: str
    html: str
    summary: str
    testid_path: str
    owner: str  # "ours" | "streamlit"
    why: str
    kind: str = "violation"  # "violation" | "incomplete" (axe: to check by hand)

    @property
    def blocking(self) -> bool:
        return self.kind == "violation" and self.impact in BLOCKING_IMPACTS


@dataclass
class Audit:
    """Every axe result of the session, written to test-output/accessibility/ at the end."""

    findings: list[Finding] = field(default_factory=list)
    chart_texts: list[dict[str, Any]] = field(default_factory=list)
    views: list[dict[str, str]] = field(default_factory=list)

    def add(self, view: str, page: Page, findings: list[Finding]) -> None:
        self.findings.extend(findings)
        lang, title = page.evaluate("() => [document.documentElement.lang, document.title]")
        self.views.append({"view": view, "url": page.url, "lang": lang, "title": title})
        for item in page.evaluate(CHART_TEXT_CONTRAST):
            self.chart_texts.append({"view": view, **item})

    def write(self, folder: Path) -> None:
        if not self.views:
            return
        folder.mkdir(parents=True, exist_ok=True)
        data = {
            "tags": WCAG_TAGS,
            "views": self.views,
            "findings": [asdict(f) for f in self.findings],
            "chart_text_contrast": self.chart_texts,
        }
        (folder / "axe-report.json").write_text(json.dumps(data, ensure_ascii=False, indent=2))
        (folder / "axe-report.md").write_text(self.markdown())

    def _grouped(self, owner: str, kind: str) -> list[str]:
        """One row per rule and element (violations), or per rule and reason (to check)."""
        groups: dict[tuple[str, ...], list[Finding]] = {}
        for f in self.findings:
            if f.owner == owner and f.kind == kind:
                what = f.html[:200] if kind == "violation" else _detail(f)
                groups.setdefault((f.rule, f.impact, what, f.why), []).append(f)
        if not groups:
            return ["Aucune.", ""]
        lines = [
            "| règle | impact | élément (exemple) | détail | nœuds | attribution | vues |",
            "|---|---|---|---|---|---|---|",
        ]
        for (rule, impact, _, why), found in groups.items():
            first = found[0]
            views = ", ".join(dict.fromkeys(f.view for f in found))
            lines.append(
                f"| [{rule}]({first.help_url}) | {impact} | `{_cell(first.html[:200])}` "
                f"| {_cell(_detail(first))} | {len(found)} | {_cell(why)} ; "
                f"`{first.testid_path}` | {_cell(views)} |"
            )
        return [*lines, ""]

    def markdown(self) -> str:
        lines = [
            "# Accessibilité (axe-core, " + ", ".join(WCAG_TAGS) + ")",
            "",
            "Vues auditées : " + ", ".join(f"`{v['view']}`" for v in self.views) + ".",
            "",
        ]
        sections = [
            ("ours", "violation", "Violations causées par l'application (bloquantes si graves)"),
            ("streamlit", "violation", "Violations de Streamlit lui-même"),
            ("ours", "incomplete", "À vérifier à la main (axe « incomplete »), application"),
            ("streamlit", "incomplete", "À vérifier à la main (axe « incomplete »), Streamlit"),
        ]
        for owner, kind, title in sections:
            lines += [f"## {title}", "", *self._grouped(owner, kind)]
        lines += [
            "## Hors axe : contraste des textes des graphiques (SVG Vega-Lite)",
            "",
            "Calculé sur la couleur de remplissage et le fond du graphique (axe ne conclut pas).",
            "",
        ]
        texts: dict[tuple[str, str, str], list[str]] = {}
        for item in self.chart_texts:
            key = (item["fg"], item["bg"], f"{item['ratio']} < {item['needed']}")
            texts.setdefault(key, []).append(f"{item['view']} « {item['text']} »")
        lines += [
            f"- {fg} sur {bg} : {ratio} — " + ", ".join(dict.fromkeys(where))[:600]
            for (fg, bg, ratio), where in texts.items()
        ] or ["Aucun."]
        lines += [
            "",
            "## Hors axe : langue et titre de chaque vue",
            "",
            "axe vérifie que `lang` est valide, pas qu'il dit la langue du contenu (français) ; "
            "le titre du document doit dire de quelle page il s'agit (RGAA 8.3, 8.6).",
            "",
            "| vue | URL | lang | titre du document |",
            "|---|---|---|---|",
            *(
                f"| {v['view']} | {v['url']} | {v['lang']} | {_cell(v['title'])} |"
                for v in self.views
            ),
            "",
        ]
        return "\n".join(lines)


def _detail(finding: Finding) -> str:
    return (finding.summary.splitlines()[-1] if finding.summary else finding.help).strip()[:300]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def owner_of(testids: list[str], found: bool) -> tuple[str, str]:
    """('ours' | 'streamlit', why) from the node's data-testid ancestry (nearest first)."""
    if not found:
        return "streamlit", "nœud hors du DOM principal (SVG interne, shadow DOM ou iframe)"
    roots = [t for t in testids if t in OUR_ROOTS]
    if not roots:
        outer = next((t for t in reversed(testids) if t in _CHROME), None) or next(
            (t for t in testids if t.startswith("st")), "document"
        )
        return "streamlit", f"interface de Streamlit ({outer}), hors du contenu de l'application"
    inside_root = testids[: testids.index(roots[0])]
    for testid in inside_root:
        if testid in STREAMLIT_PARTS:
            return "streamlit", STREAMLIT_PARTS[testid]
    where = "corps de page" if roots[0] == "stMain" else "barre latérale (with st.sidebar)"
    element = next((t for t in inside_root if t.startswith("st")), roots[0])
    return "ours", f"contenu de l'application, {where}, élément {element}"


_CHROME = {
    "stHeader", "stToolbar", "stMainMenu", "stSidebarHeader", "stSidebarCollapseButton",
    "stExpandSidebarButton", "stSidebarNav", "stDecoration", "stStatusWidget", "stSkipToContent",
}  # fmt: skip


def run_axe(page: Page, axe_js: Path, view: str) -> list[Finding]:
    """Inject axe-core, run it on the whole document, and attribute each node it reports."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    results: dict[str, Any] = page.evaluate(
        """async (tags) => await window.axe.run(document, {
            runOnly: {type: 'tag', values: tags},
            resultTypes: ['violations', 'incomplete'],
        })""",
        WCAG_TAGS,
    )
    findings = []
    for kind, items in (
        ("violation", results["violations"]),
        ("incomplete", results["incomplete"]),
    ):
        for item in items:
            nodes = item["nodes"]
            described = page.evaluate(DESCRIBE_TARGETS, [n["target"] for n in nodes])
            for node, where in zip(nodes, described, strict=True):
                owner, why = owner_of(where["testids"], where["found"])
                findings.append(
                    Finding(
                        view=view,
                        url=page.url,
                        rule=item["id"],
                        impact=node.get("impact") or item.get("impact") or "",
                        help=item["help"],
                        help_url=item["helpUrl"],
                        target=json.dumps(node["target"], ensure_ascii=False),
                        html=node["html"],
                        summary=node.get("failureSummary") or "",
                        testid_path=" > ".join(reversed(where["testids"])),
                        owner=owner,
                        why=why,
                        kind=kind,
                    )
                )
    return findings


def describe(findings: Iterable[Finding]) -> str:
    """One entry per (rule, element), with the views where it was seen."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        groups.setdefault((f.rule, f.html), []).append(f)
    lines = []
    for (rule, html), found in groups.items():
        first = found[0]
        views = ", ".join(dict.fromkeys(f.view for f in found))
        lines.append(
            f"- [{rule}, {first.impact}] {html[:160]!r}\n    {_detail(first)}\n"
            f"    {first.why} ; vues : {views}"
        )
    return "\n".join(lines)
