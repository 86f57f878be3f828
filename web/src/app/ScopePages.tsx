import { Button, Card, EmptyState } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, Outlet, type RouteObject, useParams, useRoutes } from 'react-router';
import type { Permission } from '../../../server/src/auth/roles.ts';
import { MfaRequiredBanner } from '../features/account/MfaRequiredBanner.tsx';
import { scopeRoutes } from '../features/registry.tsx';
import { errorMessage } from './api.ts';
import { PageLoader, pageInShell } from './Loaders.tsx';
import { NoAccess, PageHeader } from './PageFrame.tsx';
import { canRole, rememberScope, ScopeContext, scopeHome, useCurrentScope, useScopes } from './session.ts';

/*
 * The pages of a scope (`/s/:scopeId/…`) and the not-found page: they load with the shell (app/router.tsx), not with the
 * first page, since the feature areas' routes (features/registry.tsx, with their navigation icons and permissions) are
 * only needed inside it.
 */

/** `/s/:scopeId/…`: loads the scope, remembers it as the last one used, and provides it to the pages. */
function ScopeLayout() {
  const { t } = useTranslation('nav');
  const { scopeId } = useParams();
  const scopes = useScopes();
  const scope = scopes.data?.find((s) => s.id === scopeId);
  useEffect(() => {
    if (scope) rememberScope(scope.id);
  }, [scope]);
  if (scopes.isPending) return <PageLoader />;
  if (scopes.error) return <NotFound title={t('page.scopeNotLoaded')} message={errorMessage(scopes.error)} />;
  if (!scope) return <NotFound title={t('page.scopeNotFound')} message={t('page.scopeNotFoundHint')} />;
  return (
    <ScopeContext value={scope}>
      <MfaRequiredBanner scope={scope} />
      <Outlet />
    </ScopeContext>
  );
}

function ScopeIndex() {
  return <Navigate to={scopeHome(useCurrentScope())} replace />;
}

/** A page of a scope that needs a permission the role may not have. */
function Gate({ permission, what, children }: { permission: Permission; what: string; children: ReactNode }) {
  const scope = useCurrentScope();
  const { t } = useTranslation('nav');
  if (!canRole(scope.role, permission)) {
    return (
      <>
        <PageHeader title={t('noAccessTitle')} />
        <NoAccess what={t(what)} />
      </>
    );
  }
  return children;
}

export function NotFound({ title, message }: { title?: string; message?: string }) {
  const { t } = useTranslation('nav');
  title ??= t('page.notFound');
  message ??= t('page.notFoundHint');
  return (
    <>
      <PageHeader title={title} />
      <Card withBorder radius="md" p="xl" data-testid="not-found">
        <EmptyState icon={<IconMapOff size={32} />} withIndicatorBackground title={title} description={message}>
          <EmptyState.Actions>
            <Button component={Link} to="/">
              {t('page.goToMyWork')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </>
  );
}

/** Below `/s/:scopeId/`: every feature area's pages, from the web module registry. */
const scopeTree: RouteObject[] = [
  {
    element: <ScopeLayout />,
    children: [
      { index: true, element: <ScopeIndex /> },
      ...scopeRoutes.map((r) => ({
        path: r.path,
        element: (
          <Gate permission={r.permission} what={`${r.ns}:navigation.noAccess.${r.what}`}>
            {pageInShell(r.page)}
          </Gate>
        ),
      })),
      { path: '*', element: <NotFound /> },
    ],
  },
];

/** The pages of the scope in the URL (the router's `/s/:scopeId/*`). */
export function ScopePages() {
  return useRoutes(scopeTree);
}
