import { z } from 'zod';
import { doc } from './doc';

/** Where taskhub listens, keeps its data and who may call it. */
export const generalEnv = {
  PORT: z.coerce.number().int().min(0).max(65535).default(3000).meta(doc('general', 'port the API listens on')),
  HOST: z.string().default('0.0.0.0').meta(doc('general', 'address the API binds to')),
  DATA_DIR: z
    .string()
    .default('./data')
    .meta(
      doc(
        'general',
        'directory of the embedded databases (`taskhub.sqlite`, and `temporal.sqlite` under `npm start`), `admin-token` and the default upload folder',
      ),
    ),
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\//, 'DATABASE_URL must look like mysql://user:pass@host:3306/db')
    .optional()
    .meta(
      doc('general', 'MySQL 8 or MariaDB database, `mysql://user:pass@host:3306/db`', {
        accepts: '`mysql://` URL',
        defaultText: 'embedded SQLite file `DATA_DIR/taskhub.sqlite`',
      }),
    ),
  ADMIN_TOKEN: z
    .string()
    .min(16, 'ADMIN_TOKEN must be at least 16 characters')
    .optional()
    .meta(
      doc('general', 'access token the root admin gets when it is created (first start only)', {
        defaultText: 'generated, printed once and saved to `DATA_DIR/admin-token`',
      }),
    ),
  SERVER_ADDRESS: z
    .string()
    .optional()
    .meta(
      doc('general', 'public base URL of this server; Midjourney image URLs are rewritten onto it', {
        accepts: 'URL',
        defaultText: '`http://localhost:$PORT`',
      }),
    ),
  CORS_ORIGINS: z
    .string()
    .default('*')
    .transform((raw) =>
      raw.trim() === '*'
        ? ('*' as const)
        : raw
            .split(',')
            .map((o) => o.trim().replace(/\/+$/, ''))
            .filter(Boolean),
    )
    .meta(
      doc(
        'general',
        'browser origins allowed to call every route (CORS): `*` for any, as new-api, or a comma-separated list such as `https://app.example,http://localhost:5173`',
        {
          accepts: '`*` or origins',
          defaultText: '`*` (any origin)',
        },
      ),
    ),
};
