import { Anchor, Badge, Button, Card, Checkbox, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconFileSpreadsheet, IconPlus, IconShieldCheck } from '@tabler/icons-react';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import {
  countText,
  ExportCsvButton,
  ListCount,
  ListEmpty,
  ListError,
  ListFooter,
  pageSizeOf,
  PhoneRow,
  SearchInput,
  SortableTh,
} from '../../app/ListParts.tsx';
import { useTranslation } from 'react-i18next';
import { api, type Page, withQuery } from '../../app/api.ts';
import { formatDate, options } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import type { Catalog } from '../catalogs/catalog-types.ts';
import { controlStatusColors, controlStatusLabels, effectivenessColors, effectivenessLabels } from './control-labels.ts';
import type { Control } from './control-types.ts';
import { controlImportFields } from '../../../../server/src/processes/control-implementation/control.import.schemas.ts';
import { ImportWizard } from '../../app/ImportWizard.tsx';

type SortKey = 'reference' | 'title' | 'status' | 'dueOn' | 'updatedAt';
const sortKeys: SortKey[] = ['reference', 'title', 'status', 'dueOn', 'updatedAt'];

export function StatusBadge({ status }: { status: Control['status'] }) {
  return (
    <Badge variant="dot" color={controlStatusColors[status]} style={{ whiteSpace: 'nowrap' }}>
      {controlStatusLabels[status]}
    </Badge>
  );
}

export function DueDate({ c }: { c: Pick<Control, 'dueOn' | 'overdue'> }) {
  const { t } = useTranslation('controls');
  if (!c.dueOn)
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  return (
    <Text size="sm" c={c.overdue ? 'red.7' : undefined} fw={c.overdue ? 600 : undefined}>
      {formatDate(c.dueOn)}
      {c.overdue && ` · ${t('list.overdue')}`}
    </Text>
  );
}

