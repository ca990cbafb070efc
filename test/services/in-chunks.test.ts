import { findInChunks } from '../../services/in-chunks';

describe('findInChunks', () => {
  test('runs one query per 500 distinct ids, in order, and joins their rows', async () => {
    const ids = [...Array.from({ length: 1_200 }, (_, i) => `id-${i}`), 'id-0', 'id-1'];
    const chunks: number[] = [];
    const rows = await findInChunks(ids, async (chunk) => {
      chunks.push(chunk.length);
      return chunk.filter((id) => id.endsWith('7'));
    });
    expect(chunks).toEqual([500, 500, 200]);
    expect(rows).toHaveLength(120);
    expect(await findInChunks([], async () => ['never'])).toEqual([]);
  });
});
