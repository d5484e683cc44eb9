'use strict';
// Collects one row per measured figure, prints it as it arrives, and renders the final markdown
// table (workload | MyFSIO | baseline | ratio | target | pass).
const { fmt } = require('./stats');

/** "1,234 ops/s (p50 1.2 ms, p99 9.8 ms)" for a closedLoop result; `unit` is 'ops' or 'MiB'. */
function describeLoop(r, unit) {
  const rate = unit === 'MiB' ? `${fmt(r.mibPerSec)} MiB/s` : `${fmt(r.opsPerSec)} ops/s`;
  const errors = r.errors > 0 ? `, ${r.errors} errors` : '';
  return `${rate} (p50 ${fmt(r.p50)} ms, p99 ${fmt(r.p99)} ms${errors})`;
}

/** One markdown table cell: a single line, pipes escaped, long error texts cut. */
function cellText(value) {
  const text = String(value ?? '—')
    .replace(/\s+/g, ' ')
    .replace(/\|/g, '\\|');
  return text.length > 240 ? `${text.slice(0, 237)}...` : text;
}

class Report {
  constructor() {
    this.rows = [];
    this.notes = [];
  }

  /**
   * Adds a row: { workload, myfsio, baseline, ratio (number or text), target, pass (true, false
   * or null when there is no target or the figure is not available) }.
   */
  add(row) {
    this.rows.push(row);
    const ratio = typeof row.ratio === 'number' ? `${fmt(row.ratio)}×` : (row.ratio ?? '—');
    const verdict = row.pass === null || row.pass === undefined ? '' : row.pass ? '  PASS' : '  FAIL';
    console.log(`  ${row.workload}`);
    console.log(`      MyFSIO   ${row.myfsio}`);
    console.log(`      baseline ${row.baseline ?? '—'}`);
    console.log(`      ratio ${ratio}   target ${row.target ?? '—'}${verdict}`);
  }

  /** A line printed under the table (warnings such as a scaled-down workload). */
  note(text) {
    this.notes.push(text);
    console.log(`  note: ${text}`);
  }

  table() {
    const lines = [
      '| workload | MyFSIO | baseline | ratio | target | pass |',
      '|---|---|---|---|---|---|',
      ...this.rows.map((r) => {
        const ratio = typeof r.ratio === 'number' ? `${fmt(r.ratio)}×` : (r.ratio ?? '—');
        const pass = r.pass === null || r.pass === undefined ? '—' : r.pass ? 'yes' : '**no**';
        const cells = [r.workload, r.myfsio, r.baseline, ratio, r.target, pass].map(cellText);
        return `| ${cells.join(' | ')} |`;
      }),
    ];
    return lines.join('\n');
  }

  failed() {
    return this.rows.filter((r) => r.pass === false).length;
  }
}

module.exports = { Report, describeLoop };
