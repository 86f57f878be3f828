import { Anchor, Badge, Button, Card, CloseButton, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDatabaseImport, IconFileSpreadsheet, IconPlus, IconShieldExclamation } from '@tabler/icons-react';
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
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import { formatDate, options } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { Asset } from '../../app/types.ts';
import { notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { AssessmentCell, RiskNav, StatusBadge, useRiskMethod } from './RiskBits.tsx';
import { basisLabels, type Risk, type RiskBasis, riskStatusLabels, type Threat } from './risk-types.ts';
import { inSentence } from '../../i18n/index.ts';
import { riskImportFields } from '../../../../server/src/processes/risk-assessment/risk.import.schemas.ts';
import { ImportWizard } from '../../app/ImportWizard.tsx';

type SortKey = 'reference' | 'title' | 'inherentLevel' | 'currentLevel' | 'updatedAt';
const sortKeys: SortKey[] = ['reference', 'title', 'inherentLevel', 'currentLevel', 'updatedAt'];
const bases: RiskBasis[] = ['inherent', 'current', 'target'];

export function useThreats(scopeId: string) {
  return useQuery({
    queryKey: ['threats', scopeId],
    queryFn: () => api.get<{ items: Threat[] }>('/api/threats', { scopeId }),
    staleTime: 5 * 60_000,
  });
}

/** The risk register: the prioritised risk list, server-side paging, sorting and filters, all kept in the URL. */
export function RiskListPage() {
  const { t } = useTranslation('risks');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const [importOpen, setImportOpen] = useState(false);
  const navigate = useNavigate();
  const qc = useQueryClient();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, set, clear } = useUrlFilters();
  const { search, setSearch, debounced: debouncedSearch } = useUrlSearch({ params, set });
  const [assetSearch, setAssetSearch] = useState('');
  const [debouncedAsset] = useDebouncedValue(assetSearch.trim(), 250);
  const members = useMembers(scopeId, can('member:read'));
  const method = useRiskMethod(scopeId);
  const threats = useThreats(scopeId);

  const sortParam = params.get('sort');
  const sort = sortKeys.includes(sortParam as SortKey) ? (sortParam as SortKey) : undefined;
  const order = params.get('order') === 'asc' ? 'asc' : params.get('order') === 'desc' ? 'desc' : undefined;
  const basisParam = params.get('basis') as RiskBasis | null;
  const basis: RiskBasis = basisParam && bases.includes(basisParam) ? basisParam : 'current';
  const filters = {
    q: params.get('q') || undefined,
    status: params.get('status') || undefined,
    level: params.get('level') || undefined,
    ownerId: params.get('ownerId') || undefined,
    assetId: params.get('assetId') || undefined,
    threatId: params.get('threatId') || undefined,
    likelihood: params.get('likelihood') || undefined,
    impact: params.get('impact') || undefined,
    basis: basis === 'current' ? undefined : basis,
  };
  const pageSize = pageSizeOf(params.get('pageSize'));
  const page = Math.max(1, Number(params.get('page')) || 1);

  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the URL (back/forward), not the typing
  useEffect(() => {
    const q = params.get('q') ?? '';
    if (q !== debouncedSearch) setSearch(q);
  }, [params]);

  const query = { ...filters, sort, order, page, pageSize };
  const list = useQuery({
    queryKey: ['risks', scopeId, query],
    queryFn: () => api.get<Page<Risk>>(`/api/scopes/${scopeId}/risks`, query),
    placeholderData: (prev) => prev,
  });
  const assetCandidates = useQuery({
    queryKey: ['asset-candidates', scopeId, debouncedAsset],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scopeId}/assets`, { q: debouncedAsset, pageSize: 30, sort: 'name' }),
    enabled: can('asset:read'),
    placeholderData: (p) => p,
  });
  const chosenAsset = useQuery({
    queryKey: ['asset', scopeId, filters.assetId],
    queryFn: () => api.get<Asset>(`/api/scopes/${scopeId}/assets/${filters.assetId}`),
    enabled: !!filters.assetId && can('asset:read'),
  });

  const demo = useMutation({
    mutationFn: () => api.post<{ assets: number; tasks: number }>(`/api/scopes/${scopeId}/demo`),
    onSuccess: (r) => {
      notifySuccess(t('demo.loaded', { assets: r.assets, tasks: r.tasks, scope: scope.name }), t('demo.loadedTitle'));
      void qc.invalidateQueries();
    },
    onError: (e) => notifyError(e, t('demo.notLoaded')),
  });
  const filtered = Object.entries(filters).some(([k, v]) => k !== 'basis' && !!v);
  const clearFilters = () => {
    setSearch('');
    clear(['sort', 'order', 'pageSize']);
  };
  const exportHref = withQuery(`/api/scopes/${scopeId}/risks.csv`, { ...filters, sort, order });
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  const levelData = [...(method.data?.levels ?? [])].sort((a, b) => b.order - a.order).map((l) => ({ value: l.key, label: l.label }));
  const threatData = (threats.data?.items ?? []).map((t) => ({ value: t.id, label: `${t.code} ${t.title}` }));
  const assetData = (assetCandidates.data?.items ?? []).map((a) => ({ value: a.id, label: `${a.reference} · ${a.name}` }));
  if (filters.assetId && chosenAsset.data && !assetData.some((a) => a.value === filters.assetId))
    assetData.unshift({ value: chosenAsset.data.id, label: `${chosenAsset.data.reference} · ${chosenAsset.data.name}` });
  const cellLabel = (axis: 'likelihood' | 'impact', v: string) => method.data?.[axis].find((l) => String(l.value) === v)?.label ?? v;

  const sortHeader = (key: SortKey, label: string) => {
    const active = sort === key;
    const dir = order ?? (key === 'reference' || key === 'title' ? 'asc' : 'desc');
    return (
      <SortableTh
        key={key}
        sortKey={key}
        label={label}
        active={active}
        dir={dir}
        onSort={() => set({ sort: key, order: active ? (dir === 'asc' ? 'desc' : 'asc') : null })}
        title={t('list.sortBy', { column: inSentence(label) })}
      />
    );
  };

  const newButton = can('risk:write') && (
    <Button leftSection={<IconPlus size={16} />} component={Link} to={`/s/${scopeId}/risks/new`} data-testid="new-risk">
      {t('list.new')}
    </Button>
  );
  const to = (r: Risk) => `/s/${scopeId}/risks/${r.id}`;

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
        icon={<IconShieldExclamation size={32} />}
        withIndicatorBackground
        title={filtered ? t('list.empty.filtered') : t('list.empty.none')}
        description={filtered ? t('list.empty.filteredHint') : t('list.empty.hint')}
        data-testid="risks-empty"
        filtered={filtered}
        onClear={clearFilters}
        actions={
          <>
            {newButton}
            {can('demo:seed') && scope.assetCount === 0 && (
              <Button
                variant="light"
                leftSection={<IconDatabaseImport size={16} />}
                loading={demo.isPending}
                onClick={() => demo.mutate()}
                data-testid="load-demo"
              >
                {t('demo.load')}
              </Button>
            )}
          </>
        }
      />
    );
  } else if (phone) {
    body = (
      <Stack gap="sm" p="sm" data-testid="risk-table">
        {list.data.items.map((r) => (
          <PhoneRow
            key={r.id}
            to={to(r)}
            reference={r.reference}
            title={r.title}
            badge={<StatusBadge status={r.status} />}
            data-testid="risk-row"
          >
            <Text size="xs" c="dimmed" mt={4}>
              {r.threat ? `${r.threat.code} ${r.threat.title}` : t('list.noThreat')} · {r.owner?.name ?? t('list.noOwner')}
            </Text>
            <Group gap="md" mt="xs">
              {bases.map((b) => (
                <Stack key={b} gap={2}>
                  <Text size="xs" c="dimmed">
                    {b === 'target' ? t('list.col.target') : basisLabels[b]}
                  </Text>
                  <AssessmentCell a={r[b]} />
                </Stack>
              ))}
            </Group>
          </PhoneRow>
        ))}
      </Stack>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={880}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="risk-table">
          <Table.Thead>
            <Table.Tr>
              {sortHeader('reference', t('list.col.reference'))}
              {sortHeader('title', t('list.col.risk'))}
              <Table.Th>{t('list.col.owner')}</Table.Th>
              {sortHeader('inherentLevel', t('list.col.inherent'))}
              {sortHeader('currentLevel', t('list.col.current'))}
              <Table.Th>{t('list.col.target')}</Table.Th>
              <Table.Th>{t('list.col.status')}</Table.Th>
              {sortHeader('updatedAt', t('list.col.updated'))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((r) => (
              <Table.Tr key={r.id} className="row-link" onClick={() => navigate(to(r))} data-testid="risk-row" data-ref={r.reference}>
                <Table.Td>
                  <Ref>{r.reference}</Ref>
                </Table.Td>
                <Table.Td maw={380}>
                  <Anchor component={Link} to={to(r)} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                    {r.title}
                  </Anchor>
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {r.threat ? `${r.threat.code} ${r.threat.title}` : t('list.noThreatChosen')}
                    {r.assets.length > 0 && ` · ${r.assets.map((a) => a.name).join(', ')}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={r.owner ? undefined : 'dimmed'}>
                    {r.owner?.name ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <AssessmentCell a={r.inherent} testId="risk-inherent" />
                </Table.Td>
                <Table.Td>
                  <AssessmentCell a={r.current} testId="risk-current" />
                </Table.Td>
                <Table.Td>
                  <AssessmentCell a={r.target} testId="risk-target" />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={r.status} />
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(r.updatedAt)}
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
            <ExportCsvButton href={exportHref} />
            {can('risk:write') && (
              <Button
                variant="default"
                leftSection={<IconFileSpreadsheet size={16} />}
                onClick={() => setImportOpen(true)}
                data-testid="import-risks"
              >
                {t('import.button')}
              </Button>
            )}
            {newButton}
          </>
        }
      />
      {can('risk:write') && (
        <ImportWizard
          scopeId={scopeId}
          kind="risks"
          fields={riskImportFields}
          namespace="risks"
          invalidate={['risks', scopeId]}
          testId="risk"
          opened={importOpen}
          onClose={() => setImportOpen(false)}
        />
      )}
      <RiskNav scopeId={scopeId} />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder={t('list.search')}
              aria-label={t('list.search')}
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 220 }}
              data-testid="risk-search"
            />
            <Select
              placeholder={t('list.filter.anyLevel')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 130 }}
              value={filters.level ?? null}
              onChange={(v) => set({ level: v })}
              data={levelData}
              aria-label={t('list.filter.level')}
              data-testid="filter-level"
            />
            <Select
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              value={basis}
              allowDeselect={false}
              onChange={(v) => set({ basis: v === 'current' ? null : v })}
              data={bases.map((b) => ({ value: b, label: t('list.filter.basisLevel', { basis: basisLabels[b] }) }))}
              aria-label={t('list.filter.basis')}
              data-testid="filter-basis"
            />
            <Select
              placeholder={t('list.filter.anyStatus')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 140 }}
              value={filters.status ?? null}
              onChange={(v) => set({ status: v })}
              data={options(riskStatusLabels)}
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
                data={memberData}
                aria-label={t('list.col.owner')}
                data-testid="filter-owner"
              />
            )}
            {can('asset:read') && (
              <Select
                placeholder={t('list.filter.anyAsset')}
                clearable
                searchable
                w={{ base: '100%', sm: 200 }}
                value={filters.assetId ?? null}
                onChange={(v) => set({ assetId: v })}
                searchValue={assetSearch}
                onSearchChange={setAssetSearch}
                filter={({ options: o }) => o}
                data={assetData}
                nothingFoundMessage={assetCandidates.isFetching ? t('list.filter.searching') : t('list.filter.noAsset')}
                aria-label={t('list.filter.asset')}
                data-testid="filter-asset"
              />
            )}
            <Select
              placeholder={t('list.filter.anyThreat')}
              clearable
              searchable
              w={{ base: '100%', sm: 240 }}
              value={filters.threatId ?? null}
              onChange={(v) => set({ threatId: v })}
              data={threatData}
              nothingFoundMessage={t('list.filter.noThreat')}
              aria-label={t('list.filter.threat')}
              data-testid="filter-threat"
            />
          </Group>
          {(filters.likelihood || filters.impact) && (
            <Group gap="xs">
              <Badge
                size="lg"
                variant="light"
                data-testid="filter-cell"
                rightSection={
                  <CloseButton size="xs" aria-label={t('list.filter.removeCell')} onClick={() => set({ likelihood: null, impact: null })} />
                }
              >
                {basisLabels[basis]}:
                {filters.likelihood &&
                  ` ${t('list.filter.cellLikelihood', { value: filters.likelihood, label: cellLabel('likelihood', filters.likelihood) })}`}
                {filters.likelihood && filters.impact && ' ×'}
                {filters.impact && ` ${t('list.filter.cellImpact', { value: filters.impact, label: cellLabel('impact', filters.impact) })}`}
              </Badge>
            </Group>
          )}
          <ListCount filtered={filtered} onClear={clearFilters} data-testid="risk-count">
            {countText(!!list.data, total, 'risk', filtered, list.data?.totalCapped)}
            {list.data && !sort && total > 0 && t('list.mostSevereFirst')}
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
