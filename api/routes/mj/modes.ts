import type { RouteSpec } from '../../route';

/** new-api serves every Midjourney route at `/mj/…` and at `/:mode/mj/…` (mj-fast, mj-relax, mj-turbo). */
export function withModePrefix(spec: RouteSpec): RouteSpec[] {
  return [spec, { ...spec, path: `/:mode${spec.path}`, summary: `${spec.summary} (mode prefix: mj-fast, mj-relax or mj-turbo)` }];
}
