import { Agent, request as httpRequest } from 'node:http';
import { buttonsFor, messageHash, parseCustomId, startMidjourneySimulator, type SubmitReply } from './index';

describe('midjourney simulator lifecycle', () => {
  test('stop() closes idle keep-alive and in-flight connections promptly, and the port stops accepting', async () => {
    const s = await startMidjourneySimulator({ stepMs: 0 });
    const agent = new Agent({ keepAlive: true, maxSockets: 4 });
    const get = (path: string) =>
      new Promise<{ status: number; body: Buffer }>((resolve, reject) => {
        const req = httpRequest(`${s.url}${path}`, { agent, headers: { 'mj-api-secret': s.secret } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const submitted = await fetch(`${s.url}/mj/submit/imagine`, {
        method: 'POST',
        headers: { 'mj-api-secret': s.secret, 'content-type': 'application/json' },
        body: JSON.stringify({ prompt: 'x' }),
      });
      const { result } = (await submitted.json()) as SubmitReply;
      expect((await get(`/mj/task/${result}/fetch`)).status).toBe(200);
      const idleSockets = Object.values(agent.freeSockets).flat();
      expect(idleSockets.length).toBe(1);
      const closed = new Promise<void>((resolve) => idleSockets[0]!.once('close', () => resolve()));

      s.setImage({ delayMs: 60_000 });
      const inFlight = get(`/mj/image-bytes/${result}.png`).then(
        () => 'answered',
        () => 'failed',
      );
      await new Promise((resolve) => setTimeout(resolve, 50));

      const started = Date.now();
      await s.stop();
      expect(Date.now() - started).toBeLessThan(1000);
      await closed;
      expect(await inFlight).toBe('failed');
      await expect(fetch(`${s.url}/__sim/stats`)).rejects.toThrow();
      await s.stop(); // idempotent
    } finally {
      agent.destroy();
      await s.stop();
    }
  });

  test('importing main.ts does not start a server', () => {
    const before = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    // A dynamic import() would need a ".js" suffix under node16 resolution; require is what CommonJS output does anyway.
    jest.isolateModules(() => require('./main'));
    const after = process.getActiveResourcesInfo().filter((r) => r === 'TCPServerWrap').length;
    expect(after).toBe(before);
  });

  test('every generated button customId parses back to its action', () => {
    const h = messageHash('1');
    const parsed = [...buttonsFor('grid', h), ...buttonsFor('single', h)].map((b) => {
      const p = parseCustomId(b.customId);
      return p && `${p.action}${p.modal ? '(modal)' : ''}`;
    });
    expect(parsed).toEqual([
      'UPSCALE',
      'UPSCALE',
      'UPSCALE',
      'UPSCALE',
      'REROLL',
      'VARIATION',
      'VARIATION',
      'VARIATION',
      'VARIATION',
      'UPSCALE',
      'UPSCALE',
      'VARIATION',
      'VARIATION',
      'INPAINT(modal)',
      'ZOOM',
      'ZOOM',
      'ZOOM(modal)',
      'PAN',
      'PAN',
      'PAN',
      'PAN',
    ]);
    expect(parseCustomId('MJ::JOB::upsample::9::abcdef12')).toBeNull();
    expect(parseCustomId('MJ::JOB::upsample::0::abcdef12')).toBeNull();
    expect(parseCustomId('MJ::JOB::dance::1::abcdef12')).toBeNull();
    expect(parseCustomId('garbage')).toBeNull();
  });
});
