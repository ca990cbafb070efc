import { QuotaEntry, Token, User } from '../../db/entities';
import type { Em } from '../../db/orm';
import { InsufficientQuotaError } from '../../lib/errors';
import { createLedger, type Ledger } from '../../services/ledger';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';
import { seedToken, seedUser } from '../support/fixtures';

describe.each(DB_KINDS)('quota ledger on %s', (kind) => {
  let db: TestDatabase;
  let ledger: Ledger;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    ledger = createLedger(db.orm);
  });
  afterAll(() => db?.destroy());

  const fork = () => db.orm.em.fork() as Em;
  const userRow = (id: number) => fork().findOneOrFail(User, { id }, { disableIdentityMap: true });
  const tokenRow = (id: number) => fork().findOneOrFail(Token, { id }, { disableIdentityMap: true });
  const entriesFor = (taskRef: string) => fork().find(QuotaEntry, { taskRef }, { orderBy: { id: 'asc' } });

  test('a charge debits the user and the key it was made with, and records the balance after it', async () => {
    const user = await seedUser(db.orm, 1000);
    const { token } = await seedToken(db.orm, user.id, { remainQuota: 500 });

    const result = await ledger.charge({ userId: user.id, tokenId: token.id, amount: 300, taskRef: 'suno:t-basic' });

    expect(result.applied).toBe(true);
    expect(result.entry).toMatchObject({ kind: 'charge', amount: -300, balanceAfter: 700, userId: user.id, tokenId: token.id });
    expect(await userRow(user.id)).toMatchObject({ quota: 700, usedQuota: 300, requestCount: 1 });
    expect(await tokenRow(token.id)).toMatchObject({ remainQuota: 200, usedQuota: 300 });
    expect(await ledger.audit()).toEqual([]);
  });

  test('replaying a charge for the same task moves nothing and returns the first entry', async () => {
    const user = await seedUser(db.orm, 1000);
    const first = await ledger.charge({ userId: user.id, amount: 100, taskRef: 'suno:t-replay' });
    const again = await ledger.charge({ userId: user.id, amount: 100, taskRef: 'suno:t-replay' });

    expect(again).toEqual({ applied: false, entry: expect.objectContaining({ id: first.entry!.id }) });
    expect((await userRow(user.id)).quota).toBe(900);
    expect(await entriesFor('suno:t-replay')).toHaveLength(1);
  });

  test('twenty concurrent charges for one task charge it exactly once', async () => {
    const user = await seedUser(db.orm, 1000);
    const results = await Promise.all(Array.from({ length: 20 }, () => ledger.charge({ userId: user.id, amount: 50, taskRef: 'suno:t-race' })));

    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(new Set(results.map((r) => r.entry!.id)).size).toBe(1);
    expect((await userRow(user.id)).quota).toBe(950);
    expect(await ledger.audit()).toEqual([]);
  });

  test('concurrent charges for different tasks never overdraw the balance', async () => {
    const user = await seedUser(db.orm, 1000);
    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, (_, i) => ledger.charge({ userId: user.id, amount: 100, taskRef: `suno:t-overdraw-${i}` })),
    );

    const ok = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(5);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(InsufficientQuotaError);
    expect(await userRow(user.id)).toMatchObject({ quota: 0, usedQuota: 1000 });
    expect(await ledger.audit()).toEqual([]);
  });

  test('a key without enough quota refuses the charge and leaves the user untouched', async () => {
    const user = await seedUser(db.orm, 1000);
    const { token } = await seedToken(db.orm, user.id, { remainQuota: 10 });

    await expect(ledger.charge({ userId: user.id, tokenId: token.id, amount: 50, taskRef: 'suno:t-key-short' })).rejects.toBeInstanceOf(InsufficientQuotaError);
    expect((await userRow(user.id)).quota).toBe(1000);
    expect(await entriesFor('suno:t-key-short')).toHaveLength(0);
  });

  test('an unlimited key only tracks usage', async () => {
    const user = await seedUser(db.orm, 1000);
    const { token } = await seedToken(db.orm, user.id, { unlimited: true });
    await ledger.charge({ userId: user.id, tokenId: token.id, amount: 400, taskRef: 'suno:t-unlimited' });
    expect(await tokenRow(token.id)).toMatchObject({ remainQuota: -400, usedQuota: 400 });
  });

  test('concurrent refunds give the charge back once, to the user and to the key, and reverse used quota', async () => {
    const user = await seedUser(db.orm, 1000);
    const { token } = await seedToken(db.orm, user.id, { remainQuota: 1000 });
    await ledger.charge({ userId: user.id, tokenId: token.id, amount: 250, taskRef: 'mj:t-refund' });

    const results = await Promise.all(Array.from({ length: 10 }, () => ledger.refund('mj:t-refund', 'upstream failed')));

    expect(results.filter((r) => r.applied)).toHaveLength(1);
    expect(await userRow(user.id)).toMatchObject({ quota: 1000, usedQuota: 0 });
    expect(await tokenRow(token.id)).toMatchObject({ remainQuota: 1000, usedQuota: 0 });
    expect((await entriesFor('mj:t-refund')).map((e) => [e.kind, e.amount])).toEqual([
      ['charge', -250],
      ['refund', 250],
    ]);
    expect(await ledger.audit()).toEqual([]);
  });

  test('refunding a task that was never charged does nothing', async () => {
    expect(await ledger.refund('suno:never-charged')).toEqual({ applied: false, entry: null });
    expect(await entriesFor('suno:never-charged')).toHaveLength(0);
  });

  test('setting a balance records the difference as an adjustment, even against concurrent charges', async () => {
    const user = await seedUser(db.orm, 1000);
    await Promise.all([
      fork().transactional((em) => ledger.setQuotaIn(em as Em, user.id, 5000, `adjust:test:${user.id}`, 'admin set')),
      ledger.charge({ userId: user.id, amount: 100, taskRef: `suno:t-set-${user.id}` }),
    ]);
    const after = await userRow(user.id);
    // Whichever ran first, the adjustment is computed from the balance it locked.
    expect([4900, 5000]).toContain(after.quota);
    expect(await ledger.audit()).toEqual([]);
  });

  test('the audit reports a balance changed behind the ledger', async () => {
    const user = await seedUser(db.orm, 300);
    await fork().nativeUpdate(User, { id: user.id }, { quota: 999 });

    expect(await ledger.audit()).toEqual([{ userId: user.id, quota: 999, ledgerBalance: 300, usedQuota: 0, ledgerUsed: 0 }]);
    await fork().nativeUpdate(User, { id: user.id }, { quota: 300 });
  });
});
