import { Button, Card, Center, EmptyState, Text } from '@mantine/core';
import { IconMapOff, IconPlugConnectedX, IconRefreshAlert } from '@tabler/icons-react';
import { type ComponentType, lazy, type ReactNode, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { createBrowserRouter, isRouteErrorResponse, Link, Navigate, Outlet, useLocation, useParams, useRouteError } from 'react-router';
import type { Permission } from '../../../server/src/auth/roles.ts';
import { MfaRequiredBanner } from '../features/account/MfaRequiredBanner.tsx';
import { scopeRoutes } from '../features/registry.tsx';
import { errorMessage } from './api.ts';
import { canRole, rememberScope, ScopeContext, scopeHome, useCurrentScope, useScopes, useSession, useSetupStatus } from './session.ts';
import { FullPageLoader, NoAccess, PageHeader, PageLoader } from './PageFrame.tsx';

// Every page loads when first opened (its own chunk), as the feature areas' pages do (features/*/routes.tsx); the first
// page loads the shell and that page only (server/src/shared/web-bundle.test.ts).
const SetupPage = lazy(() => import('../features/setup/SetupPage.tsx').then((m) => ({ default: m.SetupPage })));
const LoginPage = lazy(() => import('../features/auth/LoginPage.tsx').then((m) => ({ default: m.LoginPage })));
const InvitePage = lazy(() => import('../features/auth/InvitePage.tsx').then((m) => ({ default: m.InvitePage })));
const MyWorkPage = lazy(() => import('../features/work/MyWorkPage.tsx').then((m) => ({ default: m.MyWorkPage })));
const AccountPage = lazy(() => import('../features/account/AccountPage.tsx').then((m) => ({ default: m.AccountPage })));
const Shell = lazy(() => import('./Shell.tsx').then((m) => ({ default: m.Shell })));
const AdminPage = lazy(() => import('../features/admin/AdminPage.tsx').then((m) => ({ default: m.AdminPage })));

/** A page outside the shell (setup, login, invitation): the full-page loader while its chunk loads. */
const outside = (Page: ComponentType) => (
  <Suspense fallback={<FullPageLoader />}>
    <Page />
  </Suspense>
);
/** A page in the shell: the navigation stays, a loader takes the page's place while its chunk loads. */
const inside = (Page: ComponentType) => (
  <Suspense fallback={<PageLoader />}>
    <Page />
  </Suspense>
);

/**
 * A chunk that cannot be fetched: the app was updated since this tab loaded it (the old chunk's name is gone) or the
 * network failed. The messages differ by browser; Vite's preloader adds its own.
 */
export function isChunkLoadError(error: unknown): boolean {
  return (
    error instanceof Error &&
    /dynamically imported module|importing a module script failed|unable to preload|error loading dynamically imported/i.test(error.message)
  );
}

/** What went wrong, and a way back: a reload (which fetches the current version after an update) and My work. */
function ErrorCard({ error }: { error: unknown }) {
  const { t } = useTranslation('nav');
  const chunk = isChunkLoadError(error);
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : errorMessage(error);
  return (
    <Card withBorder radius="lg" p="xl" maw={520} w="100%" data-testid={chunk ? 'page-not-loaded' : 'page-crashed'}>
      <EmptyState
        icon={chunk ? <IconRefreshAlert size={32} /> : undefined}
        withIndicatorBackground={chunk}
        title={chunk ? t('page.notLoaded') : t('page.crashed')}
        description={chunk ? t('page.notLoadedHint') : t('page.crashedHint')}
      >
        {!chunk && (
          <Text size="xs" c="dimmed" ta="center" mt="xs" ff="monospace">
            {message}
          </Text>
        )}
        <EmptyState.Actions>
          <Button onClick={() => window.location.reload()} data-testid="reload">
            {t('page.reload')}
          </Button>
          <Button variant="default" component="a" href="/">
            {t('shell.myWork')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}

/** A page that failed inside the shell: the navigation stays. */
function PageError() {
  return (
    <Center py="xl">
      <ErrorCard error={useRouteError()} />
    </Center>
  );
}

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
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <ErrorCard error={useRouteError()} />
    </Center>
  );
}

export const router = createBrowserRouter([
  {
    errorElement: <RouteError />,
    children: [
      { path: '/setup', element: outside(SetupPage) },
      { path: '/login', element: outside(LoginPage) },
      { path: '/invite/:token', element: outside(InvitePage) },
      {
        element: <RequireSession />,
        children: [
          {
            element: outside(Shell),
            children: [
              {
                errorElement: <PageError />,
                children: [
                  { path: '/', element: inside(MyWorkPage) },
                  { path: '/account', element: inside(AccountPage) },
                  { path: '/admin', element: inside(AdminPage) },
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
                            {inside(r.page)}
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
    ],
  },
]);
