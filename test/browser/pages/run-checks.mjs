// Runs a table of shared checks (test/shared/*-checks.mjs) in the page and reports through
// window.__weftTest; ?only=<name> runs one check. `waitAsync` in the report says whether the page
// had Atomics.waitAsync (pages that load no-wait-async.js drop it with ?no-wait-async).
export async function runChecks(checks, context) {
  const only = new URLSearchParams(location.search).get('only');
  const log = document.getElementById('log');
  const results = {};
  for (const [name, check] of Object.entries(checks)) {
    if (only !== null && only !== name) continue;
    try {
      await check(context);
      results[name] = 'ok';
    } catch (error) {
      results[name] = `${error?.name}: ${error?.message}`;
    }
    log.textContent += `${name}: ${results[name]}\n`;
  }
  const failed = Object.entries(results).filter(([, r]) => r !== 'ok');
  window.__weftTest = {
    ok: failed.length === 0,
    results,
    error: failed.map(([n, r]) => `${n}: ${r}`).join('; ') || undefined,
    waitAsync: typeof Atomics.waitAsync === 'function',
  };
}
