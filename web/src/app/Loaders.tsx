import { Center, Group, Loader, Stack, Text } from '@mantine/core';
import { type ComponentType, Suspense } from 'react';
import { useTranslation } from 'react-i18next';

/*
 * What the router draws before any page has loaded: the logo, the loaders, and a page wrapped in the loader that stands
 * in while its chunk loads. The first page's chunk holds this file, so it takes only small Mantine parts with it (the
 * page header and the no-access note are in PageFrame.tsx; server/src/shared/web-bundle.test.ts).
 */

export function Logo({ withText = true }: { withText?: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap={8} wrap="nowrap">
      <img src="/favicon.svg" width={28} height={28} alt="" />
      {withText && (
        <Text fw={700} size="lg" c="praxis.8" style={{ letterSpacing: -0.2 }}>
          {t('app.name')}
        </Text>
      )}
    </Group>
  );
}

export function FullPageLoader() {
  return (
    <Center h="100vh" data-testid="loading">
      <Stack align="center" gap="md">
        <Logo />
        <Loader size="sm" />
      </Stack>
    </Center>
  );
}

export function PageLoader() {
  return (
    <Center h={240} data-testid="loading">
      <Loader size="md" />
    </Center>
  );
}

/** A page outside the shell (setup, login, invitation): the full-page loader while its chunk loads. */
export const pageOutsideShell = (Page: ComponentType) => (
  <Suspense fallback={<FullPageLoader />}>
    <Page />
  </Suspense>
);

/** A page in the shell: the navigation stays, a loader takes the page's place while its chunk loads. */
export const pageInShell = (Page: ComponentType) => (
  <Suspense fallback={<PageLoader />}>
    <Page />
  </Suspense>
);
