import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { api, setAccessToken, setUnauthorizedHandler } from '../api/client';
import { isAdmin, type User, type UserWithToken } from '../api/types';

/** Kept in localStorage so a reload stays signed in; sign-out removes it. */
const STORAGE_KEY = 'taskhub.accessToken';

interface Session {
  token: string | null;
  user: User | null;
  admin: boolean;
  /** POST /api/user/login: a fresh access token (the previous one is revoked server-side). */
  signIn(username: string, password: string): Promise<void>;
  /** An access token pasted by hand (e.g. the root admin's from `npm start`): checked with GET /api/user/self. */
  signInWithToken(token: string): Promise<void>;
  signOut(): void;
  refreshUser(): Promise<void>;
}

const SessionContext = createContext<Session | null>(null);

function storedToken(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [token, setToken] = useState<string | null>(() => {
    const t = storedToken();
    setAccessToken(t);
    return t;
  });
  // The signed-in user is a query like any other, so a task event's refetch of ['self'] updates the balance shown.
  const self = useQuery({ queryKey: ['self', token], queryFn: () => api<User>('/api/user/self'), enabled: token !== null, staleTime: 10_000 });
  const user = self.data ?? null;

  const adopt = useCallback(
    (next: string | null, who: User | null) => {
      setAccessToken(next);
      if (next) localStorage.setItem(STORAGE_KEY, next);
      else localStorage.removeItem(STORAGE_KEY);
      queryClient.clear();
      if (next && who) queryClient.setQueryData(['self', next], who);
      setToken(next);
    },
    [queryClient],
  );

  const signOut = useCallback(() => adopt(null, null), [adopt]);

  useEffect(() => {
    setUnauthorizedHandler(signOut);
    return () => setUnauthorizedHandler(undefined);
  }, [signOut]);

  const value = useMemo<Session>(
    () => ({
      token,
      user,
      admin: isAdmin(user),
      async signIn(username, password) {
        const who = await api<UserWithToken>('/api/user/login', { method: 'POST', body: { username, password }, token: null });
        const { access_token, ...rest } = who;
        adopt(access_token, rest);
      },
      async signInWithToken(candidate) {
        const who = await api<User>('/api/user/self', { token: candidate.trim() });
        adopt(candidate.trim(), who);
      },
      signOut,
      async refreshUser() {
        await queryClient.invalidateQueries({ queryKey: ['self'] });
      },
    }),
    [token, user, adopt, signOut, queryClient],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
