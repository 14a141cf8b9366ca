// Drives cockpit-machines' page in headless chromium (playwright-core) the way a user does: the list of
// guests, a guest's details (overview, usage, VNC and serial console), start, shut down, force off.
// Each step prints "COCKPIT PASS: <step>"; the first failing step prints "COCKPIT FAIL: <step>: <why>"
// and exits 1. Console errors of the page are printed as "PAGE <type>: <text>" for the log.
// Usage: node machines-page.js PLAYWRIGHT_CORE_DIR CHROMIUM URL RUN_GUEST OTHER_GUEST
'use strict';
const [playwrightDir, chromiumPath, url, guest, other] = process.argv.slice(2);
const { chromium } = require(playwrightDir);

const STEP_MS = 90000; // TCG guests on shared cores: a boot or an ACPI shutdown takes tens of seconds

let current = 'start';
function pass(step) { console.log(`COCKPIT PASS: ${step}`); }
async function step(name, body) {
  current = name;
  await body();
  pass(name);
}

async function main() {
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1600 } });
    page.setDefaultTimeout(STEP_MS);
    page.on('console', m => { if (m.type() === 'error' || m.type() === 'warning') console.log(`PAGE ${m.type()}: ${m.text().slice(0, 400)}`); });
    page.on('pageerror', e => console.log(`PAGE exception: ${e.message}`));
    const id = name => `#vm-${name}-system`;
    const listState = name => page.locator(`${id(name)}-state`);
    const text = async (selector) => (await page.locator(selector).innerText()).trim();

    await step('the machines page loads', async () => {
      await page.goto(url);
      // Without /dev/kvm cockpit-machines first shows "Hardware virtualization is disabled" with an Ignore button.
      const ignore = page.locator('#ignore-hw-virtualization-disabled-btn');
      const listing = page.locator('#virtual-machines-listing');
      await ignore.or(listing).first().waitFor();
      if (await ignore.isVisible()) await ignore.click();
      await listing.waitFor();
    });
    await step(`the list shows ${guest} and ${other} shut off`, async () => {
      await page.locator(`${id(guest)}-name`).waitFor();
      await page.locator(`${id(other)}-name`).waitFor();
      await expectText(listState(guest), /^Shut off$/);
      await expectText(listState(other), /^Shut off$/);
    });
    await step(`Run in the list starts ${guest}`, async () => {
      await page.click(`${id(guest)}-run`);
      await expectText(listState(guest), /^Running$/);
    });
    await step(`the name opens ${guest}'s details`, async () => {
      await page.click(`${id(guest)}-name`);
      await page.locator(`#vm-${guest}-overview`).waitFor();
      await expectText(page.locator(`${id(guest)}-state`), /^Running$/);
      await expectText(page.locator(`#vm-${guest}-memory-count`), /^128(\.0)? MiB/);
      await expectText(page.locator(`#vm-${guest}-vcpus-count`), /^1/);
    });
    await step('the usage card shows memory and CPU use', async () => {
      const usage = page.locator(`#vm-${guest}-usage`);
      await expectText(usage, /Memory\s+[0-9.]+( [KMG]iB)? \/ 128 MiB/);
      await expectText(usage, /CPU\s+[0-9.]+% of 1 vCPU/);
      // The figures come from the guest's statistics, polled: a used memory above zero
      await waitUntil(async () => {
        const m = /Memory\s+([0-9.]+)( [KMG]iB)? \//.exec(await usage.innerText());
        return m && parseFloat(m[1]) > 0;
      }, 'a used memory above zero');
    });
    await step('the console card connects to the VNC display', async () => {
      const consoles = page.locator(`#vm-${guest}-consoles`);
      await expectText(consoles, /VNC console/);
      await consoles.locator('canvas').first().waitFor();
      await expectText(consoles, /Disconnect/);
    });
    await step('the serial console talks to the guest\'s shell', async () => {
      await page.click('#pf-c-console__type-selector');
      await page.locator('.pf-c-select__menu').getByText('Serial console').click();
      const consoles = page.locator(`#vm-${guest}-consoles`);
      await expectText(consoles, new RegExp(`Connected to domain '${guest}'`));
      const terminal = consoles.locator('.xterm');
      // The tiny guest runs a root shell on ttyS0: arithmetic it answers proves both directions
      await waitUntil(async () => {
        await terminal.click();
        await page.keyboard.type('echo cockpit-$((6*7))\n');
        return /cockpit-42/.test(await consoles.innerText());
      }, 'the guest to answer on its serial console', 3000,
      async () => `the console shows: ${JSON.stringify((await consoles.innerText()).slice(-600))}`);
    });
    await step(`Shut down stops ${guest}`, async () => {
      await page.click(`${id(guest)}-shutdown-button`);
      await expectText(page.locator(`${id(guest)}-state`), /^Shut off$/);
    });
    await step(`Run on the details page starts ${guest} again`, async () => {
      await page.click(`${id(guest)}-run`);
      await expectText(page.locator(`${id(guest)}-state`), /^Running$/);
    });
    await step(`Force turn off stops ${guest}`, async () => {
      await page.click(`${id(guest)}-action-kebab`);
      await page.click(`${id(guest)}-forceOff`);
      await expectText(page.locator(`${id(guest)}-state`), /^Shut off$/);
    });
  } finally {
    await browser.close();
  }
}

async function expectText(locator, pattern) {
  await waitUntil(async () => pattern.test((await locator.innerText()).trim()), `text matching ${pattern}`, 250,
    async () => `last text: ${JSON.stringify((await locator.innerText().catch(() => '')).trim().slice(0, 300))}`);
}

async function waitUntil(check, what, intervalMs = 250, detail = async () => '') {
  const deadline = Date.now() + STEP_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${STEP_MS / 1000} s waiting for ${what}; ${await detail()}`);
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

main().then(() => console.log('COCKPIT OK'), error => {
  console.log(`COCKPIT FAIL: ${current}: ${error.message.split('\n')[0]}`);
  process.exit(1);
});
