import { Anchor, Badge, Button, Card, Group, Select, SimpleGrid, Stack, Table, Text, Tooltip } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowDownRight, IconArrowRight, IconArrowUpRight, IconChartLine, IconPlus, IconSparkles } from '@tabler/icons-react';
import { type ReactNode, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type Page, withQuery } from '../../app/api.ts';
import { ExportCsvButton, ListCount, ListEmpty, ListError, ListFooter, pageSizeOf, SearchInput } from '../../app/ListParts.tsx';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import { formatDate } from '../../i18n/index.ts';
import { measurementStatuses, sourceKinds, sourceLabel, statusColors, statusLabel, valueWithUnit } from './measure-labels.ts';
import type { AddRecommendedInput, CatalogueEntry, Measure, MeasurementStatus } from './measure-types.ts';

/** The status of the latest value in colour and words. */
export function StatusBadge({ status }: { status: MeasurementStatus | null | undefined }) {
  const { t } = useTranslation('measures');
  if (!status)
    return (
      <Badge variant="outline" color="gray">
        {t('status.none')}
      </Badge>
    );
  return (
    <Badge variant="light" color={statusColors[status]} data-testid="measure-status">
      {statusLabel(status)}
    </Badge>
  );
}

/** The trend arrow: the direction of the number, coloured by whether that is better for this measure. */
export function TrendArrow({ m }: { m: Pick<Measure, 'trend' | 'direction'> }) {
  const { t } = useTranslation('measures');
  if (!m.trend) return null;
  const better = m.trend === 'flat' ? null : (m.trend === 'up') === (m.direction === 'higher');
  const color = better === null ? 'var(--mantine-color-gray-6)' : better ? 'var(--mantine-color-teal-7)' : 'var(--mantine-color-red-7)';
  const Icon = m.trend === 'up' ? IconArrowUpRight : m.trend === 'down' ? IconArrowDownRight : IconArrowRight;
  const words = t(`trend.${m.trend}`) + (better === null ? '' : ` · ${t(better ? 'trend.better' : 'trend.worse')}`);
  return (
    <Tooltip label={words}>
      <Icon size={18} color={color} aria-label={words} />
    </Tooltip>
  );
}

function Counts({ items }: { items: { label: string; value: number; color: string }[] }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 4 }} mb="md">
      {items.map((i) => (
        <Card key={i.label} withBorder radius="md" p="sm">
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {i.label}
          </Text>
          <Text fz={26} fw={700} c={i.color}>
            {i.value}
          </Text>
        </Card>
      ))}
    </SimpleGrid>
  );
}

