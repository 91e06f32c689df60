import { escapeHtml } from "./escape";

/** One series of a stacked bar chart. */
export interface Series {
  name: string;
  colour: string;
}

/** One bar: a label, one value per series, and the text shown after the bar. */
export interface Bar {
  label: string;
  values: (number | bigint)[];
  /** What each part is, for the tooltip (the exact amount, say); the value by default. */
  texts?: string[];
  total?: string;
}

export const PALETTE = ["#1f6fb2", "#e08a1e", "#3a9a4a", "#b9413b", "#7d5ba6", "#8a6d3b", "#2a9d9a", "#c2588e"];

const LABEL_WIDTH = 260;
const BAR_AREA = 460;
const TOTAL_WIDTH = 220;
const ROW = 24;

/**
 * A horizontal stacked bar chart as inline SVG: one row per bar, parts coloured by series, a legend
 * below; every part has a `<title>` tooltip. Bars share one scale (the longest bar fills the area).
 */
export function stackedBars(title: string, series: Series[], bars: Bar[]): string {
  const sums = bars.map((b) => b.values.reduce<number>((s, v) => s + Number(v), 0));
  const max = Math.max(...sums, 1);
  const width = LABEL_WIDTH + BAR_AREA + TOTAL_WIDTH;
  const legendTop = bars.length * ROW + 12;
  const rows = bars.map((bar, i) => {
    const y = i * ROW + 4;
    let x = LABEL_WIDTH;
    const parts = bar.values.map((v, k) => {
      const w = (Number(v) / max) * BAR_AREA;
      const part =
        Number(v) > 0
          ? `<rect x="${x.toFixed(2)}" y="${y}" width="${Math.max(w, 1).toFixed(2)}" height="${ROW - 8}" fill="${series[k].colour}"><title>${escapeHtml(`${bar.label}: ${series[k].name} ${bar.texts?.[k] ?? String(v)}`)}</title></rect>`
          : "";
      x += w;
      return part;
    });
    return [
      `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2}" text-anchor="end" class="label">${escapeHtml(clip(bar.label, LABEL_WIDTH - 16))}<title>${escapeHtml(bar.label)}</title></text>`,
      ...parts,
      `<text x="${(x + 6).toFixed(2)}" y="${y + ROW / 2}" class="total">${escapeHtml(bar.total ?? String(sums[i]))}</text>`,
    ].join("");
  });
  const legend: string[] = [];
  let [lx, ly] = [LABEL_WIDTH, legendTop];
  for (const s of series) {
    const w = 18 + textWidth(s.name) + 24;
    if (lx + w > width && lx > LABEL_WIDTH) [lx, ly] = [LABEL_WIDTH, ly + 20];
    legend.push(
      `<rect x="${lx}" y="${ly}" width="12" height="12" fill="${s.colour}"/><text x="${lx + 18}" y="${ly + 10}" class="legend">${escapeHtml(s.name)}</text>`,
    );
    lx += w;
  }
  const height = ly + 20 + 8;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">`,
    `<title>${escapeHtml(title)}</title>`,
    ...rows,
    ...legend,
    "</svg>",
  ].join("\n");
}

/** About how wide `text` is at 12 px: CJK characters take twice the room of Latin ones. */
function textWidth(text: string): number {
  let w = 0;
  for (const c of text) w += /[\u2e80-\u9fff\uac00-\ud7af\uff00-\uffef]/.test(c) ? 12 : 6.8;
  return w;
}

/** `text`, cut with an ellipsis to fit `width` pixels; the tooltip keeps it whole. */
function clip(text: string, width: number): string {
  if (textWidth(text) <= width) return text;
  let out = "";
  for (const c of text) {
    if (textWidth(`${out}${c}…`) > width) break;
    out += c;
  }
  return `${out}…`;
}