/** The scope's control library (ISO 27001 8.3): server-side paging, sorting and filters kept in the URL. */
export function ControlListPage() {
  const { t } = useTranslation('controls');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const [importOpen, setImportOpen] = useState(false);
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, set, clear } = useUrlFilters();
  const { search, setSearch, debounced } = useUrlSearch({ params, set });
  const members = useMembers(scopeId, can('member:read'));
  const catalogs = useQuery({
    queryKey: ['catalogs', scopeId],
    queryFn: () => api.get<Catalog[] | { items: Catalog[] }>(`/api/scopes/${scopeId}/catalogs`),
    select: (d) => (Array.isArray(d) ? d : d.items),
    enabled: can('catalog:read'),
  });

  const sortParam = params.get('sort');
  const sort: SortKey = sortKeys.includes(sortParam as SortKey) ? (sortParam as SortKey) : 'reference';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const filters = {
    q: params.get('q') || undefined,
    status: params.get('status') || undefined,
    ownerId: params.get('ownerId') || undefined,
    overdue: params.get('overdue') === 'true' ? 'true' : undefined,
    catalogId: params.get('catalogId') || undefined,
    sort,
    order,
  };
  const pageSize = pageSizeOf(params.get('pageSize'));
  const page = Math.max(1, Number(params.get('page')) || 1);

  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the URL (back/forward), not the typing
  useEffect(() => {
    const q = params.get('q') ?? '';
    if (q !== debounced) setSearch(q);
  }, [params]);

  const query = { ...filters, page, pageSize };
  const list = useQuery({
    queryKey: ['controls', scopeId, query],
    queryFn: () => api.get<Page<Control>>(`/api/scopes/${scopeId}/controls`, query),
    placeholderData: (prev) => prev,
  });
  const filtered = !!(filters.q || filters.status || filters.ownerId || filters.overdue || filters.catalogId);
  const clearFilters = () => {
    setSearch('');
    clear(['sort', 'order', 'pageSize']);
  };

  const sortHeader = (key: SortKey, label: string) => {
    const active = sort === key;
    return (
      <SortableTh
        key={key}
        sortKey={key}
        label={label}
        active={active}
        dir={order}
        onSort={() => set({ sort: key, order: active && order === 'asc' ? 'desc' : 'asc' })}
      />
    );
  };

  const newButton = can('control:write') && (
    <Button leftSection={<IconPlus size={16} />} component={Link} to={`/s/${scopeId}/controls/new`} data-testid="new-control">
      {t('list.new')}
    </Button>
  );

  let body: ReactNode;
  if (list.error) {
    body = <ListError error={list.error} />;
  } else if (list.isPending) {
    body = <TableSkeleton />;
  } else if (list.data.total === 0) {
    body = (
      <ListEmpty
        py={56}
        px="md"
        icon={<IconShieldCheck size={32} />}
        withIndicatorBackground
        title={filtered ? t('list.empty.filtered') : t('list.empty.none')}
        description={filtered ? t('list.empty.filteredHint') : t('list.empty.hint')}
        data-testid="controls-empty"
        filtered={filtered}
        onClear={clearFilters}
        actions={newButton}
      />
    );
  } else if (phone) {
    body = (
      <Stack gap="sm" p="sm" data-testid="control-table">
        {list.data.items.map((c) => (
          <PhoneRow
            key={c.id}
            to={`/s/${scopeId}/controls/${c.id}`}
            reference={c.reference}
            title={c.title}
            badge={<StatusBadge status={c.status} />}
            data-testid="control-row"
          >
            <Group gap={6} mt={4} justify="space-between">
              <Text size="xs" c="dimmed">
                {c.owner?.name ?? t('list.noOwner')}
              </Text>
              {c.dueOn && <DueDate c={c} />}
            </Group>
          </PhoneRow>
        ))}
      </Stack>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="control-table">
          <Table.Thead>
            <Table.Tr>
              {sortHeader('reference', t('list.col.reference'))}
              {sortHeader('title', t('list.col.title'))}
              <Table.Th>{t('list.col.owner')}</Table.Th>
              {sortHeader('status', t('list.col.status'))}
              <Table.Th>{t('list.col.effectiveness')}</Table.Th>
              {sortHeader('dueOn', t('list.col.due'))}
              {sortHeader('updatedAt', t('list.col.updated'))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((c) => (
              <Table.Tr
                key={c.id}
                className="row-link"
                onClick={() => navigate(`/s/${scopeId}/controls/${c.id}`)}
                data-testid="control-row"
              >
                <Table.Td>
                  <Ref>{c.reference}</Ref>
                </Table.Td>
                <Table.Td maw={380}>
                  <Anchor component={Link} to={`/s/${scopeId}/controls/${c.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                    {c.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={c.owner ? undefined : 'dimmed'}>
                    {c.owner?.name ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={c.status} />
                </Table.Td>
                <Table.Td>
                  <Badge variant="light" color={effectivenessColors[c.effectiveness]} style={{ whiteSpace: 'nowrap' }}>
                    {effectivenessLabels[c.effectiveness]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <DueDate c={c} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(c.updatedAt)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );
  }

  const total = list.data?.total ?? 0;
  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          <>
            <ExportCsvButton href={withQuery(`/api/scopes/${scopeId}/controls.csv`, filters)} />
            {can('control:write') && (
              <Button
                variant="default"
                leftSection={<IconFileSpreadsheet size={16} />}
                onClick={() => setImportOpen(true)}
                data-testid="import-controls"
              >
                {t('import.button')}
              </Button>
            )}
            {newButton}
          </>
        }
      />
      {can('control:write') && (
        <ImportWizard
          scopeId={scopeId}
          kind="controls"
          fields={controlImportFields}
          namespace="controls"
          invalidate={['controls', scopeId]}
          testId="control"
          opened={importOpen}
          onClose={() => setImportOpen(false)}
        />
      )}
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder={t('list.search')}
              aria-label={t('list.search')}
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 220 }}
              data-testid="control-search"
            />
            <Select
              placeholder={t('list.filter.allStatuses')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              value={filters.status ?? null}
              onChange={(v) => set({ status: v })}
              data={options(controlStatusLabels)}
              aria-label={t('list.col.status')}
              data-testid="filter-status"
            />
            {can('member:read') && (
              <Select
                placeholder={t('list.filter.anyOwner')}
                clearable
                searchable
                w={{ base: 'calc(50% - 6px)', sm: 160 }}
                value={filters.ownerId ?? null}
                onChange={(v) => set({ ownerId: v })}
                data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
                aria-label={t('list.col.owner')}
                data-testid="filter-owner"
              />
            )}
            {(catalogs.data?.length ?? 0) > 0 && (
              <Select
                placeholder={t('list.filter.anyCatalog')}
                clearable
                w={{ base: '100%', sm: 220 }}
                value={filters.catalogId ?? null}
                onChange={(v) => set({ catalogId: v })}
                data={(catalogs.data ?? []).map((c) => ({ value: c.id, label: c.title }))}
                aria-label={t('list.filter.catalog')}
                data-testid="filter-catalog"
              />
            )}
            <Checkbox
              label={t('list.filter.overdueOnly')}
              checked={filters.overdue === 'true'}
              onChange={(e) => set({ overdue: e.currentTarget.checked ? 'true' : null })}
              data-testid="filter-overdue"
            />
          </Group>
          <ListCount filtered={filtered} onClear={clearFilters} data-testid="control-count">
            {countText(!!list.data, total, 'control', filtered, list.data?.totalCapped)}
          </ListCount>
        </Stack>
        {body}
        {list.data && (
          <ListFooter
            total={total}
            of={list.data}
            page={page}
            pageSize={pageSize}
            onPage={(p) => set({ page: String(p) })}
            onPageSize={(v) => set({ pageSize: v })}
            perPageLabel={t('list.perPage')}
          />
        )}
      </Card>
    </>
  );
}
