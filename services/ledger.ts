import { LockMode, raw, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { QuotaEntry, Token, User, type IQuotaEntry, type QuotaEntryKind } from '../db/entities';
import { chargeKey, nowSeconds, refundKey } from '../domain';
import { InsufficientQuotaError, NotFoundError, ValidationError } from '../lib/errors';
import { writeTransaction } from '../db/write-transaction';

export interface LedgerResult {
  /** false when the same idempotency key had already been applied: nothing moved this time. */
  applied: boolean;
  entry: IQuotaEntry | null;
}

export interface ChargeInput {
  userId: number;
  tokenId?: number | null;
  amount: number;
  /** Stable id of what is being paid for, e.g. `suno:task_abc`. One charge and one refund each. */
  taskRef: string;
  remark?: string;
}

export interface CreditInput {
  userId: number;
  delta: number;
  kind: Extract<QuotaEntryKind, 'topup' | 'adjustment'>;
  idemKey: string;
  remark?: string;
}

export interface LedgerDrift {
  userId: number;
  quota: number;
  ledgerBalance: number;
  usedQuota: number;
  ledgerUsed: number;
}

export type Ledger = ReturnType<typeof createLedger>;

/**
 * Every movement of quota is a row in `quota_entries` written in the same
 * transaction as the balance update it explains. The unique `idem_key` turns a
 * replayed charge or refund (activity retry, crash, race between workers) into
 * a no-op that returns the first entry, so money is never moved twice.
 */
export function createLedger(orm: Orm) {
  const findEntry = (em: Em, idemKey: string) => em.findOne(QuotaEntry, { idemKey }, { disableIdentityMap: true });

  /** Runs `work` in a transaction; a unique-key race with a concurrent twin resolves to the twin's entry. */
  async function once(idemKey: string, work: (em: Em) => Promise<IQuotaEntry | null>): Promise<LedgerResult> {
    const em = orm.em.fork() as Em;
    const existing = await findEntry(em, idemKey);
    if (existing) return { applied: false, entry: existing };
    try {
      const entry = await writeTransaction(em, work);
      return { applied: entry !== null, entry };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        const winner = await findEntry(orm.em.fork() as Em, idemKey);
        if (winner) return { applied: false, entry: winner };
      }
      throw err;
    }
  }

  async function append(em: Em, data: Omit<IQuotaEntry, 'id' | 'balanceAfter' | 'createdAt'>): Promise<IQuotaEntry> {
    const user = await em.findOneOrFail(User, { id: data.userId }, { fields: ['quota'], disableIdentityMap: true });
    const entry = em.create(QuotaEntry, { ...data, balanceAfter: user.quota, createdAt: Date.now() });
    await em.flush();
    return entry;
  }

  /**
   * Debits the user (and the key) inside the caller's transaction, so a charge
   * can commit atomically with what it pays for. Throws on insufficient quota;
   * a second charge for the same task fails on the unique key.
   */
  async function chargeIn(em: Em, input: ChargeInput): Promise<IQuotaEntry> {
    const { userId, amount, taskRef } = input;
    if (!Number.isSafeInteger(amount) || amount < 0) throw new ValidationError('charge amount must be a non-negative integer');
    const tokenId = input.tokenId ?? null;
    const debited = await em
      .createQueryBuilder(User)
      .update({ quota: raw('quota - ?', [amount]), usedQuota: raw('used_quota + ?', [amount]), requestCount: raw('request_count + 1') })
      .where({ id: userId, quota: { $gte: amount } })
      .execute('run');
    if (debited.affectedRows !== 1) throw new InsufficientQuotaError('user quota is not enough');
    if (tokenId !== null) {
      const tokenDebited = await em
        .createQueryBuilder(Token)
        .update({ remainQuota: raw('remain_quota - ?', [amount]), usedQuota: raw('used_quota + ?', [amount]), accessedTime: nowSeconds() })
        .where({ id: tokenId, $or: [{ unlimitedQuota: true }, { remainQuota: { $gte: amount } }] })
        .execute('run');
      if (tokenDebited.affectedRows !== 1) throw new InsufficientQuotaError('token quota is not enough');
    }
    return append(em, { userId, tokenId, kind: 'charge', amount: -amount, idemKey: chargeKey(taskRef), taskRef, remark: input.remark ?? '' });
  }

  function charge(input: ChargeInput): Promise<LedgerResult> {
    return once(chargeKey(input.taskRef), (em) => chargeIn(em, input));
  }

  /** Gives back exactly what `charge` took for `taskRef`, to the user and to the key it was charged on. */
  async function refund(taskRef: string, remark = ''): Promise<LedgerResult> {
    const charged = await findEntry(orm.em.fork() as Em, chargeKey(taskRef));
    if (!charged) return { applied: false, entry: null };
    const amount = -charged.amount;
    return once(refundKey(taskRef), async (em) => {
      await em
        .createQueryBuilder(User)
        .update({ quota: raw('quota + ?', [amount]), usedQuota: raw('used_quota - ?', [amount]) })
        .where({ id: charged.userId })
        .execute('run');
      if (charged.tokenId !== null) {
        // A deleted key simply has nothing to restore; the user's balance still is.
        await em
          .createQueryBuilder(Token)
          .update({ remainQuota: raw('remain_quota + ?', [amount]), usedQuota: raw('used_quota - ?', [amount]) })
          .where({ id: charged.tokenId })
          .execute('run');
      }
      return append(em, {
        userId: charged.userId,
        tokenId: charged.tokenId,
        kind: 'refund',
        amount,
        idemKey: refundKey(taskRef),
        taskRef,
        remark,
      });
    });
  }

  /** Top-ups and admin adjustments, inside a caller's transaction (user creation) or a new one. */
  async function creditIn(em: Em, input: CreditInput): Promise<IQuotaEntry | null> {
    if (input.delta === 0) return null;
    const moved = await em
      .createQueryBuilder(User)
      .update({ quota: raw('quota + ?', [input.delta]) })
      .where({ id: input.userId, quota: { $gte: -input.delta } })
      .execute('run');
    if (moved.affectedRows !== 1) throw new ValidationError('quota cannot become negative');
    return append(em, {
      userId: input.userId,
      tokenId: null,
      kind: input.kind,
      amount: input.delta,
      idemKey: input.idemKey,
      taskRef: null,
      remark: input.remark ?? '',
    });
  }

  function credit(input: CreditInput): Promise<LedgerResult> {
    if (!Number.isSafeInteger(input.delta)) throw new ValidationError('quota change must be an integer');
    return once(input.idemKey, (em) => creditIn(em, input));
  }

  /** Sets a balance the way new-api's admin form does, recorded as the difference. */
  async function setQuotaIn(em: Em, userId: number, target: number, idemKey: string, remark: string): Promise<IQuotaEntry | null> {
    const user = await em.findOne(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, disableIdentityMap: true });
    if (!user) throw new NotFoundError('user not found');
    return creditIn(em, { userId, delta: target - user.quota, kind: 'adjustment', idemKey, remark });
  }

  /** Users whose stored balance or used quota disagrees with their ledger. Empty means the books balance. */
  async function audit(limit = 100): Promise<LedgerDrift[]> {
    const em = orm.em.fork() as Em;
    const rows = await em.getConnection().execute<Record<string, unknown>[]>(
      `select u.id as user_id, u.quota, u.used_quota,
              coalesce(sum(e.amount), 0) as ledger_balance,
              coalesce(sum(case when e.kind in ('charge', 'refund') then -e.amount else 0 end), 0) as ledger_used
         from users u left join quota_entries e on e.user_id = u.id
        group by u.id, u.quota, u.used_quota
       having u.quota <> coalesce(sum(e.amount), 0)
           or u.used_quota <> coalesce(sum(case when e.kind in ('charge', 'refund') then -e.amount else 0 end), 0)
        order by u.id
        limit ${Math.max(1, Math.floor(limit))}`,
    );
    return rows.map((r) => ({
      userId: Number(r.user_id),
      quota: Number(r.quota),
      ledgerBalance: Number(r.ledger_balance),
      usedQuota: Number(r.used_quota),
      ledgerUsed: Number(r.ledger_used),
    }));
  }

  return { charge, chargeIn, refund, credit, creditIn, setQuotaIn, audit };
}
