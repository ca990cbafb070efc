import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { Em, Orm } from '../db/orm';
import { Role, User, UserStatus, type IUser } from '../db/entities';
import { digestSecret, hashPassword, newAccessToken, sameDigest, verifyPassword } from '../lib/credentials';
import { ConflictError, ForbiddenError, NotFoundError, UnauthorizedError } from '../lib/errors';
import { nowSeconds } from '../domain';
import type { Ledger } from './ledger';
import { containsPattern, pageOf, type Page, type PageRequest } from './paging';

export interface CreateUserInput {
  username: string;
  password: string;
  displayName?: string;
  quota?: number;
  role?: number;
}

export interface UpdateUserInput {
  id: number;
  displayName?: string;
  password?: string;
  quota?: number;
  role?: number;
  status?: number;
}

export interface UserFilter {
  keyword?: string;
  role?: number;
  status?: number;
}

export type Users = ReturnType<typeof createUsers>;

export function createUsers(orm: Orm, ledger: Ledger) {
  const fork = () => orm.em.fork() as Em;

  /**
   * Admins manage users below their own role; only root makes admins. This is
   * new-api's rule, and it stops an admin from locking out or promoting a peer.
   */
  function assertCanManage(actor: IUser, targetRole: number): void {
    if (actor.role <= targetRole) throw new ForbiddenError('you cannot manage a user whose role is equal to or above yours');
  }

  async function create(actor: IUser, input: CreateUserInput): Promise<{ user: IUser; accessToken: string }> {
    const role = input.role ?? Role.user;
    assertCanManage(actor, role);
    const accessToken = newAccessToken();
    const passwordHash = await hashPassword(input.password);
    try {
      const user = await fork().transactional(async (em) => {
        const now = nowSeconds();
        const created = em.create(User, {
          username: input.username,
          passwordHash,
          displayName: input.displayName ?? input.username,
          role,
          accessTokenDigest: digestSecret(accessToken),
          createdTime: now,
          updatedTime: now,
        });
        await em.flush();
        // The opening balance goes through the ledger like any other credit, so the books always add up.
        if (input.quota) {
          await ledger.creditIn(em as Em, {
            userId: created.id,
            delta: input.quota,
            kind: 'topup',
            idemKey: `topup:user-created:${created.id}`,
            remark: `opening balance set by user ${actor.id}`,
          });
          created.quota = input.quota;
        }
        return created;
      });
      return { user, accessToken };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw new ConflictError(`username "${input.username}" is taken`);
      throw err;
    }
  }

  async function get(id: number): Promise<IUser> {
    const user = await fork().findOne(User, { id });
    if (!user) throw new NotFoundError('user not found');
    return user;
  }

  async function list(filter: UserFilter, page: PageRequest): Promise<Page<IUser>> {
    const where: FilterQuery<IUser> = {};
    if (filter.keyword) where.username = { $like: containsPattern(filter.keyword) };
    if (filter.role !== undefined) where.role = filter.role;
    if (filter.status !== undefined) where.status = filter.status;
    const [items, total] = await fork().findAndCount(User, where, { orderBy: { id: 'desc' }, limit: page.pageSize, offset: page.offset });
    return pageOf(items, total, page);
  }

  /** Usernames by id, for listings that name each row's user (new-api's admin task list). */
  async function usernames(ids: number[]): Promise<Map<number, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await fork().find(User, { id: { $in: unique } }, { fields: ['id', 'username'] });
    return new Map(rows.map((u) => [u.id, u.username]));
  }

  async function update(actor: IUser, input: UpdateUserInput): Promise<IUser> {
    const target = await get(input.id);
    if (target.id !== actor.id || input.role !== undefined || input.status !== undefined || input.quota !== undefined) {
      assertCanManage(actor, target.role);
    }
    if (input.role !== undefined) assertCanManage(actor, input.role);
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    return fork().transactional(async (em) => {
      if (input.quota !== undefined) {
        await ledger.setQuotaIn(em as Em, target.id, input.quota, `adjust:user:${target.id}:${randomUUID()}`, `set by user ${actor.id}`);
      }
      // Loaded after the quota adjustment so the row carries the balance it just wrote.
      const row = await em.findOneOrFail(User, { id: target.id });
      if (input.displayName !== undefined) row.displayName = input.displayName;
      if (input.role !== undefined) row.role = input.role;
      if (input.status !== undefined) row.status = input.status;
      if (passwordHash) row.passwordHash = passwordHash;
      row.updatedTime = nowSeconds();
      await em.flush();
      return row;
    });
  }

  async function authenticate(accessToken: string): Promise<IUser> {
    const digest = digestSecret(accessToken);
    const user = await fork().findOne(User, { accessTokenDigest: digest });
    if (!user || !user.accessTokenDigest || !sameDigest(user.accessTokenDigest, digest)) throw new UnauthorizedError('invalid access token');
    if (user.status !== UserStatus.enabled) throw new ForbiddenError('user is disabled');
    return user;
  }

  /** Issues a new access token; the previous one stops working at once. */
  async function rotateAccessToken(userId: number): Promise<string> {
    const token = newAccessToken();
    const changed = await fork().nativeUpdate(User, { id: userId }, { accessTokenDigest: digestSecret(token), updatedTime: nowSeconds() });
    if (changed !== 1) throw new NotFoundError('user not found');
    return token;
  }

  async function login(username: string, password: string): Promise<{ user: IUser; accessToken: string }> {
    const user = await fork().findOne(User, { username });
    // Verify against a dummy hash when the user is unknown so timing does not reveal which usernames exist.
    const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !ok) throw new UnauthorizedError('wrong username or password');
    if (user.status !== UserStatus.enabled) throw new ForbiddenError('user is disabled');
    return { user, accessToken: await rotateAccessToken(user.id) };
  }

  /**
   * The root admin exists from the first start. Its token is ADMIN_TOKEN when
   * configured, otherwise generated and handed back once for the caller to show.
   * Safe to run from several processes at once: the username is unique.
   */
  async function ensureRoot(adminToken?: string): Promise<{ created: boolean; accessToken?: string; generated: boolean }> {
    if (await fork().findOne(User, { role: Role.root })) return { created: false, generated: false };
    const accessToken = adminToken ?? newAccessToken();
    const now = nowSeconds();
    try {
      const em = fork();
      em.create(User, {
        username: 'root',
        // Password login stays closed until root sets one; the token is the way in.
        passwordHash: await hashPassword(newAccessToken()),
        displayName: 'Root',
        role: Role.root,
        accessTokenDigest: digestSecret(accessToken),
        createdTime: now,
        updatedTime: now,
      });
      await em.flush();
      return { created: true, accessToken, generated: adminToken === undefined };
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) return { created: false, generated: false };
      throw err;
    }
  }

  return { create, get, list, usernames, update, authenticate, rotateAccessToken, login, ensureRoot };
}

const DUMMY_HASH = 'scrypt$00000000000000000000000000000000$0000000000000000000000000000000000000000000000000000000000000000';
