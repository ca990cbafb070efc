import { Client, Connection } from '@temporalio/client';
import { createOrm } from '../../db/orm';
import { unreachableService } from '../../api/middleware/outage';
import { freePort } from '../support/ports';

/** The errors a request meets when a backing service is down, made for real against a closed port. */
describe('an unreachable backing service is told apart from a bug', () => {
  test('a database that refuses connections is the database', async () => {
    const port = await freePort();
    const err = await (async () => {
      const orm = await createOrm({ kind: 'mysql', url: `mysql://root@127.0.0.1:${port}/nothing` });
      try {
        await orm.em.getConnection().execute('select 1');
      } finally {
        await orm.close(true).catch(() => undefined);
      }
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).not.toBeNull();
    expect(unreachableService(err)).toBe('database');
  });

  test('a Temporal frontend that does not answer is Temporal', async () => {
    // As a route meets it: a start on a connection made earlier (lazily here), without the SDK's
    // retries, which would only make the test wait for the same answer.
    const connection = Connection.lazy({ address: `127.0.0.1:${await freePort()}`, interceptors: [] });
    try {
      const err = await new Client({ connection }).workflow.start('sunoTask', { taskQueue: 'nowhere', workflowId: 'never-started' }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(unreachableService(err)).toBe('temporal');
    } finally {
      await connection.close();
    }
  });

  test('anything else is not an outage', () => {
    expect(unreachableService(new Error('boom'))).toBeNull();
    expect(unreachableService(Object.assign(new Error('duplicate'), { code: 'ER_DUP_ENTRY', errno: 1062, sqlState: '23000' }))).toBeNull();
    expect(unreachableService(undefined)).toBeNull();
  });
});
