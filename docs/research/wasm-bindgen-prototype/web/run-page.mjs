// node run-page.mjs URL  → prints window.__result
import { chromium } from '/work/main/node_modules/playwright-core/index.mjs';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage();
page.on('console', (m) => console.error('[console]', m.text()));
page.on('pageerror', (e) => console.error('[pageerror]', e.message));
await page.goto(process.argv[2]);
const r = await page.waitForFunction(() => window.__result, null, { timeout: Number(process.env.T || 60000) }).then((h) => h.jsonValue(), (e) => ({ timeout: e.message }));
console.log(JSON.stringify(r, null, 1));
await browser.close();
