/**
 * A hand-written SVG chart of a load run: two panels of bars, throughput and p99 latency, one bar
 * per target, each panel with its goal drawn as a dashed line. No library: rectangles and text.
 * @module
 */
import { MAX_P99_MS, MIN_THROUGHPUT } from './verdicts.ts';

/** One target's bar heights. */
export interface ChartEntry {
  readonly name: string;
  readonly throughput: number;
  readonly p99Ms: number;
}

const PANEL_WIDTH = 360;
const PANEL_HEIGHT = 260;
/** Room for the title above and the target names below the bars. */
const TOP = 40;
const BOTTOM = 40;
const SIDE = 30;
const COLORS = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948'];

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** One panel of bars with a goal line, placed `offsetX` from the left. */
function panel(title: string, entries: readonly ChartEntry[], value: (e: ChartEntry) => number, label: (v: number) => string, goal: number, offsetX: number): string {
  const plotHeight = PANEL_HEIGHT - TOP - BOTTOM;
  // Leave headroom above the tallest bar (or the goal line) for its label.
  const top = Math.max(goal, ...entries.map(value)) * 1.15 || 1;
  const slot = (PANEL_WIDTH - 2 * SIDE) / Math.max(entries.length, 1);
  const barWidth = slot * 0.6;
  const y = (v: number) => TOP + plotHeight - (v / top) * plotHeight;
  const parts = [`<text x="${offsetX + PANEL_WIDTH / 2}" y="22" text-anchor="middle" font-weight="bold">${escapeXml(title)}</text>`];
  entries.forEach((entry, i) => {
    const v = value(entry);
    const x = offsetX + SIDE + i * slot + (slot - barWidth) / 2;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${y(v).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(TOP + plotHeight - y(v)).toFixed(1)}" fill="${COLORS[i % COLORS.length]}"/>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${(y(v) - 4).toFixed(1)}" text-anchor="middle">${escapeXml(label(v))}</text>`,
      `<text x="${(x + barWidth / 2).toFixed(1)}" y="${PANEL_HEIGHT - BOTTOM + 16}" text-anchor="middle">${escapeXml(entry.name)}</text>`,
    );
  });
  parts.push(
    `<line x1="${offsetX + SIDE}" y1="${y(goal).toFixed(1)}" x2="${offsetX + PANEL_WIDTH - SIDE}" y2="${y(goal).toFixed(1)}" stroke="#c00" stroke-dasharray="5,4"/>`,
    `<text x="${offsetX + PANEL_WIDTH - SIDE}" y="${(y(goal) - 4).toFixed(1)}" text-anchor="end" fill="#c00">goal ${escapeXml(label(goal))}</text>`,
    `<line x1="${offsetX + SIDE}" y1="${TOP + plotHeight}" x2="${offsetX + PANEL_WIDTH - SIDE}" y2="${TOP + plotHeight}" stroke="#333"/>`,
  );
  return parts.join('\n');
}

/** The whole chart as an SVG document; `caption` (the command, the Node version) goes underneath. */
export function loadChart(entries: readonly ChartEntry[], caption: string): string {
  const width = PANEL_WIDTH * 2;
  const height = PANEL_HEIGHT + 30;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    panel('Throughput (requests/s, higher is better)', entries, (e) => e.throughput, (v) => Math.round(v).toLocaleString('en-US'), MIN_THROUGHPUT, 0),
    panel('p99 latency (ms, lower is better)', entries, (e) => e.p99Ms, (v) => v.toFixed(2), MAX_P99_MS, PANEL_WIDTH),
    `<text x="${width / 2}" y="${height - 10}" text-anchor="middle" fill="#555" font-size="10">${escapeXml(caption)}</text>`,
    '</svg>',
    '',
  ].join('\n');
}
