/**
 * The trace view as one self-contained HTML page: the style sheet and the bundled client inline,
 * the view data embedded as JSON, nothing fetched. A trace is user input, so what comes from it is
 * escaped where it lands: in the JSON every `<` is written `\u003c` (a string holding `</script>`
 * or `<!--` cannot end or confuse the script element), and the title is HTML-escaped; the client
 * sets everything else as text. No clock, no randomness: the same trace gives the same bytes.
 */
import { clientAssets } from './clientBundle.js';
import type { ViewData } from './viewData.js';

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** JSON that can sit inside a script element: no `<` at all, so no `</script>` and no `<!--`. */
export function embeddableJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export function renderHtml(data: ViewData): string {
  const { script, style } = clientAssets();
  const title = escapeHtml(data.name);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="flink-slot-model view">
<title>${title} · flink-slot-model trace</title>
<style>
${style}</style>
</head>
<body>
<header id="top">
<h1>${title}</h1>
<p id="summary">Loading the trace…</p>
<section id="violation" role="alert" hidden>
<h2>The trace violates the model</h2>
<p id="violation-where"></p>
<pre id="violation-words"></pre>
<button type="button" id="violation-goto">Show it in the diagram</button>
</section>
<div class="controls">
<label><input type="checkbox" id="time-mode"> proportional time</label>
<div id="legend"></div>
</div>
<details id="report"><summary>The checker's report</summary><pre id="report-text"></pre></details>
<noscript><p>This page draws the trace with JavaScript; it needs nothing else.</p></noscript>
</header>
<main id="viewport">
<canvas id="diagram"></canvas>
<div id="scroller"><div id="spacer"><div id="violation-marker" hidden></div></div></div>
</main>
<div id="tooltip" hidden></div>
<aside id="details" hidden><button type="button" id="details-close">close</button><div id="details-text"></div></aside>
<script type="application/json" id="view-data">${embeddableJson(data)}</script>
<script>${script}</script>
</body>
</html>
`;
}
