// What an operator does in the Temporal Web UI 2.42.1, as Playwright steps. The UI renders some
// controls twice (one copy hidden for narrow screens), so controls are always narrowed to the
// visible one.

import { eventually } from './herald-dev.mjs';

const visible = (locator) => locator.filter({ visible: true });

/** Workflows → the `</>` button ("Show raw query") → type the query → Search. */
export async function searchWorkflows(page, uiBase, query) {
  if (!new URL(page.url(), uiBase).pathname.endsWith('/namespaces/default/workflows')) {
    await page.goto(`${uiBase}/namespaces/default/workflows`);
  }
  const input = visible(page.getByTestId('manual-search-input'));
  if (!(await input.count())) {
    await visible(page.getByTestId('toggle-manual-query')).click();
  }
  await input.fill(query);
  await visible(page.getByTestId('manual-search-button')).click();
}

/** The workflow ids the list shows (the first link of each row). */
export function listedWorkflowIds(page) {
  return page.evaluate(() => {
    const ids = new Set();
    for (const a of document.querySelectorAll('a[href*="/workflows/"]')) {
      const m = /\/namespaces\/[^/]+\/workflows\/([^/]+)\/[^/]+\/history$/.exec(a.getAttribute('href') || '');
      if (m && a.innerText.trim() === decodeURIComponent(m[1]) && a.offsetParent) ids.add(decodeURIComponent(m[1]));
    }
    return [...ids].sort();
  });
}

/** Searches (again, the list is eventually consistent) until the list shows exactly `expected`. */
export async function searchUntilListed(page, uiBase, query, expected, seconds = 20) {
  const want = [...expected].sort();
  let shown = [];
  try {
    await eventually(`the list for ${query}`, async () => {
      await searchWorkflows(page, uiBase, query);
      await page.waitForTimeout(400);
      shown = await listedWorkflowIds(page);
      return JSON.stringify(shown) === JSON.stringify(want);
    }, { seconds, intervalMs: 600 });
  } catch (e) {
    throw new Error(`${e.message}\n  expected: ${want.join(', ') || '(none)'}\n  shown:    ${shown.join(', ') || '(none)'}`);
  }
  return shown;
}

/** One of the workflow page's tabs: History, Queries, User Metadata, Search Attributes, ... */
export async function openTab(page, name) {
  const tab = visible(page.locator(`a:has-text("${name}"), [role=tab]:has-text("${name}")`)).first();
  await tab.click();
}

/** The status badge next to the workflow id: Running, Completed, Canceled, ... */
export async function workflowStatus(page) {
  return eventually('the workflow page shows a status', async () => {
    const text = await page.locator('main').innerText();
    const m = /Back to Workflows\s*\n\s*(\S+)\s*\n/.exec(text);
    return m ? m[1] : null;
  }, { seconds: 15 });
}

/**
 * The User Metadata tab: the rendered Summary, Details and Current Details (each an iframe that
 * renders the markdown), and "Events with Metadata" as {kind, summary, state}.
 */
export async function readUserMetadata(page) {
  await openTab(page, 'User Metadata');
  await page.getByText('Events with Metadata').first().waitFor();
  // Which section heading each rendering iframe sits under, in document order.
  const sections = await page.evaluate(() => {
    const out = [];
    let heading = null;
    const walker = document.createTreeWalker(document.querySelector('main') || document.body, NodeFilter.SHOW_ELEMENT);
    for (let n = walker.currentNode; n; n = walker.nextNode()) {
      if (/^H[1-6]$/.test(n.tagName)) heading = n.innerText.trim();
      if (n.tagName === 'IFRAME' && n.title === 'output') out.push({ heading, src: n.getAttribute('src') });
    }
    return out;
  });
  const frames = page.locator('iframe[title=output]');
  const result = { summary: null, details: null, currentDetails: null, events: [] };
  for (let i = 0; i < sections.length; i++) {
    const text = (await frames.nth(i).contentFrame().locator('body').innerText()).trim();
    if (sections[i].heading === 'Summary') result.summary = text;
    else if (sections[i].heading === 'Details') result.details = text;
    else if (sections[i].heading === 'Current Details') result.currentDetails = text;
  }
  const main = await page.locator('main').innerText();
  const block = main.split('Events with Metadata')[1]?.split('Current Details')[0] ?? '';
  const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
  for (let i = 0; i < lines.length; i++) {
    if (['Activity', 'Local Activity', 'Timer'].includes(lines[i]) && i + 2 < lines.length) {
      result.events.push({ kind: lines[i], summary: lines[i + 1], state: lines[i + 2] });
      i += 2;
    }
  }
  if (result.details === null && /\nDetails\s*\n\s*No details available/.test(main)) result.details = '';
  return result;
}

