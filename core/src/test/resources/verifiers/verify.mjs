// A receiver's verification, written the way platforms document it for Node (crypto.createHmac
// over the raw body, crypto.timingSafeEqual), so that SignatureSchemeTest can check Herald's
// signatures against code like the receivers' own.
//
//   node verify.mjs timestamped-hex <secret> <header value> <body file> <now unix seconds>
//   node verify.mjs hmac-sha256-hex <secret> <header value> <body file> <prefix>
//
// Exits 0 when the signature is valid, 1 with the reason otherwise.
import crypto from 'node:crypto';
import fs from 'node:fs';

const [scheme, secret, header, bodyFile, extra] = process.argv.slice(2);
const rawBody = fs.readFileSync(bodyFile);
const TOLERANCE_SECONDS = 300;

function safeEqualHex(expected, given) {
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function fail(reason) {
  console.log(reason);
  process.exit(1);
}

if (scheme === 'timestamped-hex') {
  // "t=1700000000,v1=abc…,v1=def…"
  const parts = header.split(',').map((p) => p.split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  const signatures = parts.filter(([k]) => k === 'v1').map(([, v]) => v);
  if (!t || signatures.length === 0) fail('malformed header');
  if (Math.abs(Number(extra) - Number(t)) > TOLERANCE_SECONDS) fail('timestamp outside the tolerance');
  const expected = crypto.createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  if (!signatures.some((s) => safeEqualHex(expected, s))) fail('no signature matches');
} else if (scheme === 'hmac-sha256-hex') {
  const prefix = extra ?? '';
  if (!header.startsWith(prefix)) fail('missing prefix');
  const expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
  if (!safeEqualHex(expected, header.slice(prefix.length))) fail('signature does not match');
} else {
  fail(`unknown scheme ${scheme}`);
}
console.log('valid');
