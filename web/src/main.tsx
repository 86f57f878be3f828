import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/dates/styles.css';
import './app/styles.css';
import { i18nReady } from './i18n/index.ts';
import { createTheme, MantineProvider } from '@mantine/core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { useTranslation } from 'react-i18next';
import { RouterProvider } from 'react-router';
import { ApiError, setCsrfToken, setUnauthenticatedHandler } from './app/api.ts';
import { router } from './app/router.tsx';

const theme = createTheme({
  primaryColor: 'praxis',
  colors: {
    // a calm deep blue
    praxis: ['#eaf1f9', '#d3e1f1', '#a6c2e2', '#769fd1', '#4f82c3', '#3670bb', '#2866b8', '#1d548f', '#164a80', '#0b3f72'],
  },
  primaryShade: 7,
  defaultRadius: 'md',
  fontFamily: 'Inter, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  headings: { fontWeight: '650' },
  // plain objects rather than `Badge.extend(…)`: naming a component here would put it in the first page's chunk
  components: {
    Badge: {
      styles: { root: { textTransform: 'none', fontWeight: 600, letterSpacing: 0, flexShrink: 0 }, label: { overflow: 'visible' } },
    },
    Tooltip: { defaultProps: { withArrow: true, multiline: true, maw: 320 } },
    // a number outside an input's min and max is kept and refused by the server with a message on the field, never
    // clamped silently (a typed -5 becoming 0)
    NumberInput: { defaultProps: { clampBehavior: 'none' } },
    Table: { styles: { th: { whiteSpace: 'nowrap', fontWeight: 600, color: 'var(--mantine-color-gray-7)' } } },
  },
});

// the notifications' container loads after the first page (notifications shown before it are kept in their store)
const Notifications = lazy(() => import('@mantine/notifications').then((m) => ({ default: m.Notifications })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
      staleTime: 10_000,
      refetchOnWindowFocus: false,
    },
  },
});

// an expired session sends the user to the login page (RequireSession keeps the intended path)
setUnauthenticatedHandler(() => {
  if (queryClient.getQueryData(['session'])) {
    setCsrfToken(null);
    queryClient.setQueryData(['session'], null);
  }
});

/**
 * The pages, drawn again in a new language when it changes (labels outside components follow it too). The date inputs'
 * language (`i18n/LocalisedDates.tsx`, with dayjs and its locales) comes with the shell, not with the first page.
 */
function LocalisedRouter() {
  const { i18n } = useTranslation();
  // no transitions: a page whose chunk is still loading shows its loader at once, not the previous page
  return <RouterProvider key={i18n.language} router={router} useTransitions={false} />;
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
// the first page is drawn in its language: its catalogs load first
void i18nReady.then(() =>
  createRoot(root).render(
    <StrictMode>
      <MantineProvider theme={theme} defaultColorScheme="light" forceColorScheme="light">
        <QueryClientProvider client={queryClient}>
          <Suspense fallback={null}>
            <Notifications position="bottom-right" zIndex={1000} />
          </Suspense>
          <LocalisedRouter />
        </QueryClientProvider>
      </MantineProvider>
    </StrictMode>,
  ),
);
