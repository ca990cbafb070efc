import { inflateSync } from 'node:zlib';
import { buildPng, PNG_SIGNATURE } from './index';
import { useSimulator } from './test-helpers';

describe('midjourney simulator (fake clock)', () => {
  const ctx = useSimulator();
  const { fetchTask, finishedImagine } = ctx.client;

  test('the served PNG is structurally valid: IHDR first, IDAT inflates to the declared size, IEND last', () => {
    const png = buildPng(3 * 1024 * 1024 + 17);
    expect(png.length).toBe(3 * 1024 * 1024 + 17);
    const chunks: { type: string; data: Buffer }[] = [];
    for (let off = 8, i = 0; off < png.length && i < 100; i++) {
      const len = png.readUInt32BE(off);
      chunks.push({ type: png.toString('latin1', off + 4, off + 8), data: png.subarray(off + 8, off + 8 + len) });
      off += 12 + len;
    }
    expect(chunks.map((c) => c.type)).toEqual(['IHDR', 'IDAT', 'tEXt', 'IEND']);
    const width = chunks[0]!.data.readUInt32BE(0);
    const height = chunks[0]!.data.readUInt32BE(4);
    expect(inflateSync(chunks[1]!.data).length).toBe(height * (width + 1));
    expect(buildPng(64).subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('image-bytes 404s for unknown tasks and can be slowed down', async () => {
    expect((await fetch(`${ctx.sim.url}/mj/image-bytes/123.png`)).status).toBe(404);
    const t = await finishedImagine();
    ctx.sim.setImage({ delayMs: 200, chunkDelayMs: 5, bytes: 256 * 1024 });
    const started = Date.now();
    const res = await fetch(t.imageUrl!);
    const body = Buffer.from(await res.arrayBuffer());
    expect(Date.now() - started).toBeGreaterThanOrEqual(190 + 3 * 5);
    expect(body.length).toBe(256 * 1024);
    expect(body.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  });

  test('huge mode streams a declared multi-GiB PNG that a size-limited client can abort', async () => {
    const t = await finishedImagine();
    const huge = 4 * 1024 * 1024 * 1024;
    ctx.sim.setImage({ hugeBytes: huge });
    const ac = new AbortController();
    const res = await fetch(t.imageUrl!, { signal: ac.signal });
    expect(res.headers.get('content-length')).toBe(String(huge));
    const reader = res.body!.getReader();
    let received = 0;
    let first: Uint8Array | undefined;
    for (let i = 0; i < 10_000 && received < 2 * 1024 * 1024; i++) {
      const { value, done } = await reader.read();
      if (done) break;
      first ??= value;
      received += value.length;
    }
    ac.abort();
    expect(received).toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(Buffer.from(first!.subarray(0, 8)).equals(PNG_SIGNATURE)).toBe(true);

    ctx.sim.setImage({ hugeBytes: 3 * 1024 * 1024, omitContentLength: true });
    const chunked = await fetch(t.imageUrl!);
    expect(chunked.headers.get('content-length')).toBeNull();
    expect(chunked.headers.get('transfer-encoding')).toBe('chunked');
    expect((await chunked.arrayBuffer()).byteLength).toBe(3 * 1024 * 1024);
    // The aborted 4 GiB transfer stopped at the client's limit instead of being pushed (or buffered) in full.
    expect(ctx.sim.stats().imageBytesSent).toBeLessThan(256 * 1024 * 1024);
    // The server is still healthy after the aborted transfer.
    expect((await fetchTask(t.id)).status).toBe('SUCCESS');
  });
});
