import type { FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { Token, TokenStatus, User, UserStatus, type IToken, type IUser } from '../db/entities';
import { digestSecret, maskKey, newApiKey, sameDigest } from '../lib/credentials';
import { ForbiddenError, NotFoundError, UnauthorizedError } from '../lib/errors';
import { nowSeconds } from '../domain';
import { containsPattern, pageOf, type Page, type PageRequest } from './paging';

export interface TokenInput {
  name: string;
  remainQuota?: number;
  unlimitedQuota?: boolean;
  expiredTime?: number;
}

export interface TokenUpdate extends Partial<TokenInput> {
  id: number;
  status?: number;
}

export interface RelayIdentity {
  token: IToken;
  user: IUser;
}

export type Tokens = ReturnType<typeof createTokens>;

/** `sk-` relay keys. Each belongs to one user and can cap what it spends. */
export function createTokens(orm: Orm) {
  const fork = () => orm.em.fork() as Em;

  async function create(userId: number, input: TokenInput): Promise<{ token: IToken; key: string }> {
    const key = newApiKey();
    const em = fork();
    const now = nowSeconds();
    const token = em.create(Token, {
      userId,
      name: input.name,
      keyDigest: digestSecret(key),
      keyHint: maskKey(key),
      remainQuota: input.remainQuota ?? 0,
      unlimitedQuota: input.unlimitedQuota ?? false,
      expiredTime: input.expiredTime ?? -1,
      createdTime: now,
      accessedTime: now,
    });
    await em.flush();
    return { token, key };
  }

  async function get(userId: number, id: number): Promise<IToken> {
    const token = await fork().findOne(Token, { id, userId });
    if (!token) throw new NotFoundError('token not found');
    return token;
  }

  async function list(userId: number, keyword: string | undefined, page: PageRequest): Promise<Page<IToken>> {
    const where: FilterQuery<IToken> = { userId };
    if (keyword) where.name = { $like: containsPattern(keyword) };
    const [items, total] = await fork().findAndCount(Token, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return pageOf(items, total, page);
  }

  async function update(userId: number, input: TokenUpdate): Promise<IToken> {
    const em = fork();
    const token = await em.findOne(Token, { id: input.id, userId });
    if (!token) throw new NotFoundError('token not found');
    if (input.name !== undefined) token.name = input.name;
    if (input.remainQuota !== undefined) token.remainQuota = input.remainQuota;
    if (input.unlimitedQuota !== undefined) token.unlimitedQuota = input.unlimitedQuota;
    if (input.expiredTime !== undefined) token.expiredTime = input.expiredTime;
    if (input.status !== undefined) token.status = input.status;
    await em.flush();
    return token;
  }

  async function remove(userId: number, id: number): Promise<void> {
    const deleted = await fork().nativeDelete(Token, { id, userId });
    if (deleted !== 1) throw new NotFoundError('token not found');
  }

  /** Resolves a relay key to its owner, refusing disabled, expired or exhausted keys. */
  async function authenticate(key: string): Promise<RelayIdentity> {
    const digest = digestSecret(key);
    const em = fork();
    const token = await em.findOne(Token, { keyDigest: digest });
    if (!token || !sameDigest(token.keyDigest, digest)) throw new UnauthorizedError('invalid API key');
    if (token.status !== TokenStatus.enabled) throw new UnauthorizedError('API key is disabled');
    if (token.expiredTime !== -1 && token.expiredTime <= nowSeconds()) throw new UnauthorizedError('API key has expired');
    if (!token.unlimitedQuota && token.remainQuota <= 0) throw new ForbiddenError('API key quota is used up');
    const user = await em.findOne(User, { id: token.userId });
    if (!user || user.status !== UserStatus.enabled) throw new ForbiddenError('user is disabled');
    return { token, user };
  }

  return { create, get, list, update, remove, authenticate };
}
