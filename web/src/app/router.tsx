import { Button, Card, Center, EmptyState, Text } from '@mantine/core';
import { IconMapOff, IconPlugConnectedX } from '@tabler/icons-react';
import { type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, isRouteErrorResponse, Link, Navigate, Outlet, useLocation, useParams, useRouteError } from 'react-router';
import type { Permission } from '../../../server/src/auth/roles.ts';
import { AccountPage } from '../features/account/AccountPage.tsx';
import { MfaRequiredBanner } from '../features/account/MfaRequiredBanner.tsx';
import { AdminPage } from '../features/admin/AdminPage.tsx';
import { InvitePage } from '../features/auth/InvitePage.tsx';
import { LoginPage } from '../features/auth/LoginPage.tsx';
import { SetupPage } from '../features/setup/SetupPage.tsx';
import { MyWorkPage } from '../features/work/MyWorkPage.tsx';
import { scopeRoutes } from '../features/registry.tsx';
import { errorMessage } from './api.ts';
import { canRole, rememberScope, ScopeContext, scopeHome, useCurrentScope, useScopes, useSession, useSetupStatus } from './session.ts';
import { Shell } from './Shell.tsx';
import { FullPageLoader, NoAccess, PageHeader, PageLoader } from './ui.tsx';

function Unreachable({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation('nav');
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Card withBorder radius="lg" p="xl" maw={480} w="100%">
        <EmptyState
          icon={<IconPlugConnectedX size={32} />}
          withIndicatorBackground
          title={t('page.unreachable')}
          description={errorMessage(error)}
        >
          <EmptyState.Actions>
            <Button onClick={retry}>{t('page.retry')}</Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </Center>
  );
}

/** Sends a first visit to setup, and anyone without a session to the login page (remembering where they wanted to go). */
function RequireSession() {
  const location = useLocation();
  const setup = useSetupStatus();
  const session = useSession();
  if (setup.isPending || session.isPending) return <FullPageLoader />;
  if (setup.error || session.error)
    return (
      <Unreachable
        error={setup.error ?? session.error}
        retry={() => {
          void setup.refetch();
          void session.refetch();
        }}
      />
    );
  if (setup.data.needed) return <Navigate to="/setup" replace />;
  if (!session.data) {
    const next = location.pathname + location.search;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <Outlet />;
}

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

function NotFound({ title, message }: { title?: string; message?: string }) {
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

/** Last line of defence: a rendering error shows a calm page instead of a blank screen. */
function RouteError() {
  const { t } = useTranslation('nav');
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Card withBorder radius="lg" p="xl" maw={520} w="100%">
        <EmptyState title={t('page.crashed')} description={t('page.crashedHint')}>
          <Text size="xs" c="dimmed" ta="center" mt="xs" ff="monospace">
            {message}
          </Text>
          <EmptyState.Actions>
            <Button onClick={() => window.location.reload()}>{t('page.reload')}</Button>
            <Button variant="default" component="a" href="/">
              {t('shell.myWork')}
            </Button>
          </EmptyState.Actions>
        </EmptyState>
      </Card>
    </Center>
  );
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: <SetupPage /> },
      { path: '/login', element: <LoginPage /> },
      { path: '/invite/:token', element: <InvitePage /> },
      {
        element: <RequireSession />,
        children: [
          {
            element: <Shell />,
            children: [
              { path: '/', element: <MyWorkPage /> },
              { path: '/account', element: <AccountPage /> },
              { path: '/admin', element: <AdminPage /> },
              {
                path: '/s/:scopeId',
                element: <ScopeLayout />,
                children: [
                  { index: true, element: <ScopeIndex /> },
                  // every feature area's pages, from the web module registry
                  ...scopeRoutes.map((r) => ({
                    path: r.path,
                    element: (
                      <Gate permission={r.permission} what={`${r.ns}:navigation.noAccess.${r.what}`}>
                        <Suspense fallback={<PageLoader />}>
                          <r.page />
                        </Suspense>
                      </Gate>
                    ),
                  })),
                  { path: '*', element: <NotFound /> },
                ],
              },
              { path: '*', element: <NotFound /> },
            ],
          },
        ],
      },
    ],
  },
]);
