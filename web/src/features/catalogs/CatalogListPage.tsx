import { Anchor, Badge, Button, Card, EmptyState, Group, Stack, Table, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconBooks, IconFileImport } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListError } from '../../app/ListParts.tsx';
import { api } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { PageHeader, TableSkeleton } from '../../app/ui.tsx';
import i18n from '../../i18n/index.ts';
import type { Catalog } from './catalog-types.ts';
import { ImportCatalogModal } from './ImportCatalogModal.tsx';

export function catalogSourceLabel(c: Pick<Catalog, 'source' | 'global'>): string {
  if (c.source === 'builtin') return i18n.t('catalogs:source.builtin');
  return c.global ? i18n.t('catalogs:source.global') : i18n.t('catalogs:source.scope');
}

/** Catalogs of requirements this scope can use: the built-in ISO/IEC 27001 Annex A and imported OSCAL catalogs. */
export function CatalogListPage() {
  const { t } = useTranslation('catalogs');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const [importOpen, importDialog] = useDisclosure(false);
  const list = useQuery({
    queryKey: ['catalogs', scopeId],
    queryFn: () => api.get<Catalog[] | { items: Catalog[] }>(`/api/scopes/${scopeId}/catalogs`),
    select: (d) => (Array.isArray(d) ? d : d.items),
  });

  const importButton = can('catalog:import') && (
    <Button leftSection={<IconFileImport size={16} />} onClick={importDialog.open} data-testid="import-catalog">
      {t('list.import')}
    </Button>
  );

  let body: ReactNode;
  if (list.error) {
    body = <ListError error={list.error} />;
  } else if (list.isPending) {
    body = <TableSkeleton rows={3} />;
  } else if (list.data.length === 0) {
    body = (
      <EmptyState py={56} icon={<IconBooks size={32} />} withIndicatorBackground title={t('list.empty')} description={t('list.emptyHint')}>
        <EmptyState.Actions>{importButton}</EmptyState.Actions>
      </EmptyState>
    );
  } else if (phone) {
    body = (
      <Stack gap="sm" p="sm" data-testid="catalog-table">
        {list.data.map((c) => (
          <Card
            key={c.id}
            withBorder
            radius="md"
            p="sm"
            className="row-link"
            onClick={() => navigate(`/s/${scopeId}/catalogs/${c.id}`)}
            data-testid="catalog-row"
          >
            <Anchor component={Link} to={`/s/${scopeId}/catalogs/${c.id}`} fw={600} size="sm" onClick={(e) => e.stopPropagation()}>
              {c.title}
            </Anchor>
            <Text size="xs" c="dimmed" mt={2}>
              {t('list.versionSource', { version: c.version, source: catalogSourceLabel(c) })}
            </Text>
            <Group gap={6} mt="xs">
              <Badge variant="light">{c.controlCount} controls</Badge>
              {c.withdrawnCount > 0 && (
                <Badge variant="light" color="gray">
                  {c.withdrawnCount} withdrawn
                </Badge>
              )}
            </Group>
          </Card>
        ))}
      </Stack>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={760}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="catalog-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('list.col.catalog')}</Table.Th>
              <Table.Th>{t('list.col.version')}</Table.Th>
              <Table.Th>{t('list.col.source')}</Table.Th>
              <Table.Th ta="right">{t('list.col.groups')}</Table.Th>
              <Table.Th ta="right">{t('list.col.controls')}</Table.Th>
              <Table.Th ta="right">{t('list.col.withdrawn')}</Table.Th>
              <Table.Th ta="right">{t('list.col.usedBy')}</Table.Th>
              <Table.Th>{t('list.col.added')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.map((c) => (
              <Table.Tr
                key={c.id}
                className="row-link"
                onClick={() => navigate(`/s/${scopeId}/catalogs/${c.id}`)}
                data-testid="catalog-row"
              >
                <Table.Td maw={420}>
                  <Anchor component={Link} to={`/s/${scopeId}/catalogs/${c.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                    {c.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{c.version}</Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={c.source === 'builtin' ? 'praxis' : 'grape'}>
                    {catalogSourceLabel(c)}
                  </Badge>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{c.groupCount}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm">{c.controlCount}</Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c={c.withdrawnCount ? undefined : 'dimmed'}>
                    {c.withdrawnCount}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="sm" c={c.linkedControlCount ? undefined : 'dimmed'}>
                    {c.linkedControlCount}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed">
                    {formatDate(c.createdAt)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} actions={importButton} />
      <Card withBorder radius="md" p={0}>
        {body}
      </Card>
      <ImportCatalogModal scopeId={scopeId} opened={importOpen} onClose={importDialog.close} />
    </>
  );
}
