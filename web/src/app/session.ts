import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { Permission } from '../../../server/src/auth/roles.ts';
import type { UpdateAccountBody } from '../../../server/src/users/user.schemas.ts';
import { browserLanguage, pickLanguage, showLanguage } from '../i18n/index.ts';
import { ApiError, api, setCsrfToken } from './api.ts';
import { rolePermissions } from './permissions.ts';
import type { Member, Scope, ScopeRole, SessionResponse, SetupStatus } from './types.ts';

export function useSetupStatus() {
  return useQuery({ queryKey: ['setup'], queryFn: () => api.get<SetupStatus>('/api/setup'), staleTime: Infinity });
}

export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: async () => {
      try {
        const s = await api.get<SessionResponse>('/api/auth/session');
        setCsrfToken(s.csrfToken);
        // the first page of a session is drawn in the user's language
        await applySessionLanguage(s);
        return s;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw e;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** The logged-in user's session; only for components rendered behind RequireSession. */
export function useCurrentSession(): SessionResponse {
  const s = useSession().data;
  if (!s) throw new Error('useCurrentSession outside a session');
  return s;
}

export function useSetSession() {
  const qc = useQueryClient();
  return (s: SessionResponse | null) => {
    setCsrfToken(s?.csrfToken ?? null);
    if (s === null) {
      // drop everything the previous user could see (the sign-in page stays in the language shown)
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[0] !== 'setup' });
    } else {
      void qc.invalidateQueries({ predicate: (q) => !['session', 'setup', 'invitation'].includes(String(q.queryKey[0])) });
      void applySessionLanguage(s);
    }
    qc.setQueryData(['session'], s);
  };
}

/**
 * The language of a signed-in user: their setting (the account page, kept on the user record), else the browser's
 * preferred language. Applied when the session is loaded, at sign-in and when the setting changes.
 */
export async function applySessionLanguage(s: SessionResponse): Promise<void> {
  const lang = pickLanguage(s.user.language) ?? browserLanguage();
  // showLanguage also remembers it in this browser, so that the next visit starts in it
  try {
    await showLanguage(lang);
  } catch {
    // a language whose catalogs cannot be fetched keeps the one shown
  }
}

/** Saves the signed-in user's language setting (null: follow the browser) and switches to it. */
export function useSetLanguage() {
  const qc = useQueryClient();
  return async (language: UpdateAccountBody['language']) => {
    const body: UpdateAccountBody = { language };
    const user = await api.patch<SessionResponse['user'], UpdateAccountBody>('/api/me', body);
    const current = qc.getQueryData<SessionResponse | null>(['session']);
    if (!current) return;
    const next = { ...current, user };
    qc.setQueryData(['session'], next);
    await applySessionLanguage(next);
  };
}

export function useScopes() {
  const session = useSession();
  return useQuery({ queryKey: ['scopes'], queryFn: () => api.get<Scope[]>('/api/scopes'), enabled: !!session.data });
}

export function useMembers(scopeId: string, enabled = true) {
  return useQuery({ queryKey: ['members', scopeId], queryFn: () => api.get<Member[]>(`/api/scopes/${scopeId}/members`), enabled });
}

export const canRole = (role: ScopeRole | undefined, permission: Permission) => !!role && rolePermissions[role].has(permission);

/** The scope of the current `/s/:scopeId/…` page, provided by ScopeLayout. */
export const ScopeContext = createContext<Scope | null>(null);

export function useCurrentScope(): Scope {
  const scope = useContext(ScopeContext);
  if (!scope) throw new Error('useCurrentScope outside ScopeLayout');
  return scope;
}

/** What the current user may do in the current scope (mirrors the server's permission map; the server still decides). */
export function useCan() {
  const scope = useContext(ScopeContext);
  return (permission: Permission) => canRole(scope?.role, permission);
}

const LAST_SCOPE = 'praxis.lastScope';
export const rememberScope = (id: string) => {
  try {
    localStorage.setItem(LAST_SCOPE, id);
  } catch {
    // private mode: nothing to remember
  }
};
export const lastScope = () => {
  try {
    return localStorage.getItem(LAST_SCOPE);
  } catch {
    return null;
  }
};

/** The first page of a scope the role may open. */
export function scopeHome(scope: Pick<Scope, 'id' | 'role'>): string {
  // the ISMS manager's home is the cockpit
  if (canRole(scope.role, 'process:manage')) return `/s/${scope.id}/cockpit`;
  if (canRole(scope.role, 'asset:read')) return `/s/${scope.id}/assets`;
  if (canRole(scope.role, 'task:read')) return `/s/${scope.id}/tasks`;
  return '/';
}
