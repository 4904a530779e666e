/** A named series of values for a chart. */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
}

const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#b07aa1'];
const W = 640;
const H = 300;
const PAD = { l: 56, r: 16, t: 28, b: 48 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function frame(title: string, max: number, body: string, legend: readonly string[]): string {
  const ih = H - PAD.t - PAD.b;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const y = PAD.t + ih * (1 - f);
    return `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y}" y2="${y}" stroke="#ddd"/><text x="${PAD.l - 6}" y="${y + 4}" text-anchor="end" font-size="11">${fmt(max * f)}</text>`;
  });
  const keys = legend.map(
    (name, i) =>
      `<rect x="${PAD.l + i * 130}" y="${H - 16}" width="10" height="10" fill="${COLORS[i % COLORS.length]}"/><text x="${PAD.l + 14 + i * 130}" y="${H - 7}" font-size="11">${esc(name)}</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif"><text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="bold">${esc(title)}</text>${ticks.join('')}${body}${keys.join('')}</svg>`;
}

function fmt(x: number): string {
  return Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 1 ? x.toFixed(1) : x.toFixed(3);
}

/** Grouped bars: one group per category, one bar per series. */
export function barChart(title: string, categories: readonly string[], series: readonly Series[]): string {
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values)) * 1.1;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const gw = iw / Math.max(1, categories.length);
  const bw = (gw * 0.8) / Math.max(1, series.length);
  const bars: string[] = [];
  categories.forEach((cat, c) => {
    series.forEach((s, i) => {
      const v = s.values[c] ?? 0;
      const h = (v / max) * ih;
      const x = PAD.l + c * gw + gw * 0.1 + i * bw;
      bars.push(
        `<rect x="${x}" y="${PAD.t + ih - h}" width="${bw - 2}" height="${h}" fill="${COLORS[i % COLORS.length]}"><title>${esc(s.name)}: ${v.toFixed(4)}</title></rect>`,
      );
    });
    bars.push(
      `<text x="${PAD.l + c * gw + gw / 2}" y="${PAD.t + ih + 16}" text-anchor="middle" font-size="11">${esc(cat)}</text>`,
    );
  });
  return frame(
    title,
    max,
    bars.join(''),
    series.map((s) => s.name),
  );
}

/** Lines over a shared x axis (`xs`), e.g. cumulative regret per round. */
export function lineChart(title: string, xs: readonly number[], series: readonly Series[]): string {
  const max = Math.max(1e-9, ...series.flatMap((s) => s.values)) * 1.05;
  const iw = W - PAD.l - PAD.r;
  const ih = H - PAD.t - PAD.b;
  const xmax = Math.max(1, ...xs);
  const lines = series.map((s, i) => {
    const pts = s.values.map((v, j) => `${PAD.l + ((xs[j] ?? 0) / xmax) * iw},${PAD.t + ih * (1 - v / max)}`);
    return `<polyline fill="none" stroke="${COLORS[i % COLORS.length]}" stroke-width="2" points="${pts.join(' ')}"/>`;
  });
  const axis = `<text x="${W - PAD.r}" y="${PAD.t + ih + 16}" text-anchor="end" font-size="11">${fmt(xmax)}</text><text x="${PAD.l}" y="${PAD.t + ih + 16}" font-size="11">0</text>`;
  return frame(
    title,
    max,
    lines.join('') + axis,
    series.map((s) => s.name),
  );
}

/** A self-contained HTML page with a title, sections of charts and an optional table. */
export function htmlPage(title: string, sections: readonly { heading: string; html: string }[]): string {
  const body = sections.map((s) => `<h2>${esc(s.heading)}</h2>\n${s.html}`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>body{font-family:sans-serif;max-width:900px;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}</style></head><body><h1>${esc(title)}</h1>\n${body}\n</body></html>\n`;
}

/** An HTML table from rows of cells (first row is the header). */
export function htmlTable(rows: readonly (readonly (string | number)[])[]): string {
  const cell = (v: string | number, tag: string) =>
    `<${tag}>${esc(typeof v === 'number' ? v.toFixed(4) : v)}</${tag}>`;
  const [head, ...rest] = rows;
  return `<table><tr>${(head ?? []).map((v) => cell(v, 'th')).join('')}</tr>${rest.map((r) => `<tr>${r.map((v) => cell(v, 'td')).join('')}</tr>`).join('')}</table>`;
}
