import type { RouteSpec } from '../../route';

/** new-api serves every Midjourney route at `/mj/…` and at `/:mode/mj/…` (mj-fast, mj-relax, mj-turbo or any other name). */
export function withModePrefix(spec: RouteSpec): RouteSpec[] {
  return [spec, { ...spec, path: `/:mode${spec.path}`, summary: `${spec.summary} (under a mode prefix such as mj-fast; the mode is not forwarded)` }];
}
