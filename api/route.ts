import type { Context } from 'koa';
import type { z } from 'zod';
import type { IToken, IUser } from '../db/entities';
import type { AppDeps } from './deps';
import type { Family } from './families';

/**
 * Who may call a route. Dashboard routes take a user's access token; relay
 * routes take an `sk-` key (Midjourney also via `mj-api-secret`). TikMatrix's local
 * API (`local`) is open to callers on this host (TIKMATRIX_API_ACCESS); `licensed` adds
 * the licence plan's gate (Starter → 40301).
 */
export type Access = 'public' | 'user' | 'admin' | 'root' | 'relay' | 'local' | 'licensed';

export interface Caller {
  user?: IUser;
  /** Set on relay routes: the key the request was made with. */
  token?: IToken;
}

export interface HandlerInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  caller: Caller;
  deps: AppDeps;
  ctx: Context;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  B extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  P extends Schema | undefined = Schema | undefined,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Koa-style path, e.g. `/api/user/:id`. */
  path: string;
  family: Family;
  access: Access;
  summary: string;
  tag: string;
  body?: B;
  query?: Q;
  params?: P;
  /** Schema of `data` inside the family's envelope, for the OpenAPI document. */
  response?: Schema;
  /** The handler writes `ctx.body` itself (health, metrics, streams): no envelope. */
  raw?: boolean;
  /** Media type of a raw route's 200 reply in the OpenAPI document (default application/json). */
  contentType?: string;
  handler(input: HandlerInput<Out<B>, Out<Q>, Out<P>>): Promise<unknown>;
}

/** Identity function that keeps each route's schema types flowing into its handler. */
export function defineRoute<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(
  spec: RouteSpec<B, Q, P>,
): RouteSpec {
  return spec as unknown as RouteSpec;
}
