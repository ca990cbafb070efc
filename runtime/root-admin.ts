import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { Services } from '../services';

/**
 * Makes sure the root admin exists. A generated token is shown once and kept in
 * DATA_DIR/admin-token (readable by the owner only) so a local operator can
 * find it again; with ADMIN_TOKEN set nothing is written.
 */
export async function ensureRootAdmin(config: Config, services: Services, log: Logger): Promise<{ token?: string; file?: string }> {
  const root = await services.users.ensureRoot(config.adminToken);
  const file = path.join(config.dataDir, 'admin-token');
  if (root.created && root.generated && root.accessToken) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `${root.accessToken}\n`, { mode: 0o600 });
    log.warn({ event: 'admin.created', file }, 'root admin created with a generated access token (shown once by the launcher; also saved to the file)');
    return { token: root.accessToken, file };
  }
  if (root.created) log.info({ event: 'admin.created' }, 'root admin created with ADMIN_TOKEN');
  return fs.existsSync(file) ? { file } : {};
}
