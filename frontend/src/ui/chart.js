// chart.js - horizontal bar charts drawn as SVG elements (SPEC section 6:
// the statistics page draws its chart from the release JSON). Elements come
// from document.createElementNS only (dom.svg): no markup strings, and no
// style attributes, which the CSP would refuse — geometry is in attributes,
// the look in main.css (.mp-chart*). Bar lengths are percentages of the
// chart's width, so text keeps its real size at any width, 320 px included;
// labels are wrapped to the width measured when drawn, and charts are drawn
// again when the window is resized.
import { svg, uid } from './dom.js';

const LINE = 20; // label line height, px (labels are 1rem)
const BAR = 22; // bar thickness, px
const GAP = 16; // space after each bar, px
const MAX_BAR = 78; // longest bar, % of the width; the rest holds its value
const CHAR = 9.5; // average label character width at 1rem, px (for wrapping)
const INSET = 8; // labels start clear of the axis, px

const drawn = new Map(); // container → options, for redrawing on resize
let resizeTimer = null;

// Greedy word wrap to at most `width` characters a line (a longer word
// keeps a line of its own).
function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of String(text).split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

function draw(container, { title, description, bars }) {
  const width = container.clientWidth || 600;
  const perLine = Math.max(12, Math.floor((width - INSET) / CHAR));
  const max = Math.max(0, ...bars.map((b) => (typeof b.value === 'number' ? b.value : 0)));
  const titleId = uid('mp-chart-title');
  const descId = uid('mp-chart-desc');
  const items = [];
  let y = 0;
  for (const bar of bars) {
    const lines = wrap(bar.label, perLine);
    const label = svg('text', { class: 'mp-chart__label', x: INSET, y: y + 15 },
      lines.map((l, i) => svg('tspan', { x: INSET, dy: i === 0 ? 0 : LINE }, document.createTextNode(l))));
    y += lines.length * LINE + 2;
    const known = typeof bar.value === 'number';
    const pct = known && max > 0 ? (bar.value / max) * MAX_BAR : 0;
    const length = `${pct.toFixed(2)}%`;
    items.push(svg('g', { class: 'mp-chart__item' },
      label,
      svg('rect', { class: known ? 'mp-chart__bar' : 'mp-chart__bar mp-chart__bar--hidden',
        x: 0, y, width: length, height: BAR }),
      svg('text', { class: known ? 'mp-chart__value' : 'mp-chart__value mp-chart__value--hidden',
        x: length, dx: 6, y: y + 16 }, document.createTextNode(bar.text))));
    y += BAR + GAP;
  }
  const height = Math.max(y - GAP + 2, 1);
  container.replaceChildren(svg('svg', {
    class: 'mp-chart__svg', role: 'img', width: '100%', height,
    'aria-labelledby': titleId, 'aria-describedby': descId,
  },
  svg('title', { id: titleId }, document.createTextNode(title)),
  svg('desc', { id: descId }, document.createTextNode(description)),
  svg('line', { class: 'mp-chart__axis', x1: 0.5, x2: 0.5, y1: 0, y2: height }),
  items));
}

function redrawAll() {
  for (const [container, options] of drawn) {
    if (container.isConnected) draw(container, options);
    else drawn.delete(container);
  }
}

/**
 * Draws a bar chart into `container` (an element already in the document,
 * whose children it replaces): one <rect class="mp-chart__bar"> per entry
 * of `bars` = [{label, value (number, or null when not published), text
 * (the value as shown, e.g. "×" for a hidden one)}], a zero-length bar for
 * a hidden value. `title` names the chart and `description` is its text
 * alternative (the svg is role="img", labelled by <title>, described by
 * <desc>).
 */
export function drawBarChart(container, options) {
  for (const c of drawn.keys()) if (!c.isConnected) drawn.delete(c);
  drawn.set(container, options);
  draw(container, options);
  if (resizeTimer === null) {
    resizeTimer = 0;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(redrawAll, 150);
    });
  }
}
