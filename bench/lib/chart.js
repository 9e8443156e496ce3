'use strict';
// The results as an SVG bar chart, written by hand (no charting dependency): the rows of each
// runtime under its heading, requests per second on the left panel, p99 on the right, the best
// peer's values of that runtime as dashed lines.
// A bar longer than its panel's scale is cut at the edge and marked, its value still printed.

const ROW_H = 24;
const LABEL_W = 350;
const PANEL_W = 260;
const GAP = 70;
const TOP = 74;
const COLOURS = { example: '#b5b5b5', raw: '#6b6b6b', peer: '#8c8c8c', 'same-work': '#a3a3a3', main: '#1f5fa8', variant: '#6f9fd8', burst: '#c0692b' };

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const num = (value, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : '–');

/** A scale maximum: the largest value of `values`, rounded up to a readable step. */
function niceMax(values) {
  const max = Math.max(1, ...values.filter(Number.isFinite));
  const step = 10 ** Math.floor(Math.log10(max));
  return Math.ceil((max * 1.1) / step) * step;
}

function panel({ x, title, unit, rows, value, scaleMax, digits }) {
  const parts = [
    `<text x="${x}" y="${TOP - 30}" class="title">${escape(title)}</text>`,
    `<line x1="${x}" y1="${TOP - 6}" x2="${x}" y2="${TOP + rows.length * ROW_H}" class="axis"/>`,
  ];
  rows.forEach((row, i) => {
    if (row.heading) {
      // The best peer of this runtime, dashed across its rows.
      const reference = row.reference && value(row.reference);
      if (!Number.isFinite(reference)) return;
      const rx = x + (Math.min(reference, scaleMax) / scaleMax) * PANEL_W;
      parts.push(`<line x1="${rx.toFixed(1)}" y1="${TOP + (i + 1) * ROW_H}" x2="${rx.toFixed(1)}" y2="${TOP + (i + 1 + row.count) * ROW_H}" class="reference"/>`);
      return;
    }
    const v = value(row);
    if (!Number.isFinite(v)) return;
    const y = TOP + i * ROW_H;
    const cut = v > scaleMax;
    const w = (Math.min(v, scaleMax) / scaleMax) * PANEL_W;
    parts.push(`<rect x="${x}" y="${y + 4}" width="${w.toFixed(1)}" height="${ROW_H - 8}" fill="${COLOURS[row.kind]}"/>`);
    if (cut) parts.push(`<path d="M${x + w - 9} ${y + 2} l6 ${ROW_H - 4} M${x + w - 4} ${y + 2} l6 ${ROW_H - 4}" class="cut"/>`);
    const text = `${num(v, digits)}${unit}`;
    parts.push(
      cut
        ? `<text x="${x + w - 12}" y="${y + ROW_H / 2 + 4}" class="inside">${escape(text)}</text>`
        : `<text x="${x + w + 4}" y="${y + ROW_H / 2 + 4}" class="value">${escape(text)}</text>`,
    );
  });
  parts.push(`<text x="${x}" y="${TOP - 12}" class="note">0 … ${num(scaleMax)}${escape(unit)}; dashed: the best peer on that Node</text>`);
  return parts.join('\n');
}

/**
 * rows: { short, node, kind: 'example' | 'raw' | 'peer' | 'same-work' | 'main' | 'variant' | 'burst',
 * requestsPerSecond, p99, bestPeer }. The p99 scale follows the steady rows; a burst's longer
 * tail is cut at the edge.
 */
function renderChart({ title, subtitle, rows: measured }) {
  const rows = [...new Set(measured.map((row) => row.node))].flatMap((node) => {
    const same = measured.filter((row) => row.node === node);
    const reference = same.find((row) => row.key === same[0].bestPeer);
    return [{ heading: `Node ${node}`, reference, count: same.length }, ...same];
  });
  const width = LABEL_W + 2 * PANEL_W + GAP + 80;
  const height = TOP + rows.length * ROW_H + 36;
  const steady = measured.filter((row) => row.kind !== 'burst');
  const rpsMax = niceMax(measured.map((row) => row.requestsPerSecond));
  const p99Max = niceMax(steady.map((row) => row.p99));
  const labels = rows.map(
    (row, i) => `<text x="${LABEL_W - 8}" y="${TOP + i * ROW_H + ROW_H / 2 + 4}" class="${row.heading ? 'label title' : 'label'}">${escape(row.heading ?? row.short)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">
<style>
.title { font-weight: bold; font-size: 13px; }
.heading { font-weight: bold; font-size: 15px; }
.note { fill: #555; font-size: 10px; }
.label { text-anchor: end; }
.value { fill: #222; }
.inside { fill: #fff; text-anchor: end; font-weight: bold; }
.axis { stroke: #444; }
.reference { stroke: #333; stroke-dasharray: 4 3; }
.cut { stroke: #fff; stroke-width: 2; }
</style>
<rect width="100%" height="100%" fill="#fff"/>
<text x="10" y="18" class="heading">${escape(title)}</text>
${labels.join('\n')}
${panel({ x: LABEL_W, title: 'requests per second (higher is better)', unit: '', rows, value: (row) => row.requestsPerSecond, scaleMax: rpsMax, digits: 0 })}
${panel({ x: LABEL_W + PANEL_W + GAP, title: 'p99 latency (lower is better)', unit: ' ms', rows, value: (row) => row.p99, scaleMax: p99Max, digits: 0 })}
<text x="10" y="${height - 12}" class="note">${escape(subtitle)}</text>
</svg>
`;
}

module.exports = { renderChart };
