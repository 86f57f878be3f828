import { Anchor, Box, Breadcrumbs, Button, Card, EmptyState, Group, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/*
 * The frame of every page: its header, the loaders and the no-access note (ui.tsx re-exports them). The loaders and the
 * logo are in Loaders.tsx, which the first page's chunk holds; the header and the note come with the shell.
 */

export { FullPageLoader, Logo, PageLoader } from './Loaders.tsx';

export interface Crumb {
  label: string;
  to?: string;
}

/** The header every page starts with: breadcrumbs, title, description and the page's actions. */
export function PageHeader({
  title,
  documentTitle,
  description,
  actions,
  crumbs,
}: {
  title: ReactNode;
  /** browser tab title, when `title` is not plain text */
  documentTitle?: string;
  description?: ReactNode;
  actions?: ReactNode;
  crumbs?: Crumb[];
}) {
  const { t } = useTranslation();
  const plain = documentTitle ?? (typeof title === 'string' ? title : undefined);
  useDocumentTitle(plain ? t('app.documentTitle', { title: plain }) : t('app.name'));
  return (
    <Box mb="lg" data-testid="page-header">
      {crumbs && crumbs.length > 0 && (
        <Breadcrumbs mb={6} separatorMargin={6} fz="sm">
          {crumbs.map((c) =>
            c.to ? (
              <Anchor key={c.label} component={Link} to={c.to} size="sm" c="dimmed">
                {c.label}
              </Anchor>
            ) : (
              <Text key={c.label} size="sm" c="dimmed">
                {c.label}
              </Text>
            ),
          )}
        </Breadcrumbs>
      )}
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <Stack gap={4} style={{ flex: '1 1 320px', minWidth: 0 }}>
          <Title order={2} fz={{ base: 22, sm: 26 }} style={{ overflowWrap: 'anywhere' }}>
            {title}
          </Title>
          {description && (
            <Text c="dimmed" size="sm" maw={760}>
              {description}
            </Text>
          )}
        </Stack>
        {actions && (
          <Group gap="sm" wrap="wrap">
            {actions}
          </Group>
        )}
      </Group>
    </Box>
  );
}

/** Shown when the role in this scope does not include a page's permission. */
export function NoAccess({ what }: { what?: string }) {
  const { t } = useTranslation();
  return (
    <Card withBorder radius="md" p="xl">
      <EmptyState
        icon={<IconLock size={32} />}
        withIndicatorBackground
        title={t('noAccess.title')}
        description={t('noAccess.description', { what: what ?? t('noAccess.thisPage') })}
      >
        <EmptyState.Actions>
          <Button component={Link} to="/" variant="default">
            {t('actions.goToMyWork')}
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    </Card>
  );
}
