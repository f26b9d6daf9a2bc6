// A small chart of render time (bars) and speedup over one thread (line) against thread count.

/**
 * Draws `points` ({ threads, ms }, any order) on `canvas`. With `cores`, the ideal speedup stops
 * rising there (more threads than cores only take turns) and a dashed line marks it.
 */
export function drawChart(canvas, points, { cores = Infinity } = {}) {
  const context = canvas.getContext('2d');
  const { width, height } = canvas;
  context.clearRect(0, 0, width, height);
  context.font = '12px system-ui, sans-serif';
  const sorted = [...points].sort((a, b) => a.threads - b.threads);
  if (sorted.length === 0) return;
  const left = 40;
  const right = 40;
  const top = 20;
  const bottom = 30;
  const plotWidth = width - left - right;
  const plotHeight = height - top - bottom;
  const maxThreads = Math.max(...sorted.map((p) => p.threads));
  const maxMs = Math.max(...sorted.map((p) => p.ms));
  const single = sorted.find((p) => p.threads === 1)?.ms;
  const maxSpeedup = Math.max(Math.min(maxThreads, cores), 1);
  const x = (threads) => left + ((threads - 0.5) / maxThreads) * plotWidth;
  const barWidth = (plotWidth / maxThreads) * 0.6;

  context.fillStyle = '#9bb7e0';
  for (const p of sorted) {
    const h = (p.ms / maxMs) * plotHeight;
    context.fillRect(x(p.threads) - barWidth / 2, top + plotHeight - h, barWidth, h);
  }
  context.fillStyle = '#222';
  context.textAlign = 'center';
  for (const p of sorted) context.fillText(String(p.threads), x(p.threads), height - 12);
  context.fillText('threads', left + plotWidth / 2, height - 1);
  context.textAlign = 'left';
  context.fillText(`ms (bars, max ${maxMs.toFixed(0)})`, 2, 12);
  if (single === undefined) return;
  context.textAlign = 'right';
  context.fillStyle = '#c0392b';
  context.fillText(`speedup (line, up to ${maxSpeedup}×)`, width - 2, 12);
  context.strokeStyle = '#c0392b';
  context.setLineDash([4, 4]);
  context.beginPath();
  context.moveTo(x(1), top + plotHeight - plotHeight / maxSpeedup);
  context.lineTo(x(Math.min(maxThreads, cores)), top);
  context.lineTo(x(maxThreads), top);
  context.stroke(); // ideal: linear speedup up to one thread per core, flat beyond
  if (cores < maxThreads) {
    const between = (x(cores) + x(cores + 1)) / 2;
    context.strokeStyle = '#8a5a00';
    context.beginPath();
    context.moveTo(between, top);
    context.lineTo(between, top + plotHeight);
    context.stroke();
    context.fillStyle = '#8a5a00';
    context.textAlign = 'left';
    context.fillText('more threads than cores', between + 3, top + 12);
    context.strokeStyle = '#c0392b';
    context.fillStyle = '#c0392b';
  }
  context.setLineDash([]);
  context.lineWidth = 2;
  context.beginPath();
  sorted.forEach((p, i) => {
    const y = top + plotHeight - ((single / p.ms) / maxSpeedup) * plotHeight;
    if (i === 0) context.moveTo(x(p.threads), y);
    else context.lineTo(x(p.threads), y);
  });
  context.stroke();
  context.lineWidth = 1;
}
