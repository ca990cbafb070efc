import { IsolationLevel } from '@mikro-orm/core';
import { MySqlDriver } from '@mikro-orm/mysql';
import type { Em } from './orm';

/**
 * A transaction for the writes that move rows and their counters together, at READ COMMITTED on
 * MySQL. Under InnoDB's default REPEATABLE READ, the update of one task by its unique id also
 * locks the gap before it, so a concurrent insert of a new task whose id sorts into that gap
 * waits on it, and with the ledger's and counters' row locks in between, a burst of submits
 * against projection writes deadlocked faster than retries could clear (seen at 32 submits at a
 * time against 8,000 in-flight tasks). Nothing here needs a repeatable snapshot: every write is
 * guarded by its own WHERE (sequence, balance) and rows are locked by a write before they are
 * read. SQLite serialises writers anyway and takes no isolation level.
 */
export function writeTransaction<T>(em: Em, work: (tx: Em) => Promise<T>): Promise<T> {
  const mysql = em.config.get('driver') === MySqlDriver;
  return em.transactional((tx) => work(tx as Em), mysql ? { isolationLevel: IsolationLevel.READ_COMMITTED } : {});
}
