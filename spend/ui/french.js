// Streamlit's own words in French: the page's language, and the English of its widgets that no
// parameter changes (file drop zone, chart and table menus, option lists, the skip link, the
// date picker). A MutationObserver translates them as they appear; data is never touched (the
// tables draw their cells on a canvas, not in the page's text).
(() => {
  document.documentElement.lang = "fr";
  if (window.__spendFrench) return;
  window.__spendFrench = true;

  const EXACT = new Map([
    ["Skip to main content", "Aller au contenu principal"],
    ["Drag and drop files here", "Glissez-déposez les fichiers ici"],
    ["Drag and drop a file here", "Glissez-déposez un fichier ici"],
    ["Upload", "Parcourir"],
    ["Add files", "Ajouter des fichiers"],
    ["Download as PNG", "Télécharger en PNG"],
    ["Copy Vega-Lite spec", "Copier la description Vega-Lite"],
    ["Copied!", "Copié !"],
    ["Show data", "Afficher les données"],
    ["Show chart", "Afficher le graphique"],
    ["Select all", "Tout sélectionner"],
    ["Clear all", "Tout effacer"],
    ["Clear value", "Effacer"],
    ["No results", "Aucun résultat"],
    ["No options to select", "Aucune option"],
    ["Choose an option", "Choisissez une option"],
    ["Choose options", "Choisissez des options"],
    ["Download as CSV", "Télécharger en CSV"],
    ["Search", "Rechercher"],
    ["Type to search", "Tapez pour rechercher"],
    ["Close Search", "Fermer la recherche"],
    ["Next Result", "Résultat suivant"],
    ["Previous Result", "Résultat précédent"],
    ["Fullscreen", "Plein écran"],
    ["Close fullscreen", "Quitter le plein écran"],
    ["Add row", "Ajouter une ligne"],
    ["Delete row(s)", "Supprimer la sélection"],
    ["Sort ascending", "Tri croissant"],
    ["Sort descending", "Tri décroissant"],
    ["Pin column", "Épingler la colonne"],
    ["Unpin column", "Désépingler la colonne"],
    ["Hide column", "Masquer la colonne"],
    ["Autosize", "Ajuster la largeur"],
    ["Copy column name", "Copier le nom de la colonne"],
    ["Clear selection", "Effacer la sélection"],
    ["Loading...", "Chargement…"],
    ["Running...", "Calcul en cours…"],
    ["Stop", "Arrêter"],
    ["Press Enter to apply", "Entrée pour valider"],
    ["Press Enter to submit form", "Entrée pour envoyer"],
    ["Previous month.", "Mois précédent"],
    ["Next month.", "Mois suivant"],
    ["Previous month", "Mois précédent"],
    ["Next month", "Mois suivant"],
    ["Close", "Fermer"],
    ["Show/hide columns", "Afficher ou masquer des colonnes"],
    ["Choose date", "Choisir une date"],
    ["Clear date", "Effacer la date"],
    // Streamlit's frame, as screen readers name it.
    ["Sidebar", "Menu latéral"],
    ["Collapse sidebar", "Replier le menu latéral"],
    ["Expand sidebar", "Déplier le menu latéral"],
    ["App pages", "Pages de l'application"],
    ["Link to heading", "Lien vers ce titre"],
    ["Open", "Ouvrir"],
    ["Copy to clipboard", "Copier dans le presse-papiers"],
    ["Vega visualization", "Graphique"],
  ]);
  // What Vega says each part of a chart is (aria-roledescription).
  const ROLES = {
    visualization: "graphique", axis: "axe", legend: "légende", title: "titre", bar: "barre",
    point: "point", line: "ligne", text: "texte", rule: "trait", symbol: "symbole",
    rect: "rectangle", area: "aire", "legend-entry": "entrée de légende",
  };
  // A number as Vega writes it (2,800 or 1,234.5), the French way (2 800, 1 234,5).
  const frenchNumber = (text) => text.replace(/\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+/g,
    (n) => n.replace(/,/g, "\u202f").replace(".", ","));
  const AXES = { X: "Axe horizontal", Y: "Axe vertical" };
  const titled = (title) => (title ? ` « ${title} »` : "");
  // The parts of a date field (its placeholders, and the names screen readers give them).
  const DATE_PARTS = { dd: "jj", mm: "mm", yyyy: "aaaa" };
  const MONTHS = {
    January: "janvier", February: "février", March: "mars", April: "avril", May: "mai",
    June: "juin", July: "juillet", August: "août", September: "septembre",
    October: "octobre", November: "novembre", December: "décembre",
  };
  const WEEKDAYS = { Mo: "lu", Tu: "ma", We: "me", Th: "je", Fr: "ve", Sa: "sa", Su: "di" };
  const UNITS = { B: "o", KB: "Ko", MB: "Mo", GB: "Go" };

  const size = (number, unit) => `${number.replace(".", ",")}\u00a0${UNITS[unit]}`;
  const PATTERNS = [
    // "200MB per file", "20MB per file • CSV, XLSX, ZIP"
    [/^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file(.*)$/, (m, n, u, rest) =>
      `${size(n, u)} maximum par fichier${rest}`],
    // An uploaded file's size: "0.7KB"
    [/^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB)$/, (m, n, u) => size(n, u)],
    [/^Limit (\d+(?:\.\d+)?)\s?(B|KB|MB|GB) per file(.*)$/, (m, n, u, rest) =>
      `${size(n, u)} maximum par fichier${rest}`],
    // A date field's parts as screen readers name them: "day, Depuis le"
    [/^(day|month|year), (.*)$/, (m, part, label) =>
      `${{ day: "jour", month: "mois", year: "année" }[part]}, ${label}`],
    // Streamlit's help icon: "Help for Solde"
    [/^Help for (.*)$/, (m, label) => `Aide : ${label}`],
    // Vega's descriptions of a chart's axes, legends and title.
    [/^([XY])-axis(?: titled '(.*)')? for an? \w+ scale with values from (.*) to (.*)$/,
      (m, axis, title, low, high) =>
        `${AXES[axis]}${titled(title)} : de ${frenchNumber(low)} à ${frenchNumber(high)}`],
    [/^([XY])-axis(?: titled '(.*)')? for an? \w+ scale with (\d+) values?: (.*)$/,
      (m, axis, title, count, values) =>
        `${AXES[axis]}${titled(title)} : ${count} valeur(s) : ${frenchNumber(values)}`],
    [/^\w+ legend(?: titled '(.*)')? for .* with (\d+) values?: (.*)$/,
      (m, title, count, values) => `Légende${titled(title)} : ${count} valeur(s) : ${values}`],
    [/^Title text '(.*)'$/, (m, title) => `Titre : ${title}`],
    // A date field's month as screen readers hear it: "12 – December"
    [/^(\d+) – (January|February|March|April|May|June|July|August|September|October|November|December)$/,
      (m, number, month) => `${number} – ${MONTHS[month]}`],
    [/^(January|February|March|April|May|June|July|August|September|October|November|December)(\s+\d{4})?$/,
      (m, month, year) => MONTHS[month] + (year || "")],
  ];

  const translate = (text, inCalendar, inDate) => {
    const trimmed = text.trim();
    if (!trimmed) return null;
    let found = EXACT.get(trimmed);
    if (found === undefined && inCalendar && WEEKDAYS[trimmed]) found = WEEKDAYS[trimmed];
    if (found === undefined && inDate && DATE_PARTS[trimmed]) found = DATE_PARTS[trimmed];
    if (found === undefined) {
      for (const [pattern, replace] of PATTERNS) {
        if (pattern.test(trimmed)) { found = trimmed.replace(pattern, replace); break; }
      }
    }
    return found === undefined || found === trimmed ? null : text.replace(trimmed, found);
  };

  const ATTRIBUTES = [
    "aria-label", "title", "placeholder", "aria-roledescription", "aria-valuetext",
  ];
  const translateAttribute = (element, name, value) => {
    if (!value) return null;
    if (name !== "aria-roledescription") return translate(value, false, inDateOf(element));
    const role = value.trim();
    const french = ROLES[role] || (/ mark container$/.test(role) ? "groupe de repères" : null);
    // Never set a word to itself (« point »): the observer would see it and set it again.
    return french === value ? null : french;
  };
  const inCalendarOf = (node) =>
    !!(node.parentElement || node).closest?.('[data-baseweb="calendar"]');
  const inDateOf = (node) =>
    !!(node.parentElement || node).closest?.('[data-testid="stDateInput"]');

  const fix = (root) => {
    if (root.nodeType === Node.TEXT_NODE) {
      const done = translate(root.nodeValue, inCalendarOf(root), inDateOf(root));
      if (done !== null) root.nodeValue = done;
      return;
    }
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    const elements = [root, ...root.querySelectorAll("*")];
    for (const element of elements) {
      for (const name of ATTRIBUTES) {
        const done = translateAttribute(element, name, element.getAttribute(name));
        if (done) element.setAttribute(name, done);
      }
    }
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const done = translate(node.nodeValue, inCalendarOf(node), inDateOf(node));
      if (done !== null) node.nodeValue = done;
    }
  };

  new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === "characterData") fix(mutation.target);
      else if (mutation.type === "attributes") {
        const { target, attributeName } = mutation;
        const done = translateAttribute(target, attributeName, target.getAttribute(attributeName));
        if (done) target.setAttribute(attributeName, done);
      } else mutation.addedNodes.forEach(fix);
    }
  }).observe(document.body, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ATTRIBUTES,
  });
  fix(document.body);
})();
