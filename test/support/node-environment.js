// Jest 30 routes process.getBuiltinModule through its registry, which strips the
// "node:" prefix; "sqlite" only exists as "node:sqlite", so MikroORM's
// NodeSqliteDialect would get undefined. Serve the host's module for that one id.
const { TestEnvironment } = require('jest-environment-node');
const hostSqlite = require('node:sqlite');

class TaskhubEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    const proc = this.global.process;
    let jestLookup = proc.getBuiltinModule;
    Object.defineProperty(proc, 'getBuiltinModule', {
      configurable: true,
      get: () => (id) => (id === 'node:sqlite' ? hostSqlite : jestLookup(id)),
      set: (fn) => {
        jestLookup = fn;
      },
    });
  }
}
module.exports = TaskhubEnvironment;
