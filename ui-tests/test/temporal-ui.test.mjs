// The operator's guide (docs/TEMPORAL_UI.md), done in the real Temporal Web UI (2.42.1) that
// `./herald dev` starts: find a subscription's retrying deliveries with the list query typed into
// the UI's query box, read one (summary, current details, attempt activities and timers, search
// attributes, the status query), send it retryNow from "Send a Signal" and watch it succeed, send
// cancel as a typed signal name, and Request Cancellation.
//
//   cd ui-tests && npm ci && npm test
//
// Environment: HERALD_UI_SCREENSHOTS (default ui-tests/screenshots), HERALD_UI_DOCS_IMAGES (a
// directory to copy the guide's screenshots into after a passing run, e.g. ../docs/images),
// HERALD_UI_CHROMIUM (default /usr/bin/chromium), HERALD_UI_KEEP_DATA=1 (keep herald dev's data
// directory), HERALD_API_PORT / HERALD_ADMIN_PORT / HERALD_TEMPORAL_PORT / HERALD_TEMPORAL_UI_PORT
// (default: free ports).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../lib/browser.mjs';
import { api, eventually, startHeraldDev } from '../lib/herald-dev.mjs';
import { startReceiver } from '../lib/receiver.mjs';
import {
  listedWorkflowIds,
  openMoreActions,
  openSignalDialog,
  openTab,
  readSearchAttributes,
  readUserMetadata,
  runQuery,
  searchUntilListed,
  submitSignal,
  uiVersion,
  workflowStatus,
} from '../lib/temporal-ui.mjs';

/** The UI release docs/TEMPORAL_UI.md was written against: the one in temporal CLI v1.5.1. */
/** The operator's guide's list query (docs/TEMPORAL_UI.md): a subscription's retrying deliveries. */
const guideQuery = (subscriptionId) =>
  `HeraldSubscriptionId = '${subscriptionId}' AND HeraldDeliveryStatus = 'retrying' AND ExecutionStatus = 'Running'`;

const DOCUMENTED_UI = '2.42.1';

const here = path.dirname(fileURLToPath(import.meta.url));
const screenshots = path.resolve(process.env.HERALD_UI_SCREENSHOTS || path.join(here, '..', 'screenshots'));
const docsImages = process.env.HERALD_UI_DOCS_IMAGES ? path.resolve(process.env.HERALD_UI_DOCS_IMAGES) : null;

/** The screenshots that illustrate docs/TEMPORAL_UI.md, copied by HERALD_UI_DOCS_IMAGES. */
const FOR_THE_GUIDE = [
  'temporal-ui-list-query.png',
  'temporal-ui-user-metadata.png',
  'temporal-ui-signal-dialog.png',
  'temporal-ui-completed.png',
];