/** The Search Attributes tab, parsed: {HeraldDeliveryStatus: ..., ...}. */
export async function readSearchAttributes(page) {
  await openTab(page, 'Search Attributes');
  const text = await eventually('the search attributes are shown', async () => {
    const t = await page.locator('main').innerText();
    return t.includes('indexedFields') ? t : null;
  }, { seconds: 10 });
  const json = text.slice(text.indexOf('{', text.lastIndexOf('Search Attributes')), text.lastIndexOf('}') + 1);
  return JSON.parse(json.replace(/⌄/g, '')).indexedFields;
}

/** Queries tab → Query Type → Run Query; the answer, parsed. */
export async function runQuery(page, queryType) {
  await openTab(page, 'Queries');
  await visible(page.getByTestId('query-select-button')).click();
  await visible(page.getByRole('option', { name: queryType, exact: true })).click();
  await visible(page.getByRole('button', { name: /Run Query|Refresh Query/ })).click();
  const text = await eventually(`the ${queryType} query answers`, async () => {
    const t = await page.locator('main').innerText();
    const after = t.split('JSON Formatting')[1] ?? '';
    return after.includes('}') ? after : null;
  }, { seconds: 10 });
  return JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1).replace(/⌄/g, ''));
}

/** The UI's version, as its navigation bar shows it (bottom left). */
export async function uiVersion(page) {
  const m = /Version\s*\n\s*(\d+\.\d+\.\d+)/.exec(await page.locator('body').innerText());
  return m?.[1] ?? null;
}

/** Opens the workflow page's More Actions menu and returns its items; the menu stays open. */
export async function openMoreActions(page) {
  await visible(page.getByRole('button', { name: 'More Actions' })).click();
  await visible(page.getByTestId('signal-button')).waitFor();
  return (await visible(page.getByRole('menuitem')).allInnerTexts()).map((t) => t.trim()).filter(Boolean);
}

/**
 * More Actions → Send a Signal → pick `name` from the list (the names Herald's worker declares),
 * or choose Custom and type it. Leaves the dialog open; returns its Submit button.
 */
export async function openSignalDialog(page, name, { custom = false } = {}) {
  if (!(await visible(page.getByTestId('signal-button')).count())) await openMoreActions(page);
  await visible(page.getByTestId('signal-button')).click();
  await visible(page.getByTestId('signal-select-button')).click();
  await visible(page.getByRole('option', { name: /^Custom/ })).waitFor();
  const options = await visible(page.getByRole('option')).allInnerTexts();
  if (custom) {
    await visible(page.getByRole('option', { name: /^Custom/ })).click();
    await visible(page.getByTestId('signal-name')).fill(name);
  } else {
    await visible(page.getByRole('option', { name, exact: true })).click();
    await eventually(`the dialog shows ${name} chosen`, async () =>
      (await visible(page.getByTestId('signal-select')).inputValue()) === name, { seconds: 5 });
  }
  const submit = visible(page.getByTestId('confirm-modal-button'));
  // The list closes with an animation; Submit is enabled once a name is chosen.
  await eventually('the dialog is ready to submit', async () =>
    (await submit.isEnabled()) && (await visible(page.getByRole('option', { name: /^Custom/ })).count()) === 0, { seconds: 5 });
  await page.waitForTimeout(300);
  return { submit, options };
}

/** Submits the open dialog and waits for the UI's "Workflow signaled." notice. */
export async function submitSignal(page, submit) {
  await submit.click();
  await visible(page.getByText('Workflow signaled.')).first().waitFor();
}
