// Markdown tables with an optional ratio column against a named baseline row.

/** Format a number for a table cell: fixed digits, thousands kept readable. */
export function fmt(value, digits = 2) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint') return value.toString();
  if (!Number.isFinite(value)) return String(value);
  return value.toFixed(digits);
}

function escapeCell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/**
 * Build a markdown table.
 *
 * @param {object} spec
 * @param {string} [spec.title]     printed as a "### title" heading above the table
 * @param {string} [spec.nameLabel] header of the first column (row names)
 * @param {{key: string, label: string, digits?: number, format?: (v: any, row: object) => string}[]} spec.columns
 *        value columns (`format` overrides the default number formatting)
 * @param {{name: string, na?: string, [key: string]: any}[]} spec.rows
 *        a row with `na` set prints "n/a (reason)" instead of its values
 * @param {string} [spec.baseline]  name of the row the ratio column compares to
 * @param {string} [spec.ratioOf]   key of the value compared (default: first column's key)
 * @param {string} [spec.ratioLabel] header of the ratio column
 * @param {string[]} [spec.notes]   lines printed under the table
 * @returns {string}
 */
export function markdownTable({
  title,
  nameLabel = '',
  columns,
  rows,
  baseline,
  ratioOf = columns[0]?.key,
  ratioLabel,
  notes = [],
}) {
  const header = [nameLabel, ...columns.map((c) => c.label)];
  const align = ['---', ...columns.map(() => '---:')];
  const base = baseline === undefined ? undefined : rows.find((r) => r.name === baseline && !r.na);
  const withRatio = baseline !== undefined;
  if (withRatio) {
    header.push(ratioLabel ?? `× ${baseline}`);
    align.push('---:');
  }
  const lines = [];
  if (title) lines.push(`### ${title}`, '');
  lines.push(`| ${header.map(escapeCell).join(' | ')} |`);
  lines.push(`| ${align.join(' | ')} |`);
  for (const row of rows) {
    const cells = [row.name];
    if (row.na) {
      cells.push(`n/a (${row.na})`);
      for (let i = 1; i < columns.length; i++) cells.push('');
      if (withRatio) cells.push('');
    } else {
      for (const c of columns) cells.push(c.format ? c.format(row[c.key], row) : fmt(row[c.key], c.digits ?? 2));
      if (withRatio) {
        const v = row[ratioOf];
        const b = base?.[ratioOf];
        cells.push(typeof v === 'number' && typeof b === 'number' && b > 0 ? `${(v / b).toFixed(2)}×` : '–');
      }
    }
    lines.push(`| ${cells.map(escapeCell).join(' | ')} |`);
  }
  if (notes.length) lines.push('', ...notes);
  lines.push('');
  return lines.join('\n');
}

/** One-line reason for an error, for "n/a (reason)" cells. */
export function reason(err) {
  if (err === null || err === undefined) return 'unknown error';
  const msg = typeof err === 'object' && 'message' in err ? `${err.name && err.name !== 'Error' ? err.name + ': ' : ''}${err.message}` : String(err);
  const line = msg.split('\n')[0].trim();
  return line.length > 140 ? line.slice(0, 137) + '...' : line;
}
