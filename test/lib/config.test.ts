import path from 'node:path';
import { ConfigError, loadConfig } from '../../lib/config';

describe('configuration', () => {
  test('with nothing set: port 3000, embedded SQLite under ./data, embedded Temporal, Pro plan', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 3000,
      database: { kind: 'sqlite', file: path.resolve('data/taskhub.sqlite') },
      temporal: { address: undefined, namespace: 'default', taskQueue: 'taskhub' },
      serverAddress: 'http://localhost:3000',
      taskPollIntervalSeconds: 2,
      taskFallbackSeconds: 60,
      taskTimeoutMinutes: 1440,
      licensePlan: 'Pro',
    });
  });

  test('DATABASE_URL switches to MySQL and empty values count as unset', () => {
    const config = loadConfig({ DATABASE_URL: 'mysql://u:p@db:3306/taskhub', TEMPORAL_ADDRESS: '', SERVER_ADDRESS: 'https://hub.example/' });
    expect(config.database).toEqual({ kind: 'mysql', url: 'mysql://u:p@db:3306/taskhub' });
    expect(config.temporal.address).toBeUndefined();
    expect(config.serverAddress).toBe('https://hub.example');
  });

  test("CORS_ORIGINS is `*` (new-api's default) unless a comma-separated list of origins is given", () => {
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig({ CORS_ORIGINS: ' https://a.example/, http://localhost:5173 ' }).corsOrigins).toEqual(['https://a.example', 'http://localhost:5173']);
  });

  test('invalid values are all reported at once, by variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', LICENSE_PLAN: 'Gold', ADMIN_TOKEN: 'short' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'postgres://x', LICENSE_PLAN: 'Gold', ADMIN_TOKEN: 'short' });
    } catch (err) {
      expect(
        (err as Error).message
          .split('\n')
          .slice(1)
          .map((l) => l.trim().split(':')[0])
          .sort(),
      ).toEqual(['ADMIN_TOKEN', 'DATABASE_URL', 'LICENSE_PLAN', 'PORT']);
    }
  });
});