/** The measures dashboard (ISO 27001 9.1): every measure with its latest status, last value and trend. */
export function MeasuresPage() {
  const { t } = useTranslation('measures');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const qc = useQueryClient();
  const { params, set, clear } = useUrlFilters();
  const { search, setSearch, debounced } = useUrlSearch({ params, set });
  const filters = {
    q: params.get('q') || undefined,
    status: params.get('status') || 'active',
    sourceKind: params.get('sourceKind') || undefined,
    latest: params.get('latest') || undefined,
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
    queryKey: ['measures', scopeId, query],
    queryFn: () => api.get<Page<Measure>>(`/api/scopes/${scopeId}/measures`, query),
    placeholderData: (prev) => prev,
  });
  const counts = useQuery({
    queryKey: ['measures', scopeId, 'counts'],
    queryFn: async () => {
      const n = (latest?: string) =>
        api.get<Page<Measure>>(`/api/scopes/${scopeId}/measures`, { status: 'active', latest, pageSize: 1 }).then((p) => p.total);
      const [all, onTarget, warning, breach] = await Promise.all([n(), n('on_target'), n('warning'), n('breach')]);
      return { all, onTarget, warning, breach };
    },
  });
  const recommended = useQuery({
    queryKey: ['measures', scopeId, 'recommended'],
    queryFn: () => api.get<CatalogueEntry[]>(`/api/scopes/${scopeId}/measures/recommended`),
    enabled: can('measure:manage'),
  });
  const missing = (recommended.data ?? []).filter((r) => !r.present).length;
  const addRecommended = useMutation({
    mutationFn: () => api.post<{ created: number }, AddRecommendedInput>(`/api/scopes/${scopeId}/measures/recommended`, {}),
    onSuccess: (r) => {
      notifySuccess(t('list.recommendedAdded', { count: r.created }));
      void qc.invalidateQueries({ queryKey: ['measures', scopeId] });
    },
    onError: (e) => notifyError(e),
  });

  const filtered = !!(filters.q || filters.sourceKind || filters.latest || filters.status !== 'active');
  const clearFilters = () => {
    setSearch('');
    clear(['pageSize']);
  };

  const actions = (
    <>
      <ExportCsvButton href={withQuery(`/api/scopes/${scopeId}/measures.csv`, filters)} />
      {can('measure:manage') && missing > 0 && (
        <Button
          variant="light"
          leftSection={<IconSparkles size={16} />}
          loading={addRecommended.isPending}
          onClick={() => addRecommended.mutate()}
          data-testid="add-recommended"
        >
          {t('list.addRecommended', { count: missing })}
        </Button>
      )}
      {can('measure:manage') && (
        <Button leftSection={<IconPlus size={16} />} component={Link} to={`/s/${scopeId}/measures/new`} data-testid="new-measure">
          {t('list.new')}
        </Button>
      )}
    </>
  );

  let body: ReactNode;
  if (list.error) body = <ListError error={list.error} />;
  else if (list.isPending) body = <TableSkeleton />;
  else if (list.data.total === 0)
    body = (
      <ListEmpty
        py={56}
        px="md"
        icon={<IconChartLine size={32} />}
        withIndicatorBackground
        title={filtered ? t('list.empty.filtered') : t('list.empty.none')}
        description={filtered ? t('list.empty.filteredHint') : t('list.empty.hint')}
        filtered={filtered}
        onClear={clearFilters}
      />
    );
  else
    body = (
      <>
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" highlightOnHover data-testid="measures-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('list.col.measure')}</Table.Th>
                <Table.Th>{t('list.col.status')}</Table.Th>
                <Table.Th ta="right">{t('list.col.latest')}</Table.Th>
                <Table.Th>{t('list.col.trend')}</Table.Th>
                <Table.Th ta="right">{t('list.col.target')}</Table.Th>
                <Table.Th>{t('list.col.source')}</Table.Th>
                <Table.Th>{t('list.col.measuredAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.map((m) => (
                <Table.Tr key={m.id} data-testid="measure-row">
                  <Table.Td>
                    <Ref>{m.reference}</Ref>{' '}
                    <Anchor component={Link} to={`/s/${scopeId}/measures/${m.id}`} size="sm" fw={500}>
                      {m.name}
                    </Anchor>
                    {m.status === 'retired' && (
                      <Badge ml="xs" size="xs" color="gray" variant="outline">
                        {t('detail.retired')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={m.latest?.status} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" fw={600}>
                      {m.latest ? valueWithUnit(m.latest.value, m.unit) : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <TrendArrow m={m} />
                  </Table.Td>
                  <Table.Td ta="right">
                    <Text size="sm" c="dimmed">
                      {t(m.direction === 'higher' ? 'list.atLeast' : 'list.atMost', { value: valueWithUnit(m.target, m.unit) })}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{sourceLabel(m.sourceKind)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.latest ? formatDate(m.latest.measuredAt) : '—'}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        <ListFooter
          total={list.data.total}
          of={list.data}
          page={page}
          pageSize={pageSize}
          onPage={(p) => set({ page: String(p) })}
          onPageSize={(s) => set({ pageSize: s })}
          perPageLabel={t('list.perPage')}
        />
      </>
    );

  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} actions={actions} />
      {counts.data && (
        <Counts
          items={[
            { label: t('list.counts.all'), value: counts.data.all, color: 'dark' },
            { label: statusLabel('on_target'), value: counts.data.onTarget, color: 'teal.7' },
            { label: statusLabel('warning'), value: counts.data.warning, color: 'yellow.8' },
            { label: statusLabel('breach'), value: counts.data.breach, color: 'red.7' },
          ]}
        />
      )}
      <Card withBorder radius="md" p={0}>
        <Stack p="md" gap="sm">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              value={search}
              onChange={setSearch}
              placeholder={t('list.search')}
              aria-label={t('list.search')}
              style={{ flex: '1 1 240px' }}
              data-testid="measure-search"
            />
            <Select
              aria-label={t('list.col.status')}
              placeholder={t('list.anyStatus')}
              clearable
              data={measurementStatuses.map((s) => ({ value: s, label: statusLabel(s) }))}
              value={filters.latest ?? null}
              onChange={(v) => set({ latest: v })}
              w={170}
            />
            <Select
              aria-label={t('list.col.source')}
              placeholder={t('list.anySource')}
              clearable
              data={sourceKinds.map((s) => ({ value: s, label: sourceLabel(s) }))}
              value={filters.sourceKind ?? null}
              onChange={(v) => set({ sourceKind: v })}
              w={170}
            />
            <Select
              aria-label={t('list.lifecycle')}
              data={[
                { value: 'active', label: t('list.active') },
                { value: 'retired', label: t('detail.retired') },
              ]}
              value={filters.status}
              allowDeselect={false}
              onChange={(v) => set({ status: v === 'active' ? null : v })}
              w={150}
            />
          </Group>
          <ListCount filtered={filtered} onClear={clearFilters}>
            {list.data ? t('list.count', { count: list.data.total }) : ' '}
          </ListCount>
        </Stack>
        {body}
      </Card>
    </>
  );
}
