import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchImage } from '../../../services/media/image-fetch';
import { closeImageAgents } from '../../../services/media/image-target';
import { collect, failure, options, PNG, servePng } from './upstream';

jest.setTimeout(10_000);

/** An upstream on every loopback address, noting which local address each request arrived on and how many connections it took. */
async function loopbackUpstream(handler: (res: http.ServerResponse) => void = servePng) {
  const seen: { local: string; connection: number }[] = [];
  let connections = 0;
  const server = http.createServer((req, res) => {
    seen.push({ local: req.socket.localAddress ?? '', connection: (req.socket as unknown as { n: number }).n });
    handler(res);
  });
  server.on('connection', (socket) => Object.assign(socket, { n: ++connections }));
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

afterEach(closeImageAgents);

describe('fetchImage keeps upstream connections alive without loosening the address pin', () => {
  test('consecutive images from one vetted address share one connection', async () => {
    const up = await loopbackUpstream();
    try {
      const opts = options({ trustedHosts: [`img.test:${up.port}`], lookup: async () => [{ address: '127.0.0.1', family: 4 }] });
      for (let i = 0; i < 3; i++) expect((await collect((await fetchImage(`http://img.test:${up.port}/a.png`, opts)).body)).equals(PNG)).toBe(true);
      expect(up.seen.map((s) => s.connection)).toEqual([1, 1, 1]);
    } finally {
      await up.close();
    }
  });

  test('a host that now resolves to another address gets a new connection to that address, never the old socket', async () => {
    const up = await loopbackUpstream();
    try {
      let answer = '127.0.0.1';
      const opts = options({ trustedHosts: [`img.test:${up.port}`], lookup: async () => [{ address: answer, family: 4 }] });
      await collect((await fetchImage(`http://img.test:${up.port}/a.png`, opts)).body);
      answer = '127.0.0.2';
      await collect((await fetchImage(`http://img.test:${up.port}/a.png`, opts)).body);
      expect(up.seen).toEqual([
        { local: '127.0.0.1', connection: 1 },
        { local: '127.0.0.2', connection: 2 },
      ]);
    } finally {
      await up.close();
    }
  });

  test('a refused body (too large) closes its connection instead of returning it to the pool', async () => {
    const up = await loopbackUpstream((res) => {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.write(PNG);
      res.end(PNG);
    });
    try {
      const opts = options({ trustedHosts: [`img.test:${up.port}`], lookup: async () => [{ address: '127.0.0.1', family: 4 }], maxBytes: PNG.length + 10 });
      expect((await failure(collect((await fetchImage(`http://img.test:${up.port}/a.png`, opts)).body))).kind).toBe('too_large');
      await collect((await fetchImage(`http://img.test:${up.port}/a.png`, { ...opts, maxBytes: 1_000_000 })).body);
      expect(up.seen.map((s) => s.connection)).toEqual([1, 2]);
    } finally {
      await up.close();
    }
  });
});