const RETRYING_ATTEMPT_1 = /^attempt 1 of 3 failed: HTTP 503 in \d+ ms; next at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('the Temporal Web UI that ./herald dev starts, as docs/TEMPORAL_UI.md uses it', { timeout: 15 * 60_000 }, () => {
  let herald;
  let receiver;
  let browser;
  let page;
  let client;
  const s = {}; // what the steps share: subscriptions, deliveries
  let failed = null;

  const shot = async (name) => {
    fs.mkdirSync(screenshots, { recursive: true });
    await page.screenshot({ path: path.join(screenshots, name) });
  };

  /** Steps depend on each other: after a failure the rest are skipped, with a screenshot of where it stopped. */
  const step = (name, fn) =>
    it(name, async (t) => {
      if (failed) return t.skip(`an earlier step failed: ${failed}`);
      try {
        await fn(t);
      } catch (e) {
        failed = name;
        if (page) await shot(`failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`).catch(() => {});
        throw e;
      }
    });

  before(async () => {
    // Only what an earlier run left there: the directory may be one the caller keeps other files in.
    fs.mkdirSync(screenshots, { recursive: true });
    for (const f of fs.readdirSync(screenshots)) {
      if (f.endsWith('.png') || f === 'herald-dev.log') fs.rmSync(path.join(screenshots, f));
    }
    receiver = await startReceiver({ status: 204 });
    const t0 = Date.now();
    herald = await startHeraldDev({ logFile: path.join(screenshots, 'herald-dev.log') });
    console.log(`# herald dev up in ${((Date.now() - t0) / 1000).toFixed(1)} s: API ${herald.apiBase}, UI ${herald.uiBase}, data ${herald.dataDir}`);
    client = api(herald);
    browser = await launchBrowser();
    page = browser.page;

    // Two subscriptions to the same events, so that the query's subscription clause matters, and
    // a succeeded delivery for each, so that its status clause does.
    const sub = (name) =>
      client.post('/subscriptions', {
        name,
        url: `${receiver.url}/${name}`,
        events: ['order.*'],
        retrySchedule: [600, 600],
        // Warned at half of 6: the third failure is told, so the health workflow exists.
        disableAfter: { failures: 6, seconds: 86400 },
      });
    s.a = await sub('orders-a');
    s.b = await sub('orders-b');
    await client.post('/events', { id: 'evt_ui_refund_1', type: 'order.refunded', data: { orderId: '17' } });
    await eventually('the order.refunded deliveries succeed', async () => {
      const event = await client.get('/events/evt_ui_refund_1');
      return event.deliveries.length === 2 && event.deliveries.every((d) => d.status === 'succeeded');
    });

    receiver.answer(503);
    const deliveriesOf = {};
    for (const n of [1, 2, 3]) {
      await client.post('/events', { id: `evt_ui_paid_${n}`, type: 'order.paid', data: { orderId: String(980 + n), amount: 4200 } });
    }
    await eventually('the six order.paid deliveries are retrying', async () => {
      for (const n of [1, 2, 3]) {
        const event = await client.get(`/events/evt_ui_paid_${n}`);
        if (event.deliveries.length !== 2 || event.deliveries.some((d) => d.status !== 'retrying')) return false;
        for (const d of event.deliveries) (deliveriesOf[d.subscriptionId] ??= new Map()).set(d.id, d);
      }
      return true;
    });
    s.retryingA = [...deliveriesOf[s.a.id].values()];
    s.retryingB = [...deliveriesOf[s.b.id].values()];
  });

  after(async () => {
    await browser?.close();
    const t0 = Date.now();
    await herald?.stop();
    if (herald) console.log(`# herald dev stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await receiver?.close();
    if (herald && !process.env.HERALD_UI_KEEP_DATA) herald.removeData();
    if (browser?.refused.length) console.log(`# refused ${browser.refused.length} non-loopback requests, e.g. ${browser.refused[0]}`);
    if (failed && herald) console.log(`# herald dev's log: ${herald.logFile}`);
    if (!failed && docsImages && FOR_THE_GUIDE.every((f) => fs.existsSync(path.join(screenshots, f)))) {
      fs.mkdirSync(docsImages, { recursive: true });
      for (const name of FOR_THE_GUIDE) fs.copyFileSync(path.join(screenshots, name), path.join(docsImages, name));
      console.log(`# copied ${FOR_THE_GUIDE.length} screenshots to ${docsImages}`);
    }
  });

  step("the query box lists exactly the subscription's retrying deliveries", async () => {
    // As an operator gets there: the UI's address, then Workflows in the navigation bar.
    await page.goto(herald.uiBase);
    await page.getByRole('link', { name: 'Workflows', exact: true }).filter({ visible: true }).first().click();
    await page.waitForURL(/\/namespaces\/default\/workflows/);
    await page.getByTestId('namespace-switcher').filter({ visible: true }).first().waitFor();
    assert.equal(await page.getByTestId('namespace-switcher').filter({ visible: true }).first().inputValue(), 'default');
    const version = await eventually('the UI shows its version', () => uiVersion(page), { seconds: 10 });
    assert.equal(version, DOCUMENTED_UI,
      `the UI is ${version}; docs/TEMPORAL_UI.md describes ${DOCUMENTED_UI}: check the guide against it, then change DOCUMENTED_UI`);
    await page.getByTestId('toggle-manual-query').filter({ visible: true }).hover();
    await page.getByText('View raw query').filter({ visible: true }).waitFor();

    const query = guideQuery(s.a.id);
    const expected = s.retryingA.map((d) => d.workflowId);
    const shown = await searchUntilListed(page, herald.uiBase, query, expected);
    assert.deepEqual(shown, [...expected].sort());
    // The UI turns the query into one filter chip per clause, and keeps it in the address.
    assert.equal(new URL(page.url()).searchParams.get('query'), query);
    const chip = (re) => page.locator('button').filter({ hasText: re, visible: true }).first().waitFor();
    await chip(new RegExp(`HeraldSubscriptionId\\s*=\\s*"${s.a.id}"`));
    await chip(/HeraldDeliveryStatus\s*=\s*"retrying"/);
    await chip(/ExecutionStatus\s*=\s*Running/);
    await page.getByText('3 Workflows').first().waitFor();
    await shot('temporal-ui-list-query.png');

    // Without the status clause the subscription's succeeded delivery is listed too, and so is its
    // health workflow (which carries HeraldSubscriptionId but no HeraldDeliveryStatus); without the
    // subscription clause the other subscription's retrying deliveries are.
    const refund = (await client.get('/events/evt_ui_refund_1')).deliveries;
    await searchUntilListed(page, herald.uiBase, `HeraldSubscriptionId = '${s.a.id}'`, [
      ...expected,
      ...refund.filter((d) => d.subscriptionId === s.a.id).map((d) => d.workflowId),
      `subscription-health-${s.a.id}`,
    ]);
    await searchUntilListed(page, herald.uiBase, `HeraldDeliveryStatus = 'retrying'`,
      [...expected, ...s.retryingB.map((d) => d.workflowId)]);
  });

  step('a delivery shows its summary, current details, attempt activity and backoff timer under User Metadata', async () => {
    s.target = s.retryingA[0];
    await searchUntilListed(page, herald.uiBase, guideQuery(s.a.id), s.retryingA.map((d) => d.workflowId));
    await page.getByRole('link', { name: s.target.workflowId, exact: true }).first().click();
    await page.waitForURL(new RegExp(`/workflows/${s.target.workflowId}/[^/]+/history`));
    assert.equal(await workflowStatus(page), 'Running');

    const meta = await readUserMetadata(page);
    assert.equal(meta.summary, `order.paid → ${receiver.url}/orders-a (${s.a.id})`);
    assert.match(meta.currentDetails, RETRYING_ATTEMPT_1);
    assert.equal(meta.details, '', 'Herald sets no static details ("No details available")');
    assert.deepEqual(meta.events.map((e) => e.kind), ['Local Activity', 'Timer']);
    // The attempt is a local activity: the UI lists its marker with its summary and gives it no
    // state of its own ("Unspecified"); its result is on the History tab.
    assert.deepEqual(meta.events[0], { kind: 'Local Activity', summary: 'attempt 1 of 3', state: 'Unspecified' });
    assert.match(meta.events[1].summary, /^backoff before attempt 2 \(\d+ s\)$/);
    assert.equal(meta.events[1].state, 'Started');
    await shot('temporal-ui-user-metadata.png');

    // The same summaries label the History tab's timeline and event list, where the attempt's
    // Marker Recorded row shows its result.
    await openTab(page, 'History');
    // The event list shows the attempt's row as Local Activity with its type and summary; a click
    // opens it, showing the attempt's result.
    await page.getByRole('row').filter({ hasText: 'Local Activity' }).first().click();
    await eventually('the opened row shows the attempt\'s result', async () =>
      /"result": \{\s*"payloads": \[\s*\{\s*"outcome": "FAILED",\s*"statusCode": 503/.test(
        await page.locator('main').innerText()), { seconds: 15 });
    await shot('temporal-ui-attempt-result.png');
    await page.getByText(/^backoff before attempt 2 \(\d+ s\)$/).first().waitFor();
    await page.getByText('attempt 1 of 3', { exact: true }).first().waitFor();
    await page.getByText(meta.summary, { exact: true }).first().waitFor();
  });

  step('its search attributes and its status query', async () => {
    const attributes = await readSearchAttributes(page);
    assert.equal(attributes.HeraldSubscriptionId, s.a.id);
    assert.equal(attributes.HeraldDeliveryStatus, 'retrying');
    assert.equal(attributes.HeraldEventType, 'order.paid');
    assert.equal(attributes.HeraldAttempts, 1);
    assert.match(attributes.HeraldTenantId, /^ten_/);
    await shot('temporal-ui-search-attributes.png');

    const status = await runQuery(page, 'status');
    assert.equal(status.status, 'retrying');
    assert.equal(status.attempts, 1);
    assert.equal(status.maxAttempts, 3);
    assert.match(status.lastAttempt, /^HTTP 503 in \d+ ms$/);
    assert.ok(status.nextAttemptAtMillis > Date.now() + 60_000, 'the next attempt is minutes away');
    await shot('temporal-ui-status-query.png');
  });

  step('retryNow chosen in Send a Signal makes attempt 2 now, and the delivery succeeds', async () => {
    receiver.answer(204);
    assert.deepEqual(await openMoreActions(page),
      ['Reset', 'Send a Signal', 'Send an Update', 'Terminate', 'Start Workflow Like This One']);
    assert.ok(await page.getByRole('button', { name: 'Request Cancellation' }).filter({ visible: true }).isVisible());
    const { submit, options } = await openSignalDialog(page, 'retryNow');
    assert.deepEqual(options.filter((o) => !/^\d+$/.test(o)).map((o) => o.split('\n')[0]), ['cancel', 'retryNow', 'slotFree', 'Custom'],
      'the dialog lists the signals Herald declares, then Custom');
    await shot('temporal-ui-signal-dialog.png');
    await submitSignal(page, submit);

    const arrived = await eventually('attempt 2 arrives at the receiver', () =>
      receiver.forDelivery(s.target.id).find((r) => r.headers['herald-attempt'] === '2'));
    assert.equal(arrived.answered, 204);
    assert.equal(arrived.headers['webhook-id'], s.target.eventId);
    const delivery = await eventually('the API records the delivery succeeded', async () => {
      const d = await client.get(`/deliveries/${s.target.id}`);
      return d.status === 'succeeded' ? d : null;
    });
    assert.equal(delivery.attemptCount, 2);
    assert.deepEqual(delivery.attempts.map((a) => a.statusCode), [503, 204]);
  });

  step('after a reload the workflow is Completed and its search attributes say succeeded', async () => {
    await eventually('the page shows Completed', async () => {
      await page.reload();
      await page.getByText('Back to Workflows').first().waitFor();
      return (await workflowStatus(page)) === 'Completed';
    }, { seconds: 20, intervalMs: 1000 });
    const meta = await readUserMetadata(page);
    assert.match(meta.currentDetails, /^attempt 2 of 3 succeeded: HTTP 204 in \d+ ms$/);
    assert.deepEqual(meta.events.map((e) => [e.kind, e.state]),
      [['Local Activity', 'Unspecified'], ['Timer', 'Canceled'], ['Local Activity', 'Unspecified']]);
    assert.equal(meta.events[2].summary, 'attempt 2 of 3');
    await shot('temporal-ui-completed.png');
    // A closed workflow offers Reset where a running one offered Request Cancellation.
    assert.ok(await page.getByRole('button', { name: 'Reset', exact: true }).filter({ visible: true }).isVisible());
    const attributes = await readSearchAttributes(page);
    assert.equal(attributes.HeraldDeliveryStatus, 'succeeded');
    assert.equal(attributes.HeraldAttempts, 2);
  });

  step('cancel typed as a Custom signal name: no further attempt, recorded cancelled', async () => {
    receiver.answer(503);
    const target = s.retryingA[1];
    await page.goto(`${herald.uiBase}/namespaces/default/workflows/${target.workflowId}`);
    await page.getByText('Back to Workflows').first().waitFor();
    const { submit } = await openSignalDialog(page, 'cancel', { custom: true });
    await shot('temporal-ui-signal-custom.png');
    await submitSignal(page, submit);
    const delivery = await eventually('the API records the delivery cancelled', async () => {
      const d = await client.get(`/deliveries/${target.id}`);
      return d.status === 'cancelled' ? d : null;
    });
    assert.equal(delivery.attemptCount, 1);
    assert.equal(receiver.forDelivery(target.id).length, 1, 'nothing more was sent');
    const shown = await eventually('the page shows the workflow closed', async () => {
      await page.reload();
      await page.getByText('Back to Workflows').first().waitFor();
      const status = await workflowStatus(page);
      return status !== 'Running' ? status : null;
    }, { seconds: 20, intervalMs: 1000 });
    assert.equal(shown, 'Completed', 'the workflow returns normally after recording cancelled');
  });

  step('Request Cancellation: recorded cancelled', async () => {
    const target = s.retryingA[2];
    await page.goto(`${herald.uiBase}/namespaces/default/workflows/${target.workflowId}`);
    await page.getByText('Back to Workflows').first().waitFor();
    await page.getByRole('button', { name: 'Request Cancellation' }).filter({ visible: true }).click();
    await page.getByText('Are you sure you want to cancel this workflow?').filter({ visible: true }).waitFor();
    await page.getByTestId('confirm-modal-button').filter({ visible: true }).click();
    const delivery = await eventually('the API records the delivery cancelled', async () => {
      const d = await client.get(`/deliveries/${target.id}`);
      return d.status === 'cancelled' ? d : null;
    });
    assert.equal(delivery.attemptCount, 1);
    const shown = await eventually('the page shows the workflow closed', async () => {
      await page.reload();
      await page.getByText('Back to Workflows').first().waitFor();
      const status = await workflowStatus(page);
      return status !== 'Running' ? status : null;
    }, { seconds: 20, intervalMs: 1000 });
    assert.equal(shown, 'Canceled');
  });

  step('the list query now finds none of the subscription retrying; the other subscription is untouched', async () => {
    await searchUntilListed(page, herald.uiBase, guideQuery(s.a.id), []);
    await searchUntilListed(page, herald.uiBase,
      `HeraldSubscriptionId = '${s.a.id}' AND HeraldDeliveryStatus = 'cancelled'`, [s.retryingA[1].workflowId, s.retryingA[2].workflowId]);
    await searchUntilListed(page, herald.uiBase, guideQuery(s.b.id), s.retryingB.map((d) => d.workflowId));
    assert.deepEqual(await listedWorkflowIds(page), s.retryingB.map((d) => d.workflowId).sort());
    for (const d of s.retryingB) assert.equal((await client.get(`/deliveries/${d.id}`)).status, 'retrying');
  });
});
