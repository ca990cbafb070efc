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

/** Who made a request, as far as its route's access reveals. */
export interface Caller {
  user?: IUser;
  /** Set on relay routes: the key the request was made with. */
  token?: IToken;
}

/**
 * The caller a handler receives, narrowed by its route's access: a relay route always has
 * a user and the key used, a dashboard route a user, TikMatrix's local API a user only
 * when the request came from elsewhere (with an admin token), a public route nobody.
 */
export type CallerOf<A extends Access> = A extends 'relay'
  ? { user: IUser; token: IToken }
  : A extends 'user' | 'admin' | 'root'
    ? { user: IUser }
    : A extends 'local' | 'licensed'
      ? { user?: IUser }
      : Record<string, never>;

export interface HandlerInput<B, Q, P, A extends Access = Access> {
  body: B;
  query: Q;
  params: P;
  caller: CallerOf<A>;
  deps: AppDeps;
  ctx: Context;
}

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<
  B extends Schema | undefined = Schema | undefined,
  Q extends Schema | undefined = Schema | undefined,
  P extends Schema | undefined = Schema | undefined,
  A extends Access = Access,
> {
  method: 'get' | 'post' | 'put' | 'delete';
  /** Koa-style path, e.g. `/api/user/:id`. */
  path: string;
  family: Family;
  access: A;
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
  handler(input: HandlerInput<Out<B>, Out<Q>, Out<P>, A>): Promise<unknown>;
}

/** Identity function that keeps each route's schema types, and its access's caller, flowing into its handler. */
export function defineRoute<
  A extends Access,
  B extends Schema | undefined = undefined,
  Q extends Schema | undefined = undefined,
  P extends Schema | undefined = undefined,
>(spec: RouteSpec<B, Q, P, A>): RouteSpec {
  return spec as unknown as RouteSpec;
}
