import { User } from '../../db/entities';
import { createServices, type Services } from '../../services';
import { LEDGER_AUDIT_SCHEDULE_ID } from '../../domain';
import { ensureLedgerAuditSchedule } from '../../temporal/task-workflows/singletons';
import { createTestDatabase, DB_KINDS, type TestDatabase } from '../support/databases';
import { seedUser } from '../support/fixtures';
import { startTestWorker, type TestWorker } from '../support/temporal';

describe.each(DB_KINDS)('ledgerAudit workflow on the Temporal dev server (%s)', (kind) => {
  let db: TestDatabase;
  let services: Services;
  let w: TestWorker;

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    services = createServices(db.orm);
    w = await startTestWorker(services);
  });
  afterAll(async () => {
    await w?.stop();
    await db?.destroy();
  });

  const runAudit = () =>
    w.temporal.client.workflow.execute('ledgerAudit', { args: [100], taskQueue: w.taskQueue, workflowId: `ledger-audit-test-${kind}-${Date.now()}` });

  test('reports balanced books after charges and refunds', async () => {
    const user = await seedUser(db.orm, 1000);
    await services.ledger.charge({ userId: user.id, amount: 400, taskRef: `suno:audit-${kind}` });
    await services.ledger.refund(`suno:audit-${kind}`);

    await expect(runAudit()).resolves.toEqual({ balanced: true, drift: [] });
  });

  test('names the user whose balance was changed behind the ledger', async () => {
    const user = await seedUser(db.orm, 500);
    await db.orm.em.fork().nativeUpdate(User, { id: user.id }, { quota: 1500 });

    await expect(runAudit()).resolves.toEqual({
      balanced: false,
      drift: [{ userId: user.id, quota: 1500, ledgerBalance: 500, usedQuota: 0, ledgerUsed: 0 }],
    });
  });
});

describe('ledger audit schedule', () => {
  test('is created once however many workers start, with the configured cron', async () => {
    const db = await createTestDatabase('sqlite');
    const w = await startTestWorker(createServices(db.orm));
    try {
      const first = await ensureLedgerAuditSchedule(w.temporal.client, w.taskQueue, '5 * * * *');
      const second = await ensureLedgerAuditSchedule(w.temporal.client, w.taskQueue, '5 * * * *');
      const described = await w.temporal.client.schedule.getHandle(LEDGER_AUDIT_SCHEDULE_ID).describe();

      expect([first, second]).toEqual(['created', 'exists']);
      expect(described.spec.calendars?.[0]).toMatchObject({ minute: [{ start: 5, end: 5, step: 1 }] });
      expect(described.action).toMatchObject({ type: 'startWorkflow', workflowType: 'ledgerAudit', taskQueue: w.taskQueue });
      await w.temporal.client.schedule.getHandle(LEDGER_AUDIT_SCHEDULE_ID).delete();
    } finally {
      await w.stop();
      await db.destroy();
    }
  });
});
