import type { Em, Orm } from '../../db/orm';
import { Role, Token, User, type IUser } from '../../db/entities';
import { digestSecret, maskKey, newApiKey } from '../../lib/credentials';
import { createLedger } from '../../services/ledger';

let seq = 0;

/** A user with `quota` credited through the ledger, as the API would do it. */
export async function seedUser(orm: Orm, quota = 0, role: number = Role.user): Promise<IUser> {
  const em = orm.em.fork() as Em;
  const now = Math.floor(Date.now() / 1000);
  const user = em.create(User, {
    username: `u${process.pid}_${++seq}_${Math.random().toString(36).slice(2, 8)}`,
    passwordHash: 'x',
    role,
    createdTime: now,
    updatedTime: now,
  });
  await em.flush();
  if (quota) await createLedger(orm).credit({ userId: user.id, delta: quota, kind: 'topup', idemKey: `topup:seed:${user.id}` });
  return user;
}

export async function seedToken(orm: Orm, userId: number, opts: { remainQuota?: number; unlimited?: boolean } = {}) {
  const em = orm.em.fork() as Em;
  const key = newApiKey();
  const now = Math.floor(Date.now() / 1000);
  const token = em.create(Token, {
    userId,
    name: 'seed',
    keyDigest: digestSecret(key),
    keyHint: maskKey(key),
    remainQuota: opts.remainQuota ?? 0,
    unlimitedQuota: opts.unlimited ?? false,
    createdTime: now,
    accessedTime: now,
  });
  await em.flush();
  return { token, key };
}
