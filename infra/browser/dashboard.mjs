// Drives the admin dashboard in headless Chromium as an admin would, and prints what the
// page showed as JSON on stdout. The assertions live in infra/local/tests/dashboard.rs,
// which starts the local platform, generates the searches, runs this and compares what the
// page showed with the admin API's own figures.
//
//   node infra/browser/dashboard.mjs BASE_URL EMAIL PASSWORD DOWNLOAD_DIR
//
// Chromium is Debian's (/usr/bin/chromium, or $CHROMIUM); infra/scripts/test.sh installs it.
import { chromium } from "playwright-core";
import { readFile } from "node:fs/promises";
import path from "node:path";

const [base, email, password, downloads] = process.argv.slice(2);
const origin = new URL(base).origin;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  // This machine has no internet access: without these Chromium keeps trying to reach
  // Google's services in the background (the flags are the workplace's known-good set).
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});
const out = { foreign_requests: [], console_errors: [], failed_requests: [] };
try {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  page.on("request", (r) => {
    const u = new URL(r.url());
    if (!["data:", "blob:"].includes(u.protocol) && u.origin !== origin) out.foreign_requests.push(r.url());
  });
  page.on("requestfailed", (r) => out.failed_requests.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("console", (m) => { if (m.type() === "error") out.console_errors.push(`${m.text()} (${m.location().url})`); });
  page.on("pageerror", (e) => out.console_errors.push(String(e)));
  // The page's timers run on a clock the test moves, so "every 5 minutes" takes no time.
  await page.clock.install();

  await page.goto(`${base}/api/v1/admin/dashboard`);
  await page.fill("#email", email);
  await page.fill("#password", password);
  await page.click("#login button[type=submit]");
  await page.waitForSelector('#updated[data-loads="1"]', { timeout: 30000 });

  const read = () => page.evaluate(() => {
    const all = (s) => [...document.querySelectorAll(s)];
    const figure = (name) => Number(document.querySelector(`[data-figure="${name}"]`).dataset.value);
    return {
      days: Number(document.body.dataset.days),
      headline: { total_searches: figure("total_searches"), unique_users: figure("unique_users"),
        unique_guests: figure("unique_guests"), zero_result_rate: figure("zero_result_rate") },
      bars: all("#chart g[data-date]").map((g) => ({ date: g.dataset.date, searches: Number(g.dataset.searches),
        zero: Number(g.dataset.zero), height: Number(g.querySelector("rect").getAttribute("height")) })),
      popular: all("#popular tbody tr[data-query]").map((r) => ({ query: r.dataset.query, searches: Number(r.dataset.searches),
        shown: r.cells[0].textContent })),
      zero: all("#zero tbody tr[data-query]").map((r) => ({ query: r.dataset.query, searches: Number(r.dataset.searches) })),
      funnel: Object.fromEntries(all("#funnel-rows [data-step]").map((r) => [r.dataset.step, Number(r.dataset.value)])),
      queues: all("#queues tbody tr[data-queue]").map((r) => ({ name: r.dataset.queue, waiting: Number(r.dataset.waiting),
        dead: Number(r.dataset.dead) })),
      queue_status: document.querySelector("#queue-status").dataset.status || null,
      load_errors: all("#app .load-error").map((e) => e.textContent).filter((t) => t.trim()),
      chart_visible: document.querySelector("#chart").getBoundingClientRect().height > 0,
    };
  });
  out.first = await read();

  // A CSV download: a real file, named by the server.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click('button[data-report="popular-queries"]')]);
  const file = path.join(downloads, download.suggestedFilename());
  await download.saveAs(file);
  out.csv = { filename: download.suggestedFilename(), text: await readFile(file, "utf8") };

  // The 7-day range.
  await page.click('button[data-days="7"]');
  await page.waitForSelector('#updated[data-loads="2"]', { timeout: 30000 });
  out.week = await read();

  // It refreshes itself every five minutes, and not sooner.
  // (Counted when a load starts, which the timer does synchronously; loads finish later.)
  await page.clock.runFor("04:50");
  out.loads_before_five_minutes = Number(await page.getAttribute("#updated", "data-started"));
  await page.clock.runFor("00:15");
  await page.waitForSelector('#updated[data-loads="3"]', { timeout: 30000 });
  out.loads_after_five_minutes = Number(await page.getAttribute("#updated", "data-loads"));

  // After a reload the session is still there (the tab keeps its tokens); signing out ends it.
  await page.reload();
  await page.waitForSelector('#updated[data-loads="1"]', { timeout: 30000 });
  out.reload_kept_session = await page.isVisible("#app");
  await page.click("#signout");
  await page.waitForSelector("#login", { state: "visible" });
  out.signed_out = !(await page.isVisible("#app"));
} finally {
  await browser.close();
}
process.stdout.write(JSON.stringify(out));
