/** docker-compose.yml: scaling, healthchecks and start-up order. */

import vm from 'node:vm';
import { parseDurationSeconds, parsePortSpec, envOf, dependsOf, argv, services, serviceNames, LONG_RUNNING_TASKHUB, ONE_SHOT, LONG_RUNNING } from './support';

describe('docker-compose.yml: scaling', () => {
  it.each(LONG_RUNNING_TASKHUB)('%s can be scaled: no container_name/hostname, no single fixed host port', (name) => {
    const service = services[name];
    expect(service.container_name).toBeUndefined();
    expect(service.hostname).toBeUndefined();
    for (const port of service.ports ?? []) {
      expect(typeof port).toBe('string');
      const spec = parsePortSpec(port as string)!;
      if (spec.host) expect(spec.host[1] - spec.host[0] + 1).toBeGreaterThanOrEqual(3);
    }
  });

  it('publishes the API on a host port range and the worker not at all', () => {
    const api = services['taskhub-api'].ports!.map((p) => parsePortSpec(p as string)!);
    expect(api).toEqual([{ ip: undefined, host: [3000, 3009], container: [3000, 3000], protocol: 'tcp' }]);
    expect(services['taskhub-worker'].ports).toBeUndefined();
  });

  it('never publishes the same host port twice', () => {
    const taken = new Map<string, string>();
    for (const name of serviceNames) {
      for (const port of services[name].ports ?? []) {
        const spec = parsePortSpec(String(port))!;
        if (!spec.host) continue;
        for (let p = spec.host[0]; p <= spec.host[1]; p++) {
          const key = `${p}/${spec.protocol}`;
          expect({ port: key, owner: taken.get(key) ?? name }).toEqual({ port: key, owner: name });
          taken.set(key, name);
        }
      }
    }
    expect(taken.size).toBeGreaterThan(0);
  });

  it('gives the API and worker more stop time than their own drain windows', () => {
    const api = services['taskhub-api'];
    const worker = services['taskhub-worker'];
    const apiStop = parseDurationSeconds(api.stop_grace_period!);
    const workerStop = parseDurationSeconds(worker.stop_grace_period!);
    expect(apiStop).toBeGreaterThanOrEqual(30);
    expect(workerStop).toBeGreaterThanOrEqual(60);
    expect(apiStop).toBeGreaterThan(Number(envOf(api).SHUTDOWN_GRACE_SECONDS));
    expect(workerStop).toBeGreaterThan(Number(envOf(worker).SHUTDOWN_GRACE_SECONDS));
  });
});

describe('docker-compose.yml: health and start-up order', () => {
  it('classifies services: three one-shot steps, the rest long-running', () => {
    expect(ONE_SHOT.sort()).toEqual(['taskhub-migrate', 'temporal-admin-tools', 'temporal-setup']);
    for (const name of LONG_RUNNING) expect({ name, restart: services[name].restart }).toEqual({ name, restart: 'unless-stopped' });
  });

  it.each(LONG_RUNNING)('long-running service %s has a healthcheck', (name) => {
    const hc = services[name].healthcheck;
    expect(hc?.disable).not.toBe(true);
    expect(argv(hc?.test)[0]).toMatch(/^CMD(-SHELL)?$/);
    for (const key of ['interval', 'timeout', 'start_period'] as const) expect(parseDurationSeconds(hc![key]!)).toBeGreaterThan(0);
    expect(hc!.retries).toBeGreaterThan(0);
  });

  it('checks the API over HTTP with node (no curl in the image), on the port it listens on', () => {
    const test = argv(services['taskhub-api'].healthcheck!.test);
    expect(test.slice(0, 3)).toEqual(['CMD', 'node', '-e']);
    const port = envOf(services['taskhub-api']).PORT;
    expect(test[3]).toContain(`http://127.0.0.1:${port}/healthz`);
    expect(() => new vm.Script(test[3])).not.toThrow();
  });

  it('checks the worker with dist/worker/healthcheck.js', () => {
    expect(argv(services['taskhub-worker'].healthcheck!.test)).toEqual(['CMD', 'node', 'dist/worker/healthcheck.js']);
  });

  it('depends only on declared services, without cycles', () => {
    for (const name of serviceNames) {
      for (const dep of Object.keys(dependsOf(services[name]))) {
        expect({ name, dep, known: serviceNames.includes(dep) && dep !== name }).toEqual({ name, dep, known: true });
      }
    }
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (name: string, trail: string[]): void => {
      if (state.get(name) === 'done') return;
      if (state.get(name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, name].join(' -> ')}`);
      state.set(name, 'visiting');
      for (const dep of Object.keys(dependsOf(services[name]))) visit(dep, [...trail, name]);
      state.set(name, 'done');
    };
    for (const name of serviceNames) visit(name, []);
    expect(state.size).toBe(serviceNames.length);
  });

  it('waits for one-shot steps with service_completed_successfully and for servers with service_healthy', () => {
    const awaited = new Set<string>();
    for (const name of serviceNames) {
      for (const [dep, condition] of Object.entries(dependsOf(services[name]))) {
        const expected = ONE_SHOT.includes(dep) ? 'service_completed_successfully' : 'service_healthy';
        expect({ name, dep, condition }).toEqual({ name, dep, condition: expected });
        if (ONE_SHOT.includes(dep)) awaited.add(dep);
      }
    }
    // Every one-shot step gates something, so a failed step stops the start-up.
    expect([...awaited].sort()).toEqual([...ONE_SHOT].sort());
    for (const name of ONE_SHOT) expect(services[name].healthcheck).toBeUndefined();
  });

  it('orders the start-up: schema before server, cluster setup and migrations before the API and worker', () => {
    expect(dependsOf(services['temporal-admin-tools'])).toEqual({ mysql: 'service_healthy' });
    expect(dependsOf(services.temporal)).toMatchObject({ 'temporal-admin-tools': 'service_completed_successfully' });
    expect(dependsOf(services['temporal-setup'])).toEqual({ temporal: 'service_healthy' });
    expect(dependsOf(services['taskhub-migrate'])).toEqual({ mysql: 'service_healthy' });
    for (const name of LONG_RUNNING_TASKHUB) {
      expect(dependsOf(services[name])).toEqual({
        'taskhub-migrate': 'service_completed_successfully',
        temporal: 'service_healthy',
        'temporal-setup': 'service_completed_successfully',
      });
    }
  });

  it('serves the Temporal UI on host port 8080 against temporal:7233', () => {
    const ui = services['temporal-ui'];
    const ports = (ui.ports ?? []).map((p) => parsePortSpec(String(p))!);
    expect(ports).toEqual([expect.objectContaining({ host: [8080, 8080], container: [8080, 8080] })]);
    const env = envOf(ui);
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(new URL(env.TEMPORAL_CORS_ORIGINS).origin).toBe('http://localhost:8080');
    expect(argv(ui.healthcheck?.test).join(' ')).toContain('/healthz');
  });
});
