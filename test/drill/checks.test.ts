import { duplicateSubmits, type UpstreamJob } from '../../drill/support/checks';

const job = (prompt: string, at: number, wholeSeconds = false): UpstreamJob => ({ prompt, at, wholeSeconds });

/** The drill's one allowance on "no duplicate upstream submit": a submit a SIGKILLed worker was sending. */
describe('duplicate upstream submits in the drill', () => {
  const kill = 1_000_000;

  test('one job per prompt is no duplicate', () => {
    expect(duplicateSubmits([job('a', 1), job('b', 2)], [kill])).toEqual({ twice: [], explained: [], unexplained: [] });
  });

  test('a second copy whose first went out just before a worker was killed is explained', () => {
    const pair = [job('a', kill - 800), job('a', kill + 20_000)];
    const { explained, unexplained } = duplicateSubmits(pair, [kill]);
    expect(explained.map(([p]) => p)).toEqual(['a']);
    expect(unexplained).toEqual([]);
  });

  test('a first copy the simulator stamped just after the kill (the drill process read it late) is explained', () => {
    expect(duplicateSubmits([job('a', kill + 150), job('a', kill + 20_000)], [kill]).explained).toHaveLength(1);
    expect(duplicateSubmits([job('a', kill + 3_000), job('a', kill + 20_000)], [kill]).unexplained).toHaveLength(1);
  });

  test('Suno-API whole seconds get a second of slack', () => {
    expect(duplicateSubmits([job('s', kill + 1_900, true), job('s', kill + 30_000, true)], [kill]).explained).toHaveLength(1);
  });

  test('a duplicate far from any kill, with no kill at all, or in three copies is not explained', () => {
    expect(duplicateSubmits([job('a', kill - 60_000), job('a', kill)], [kill]).unexplained).toHaveLength(1);
    expect(duplicateSubmits([job('a', kill - 100), job('a', kill + 5)], []).unexplained).toHaveLength(1);
    expect(duplicateSubmits([job('a', kill - 100), job('a', kill + 5), job('a', kill + 9)], [kill]).unexplained).toHaveLength(1);
  });
});
