// A webhook endpoint on 127.0.0.1 that answers every request with the status it is told to
// (503 at first) and remembers what arrived.

import http from 'node:http';

export async function startReceiver({ status = 503 } = {}) {
  const requests = [];
  let current = status;
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const answered = current;
      requests.push({
        at: new Date().toISOString(),
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        answered,
      });
      res.writeHead(answered);
      res.end();
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    /** From now on every request is answered with this status. */
    answer(code) {
      current = code;
    },
    /** What arrived for one delivery, in order. */
    forDelivery(deliveryId) {
      return requests.filter((r) => r.headers['herald-delivery-id'] === deliveryId);
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(() => resolve());
    }),
  };
}
