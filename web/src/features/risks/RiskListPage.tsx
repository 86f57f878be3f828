import { Anchor, Badge, Button, Card, CloseButton, Group, Select, Stack, Table, Text } from '@mantine/core';
import { useDebouncedValue, useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDatabaseImport, IconPlus, IconShieldExclamation } from '@tabler/icons-react';
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
import { api, type Page, withQuery } from '../../app/api.ts';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import { formatDate, options } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { Asset } from '../../app/types.ts';
import { notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { AssessmentCell, RiskNav, StatusBadge, useRiskMethod } from './RiskBits.tsx';
import { basisLabels, type Risk, type RiskBasis, riskStatusLabels, type Threat } from './risk-types.ts';

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
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
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
      notifySuccess(
        `${r.assets} assets with their risks, owners and ${r.tasks} open tasks were added to ${scope.name}.`,
        'Demo organisation loaded',
      );
      void qc.invalidateQueries();
    },
    onError: (e) => notifyError(e, 'Demo data not loaded'),
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
        title={`Sort by ${label.toLowerCase()}`}
      />
    );
  };

  const newButton = can('risk:write') && (
    <Button leftSection={<IconPlus size={16} />} component={Link} to={`/s/${scopeId}/risks/new`} data-testid="new-risk">
      New risk
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
        title={filtered ? 'No risk matches these filters' : 'No risks yet'}
        description={
          filtered
            ? 'Change the search or clear the filters to see the whole register.'
            : 'Identify what could harm the confidentiality, integrity or availability of your assets: a threat, the vulnerability it exploits, and the assets it affects. Then score likelihood and impact with the method of this scope.'
        }
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
                Load demo data
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
              {r.threat ? `${r.threat.code} ${r.threat.title}` : 'No threat'} · {r.owner?.name ?? 'No owner'}
            </Text>
            <Group gap="md" mt="xs">
              {bases.map((b) => (
                <Stack key={b} gap={2}>
                  <Text size="xs" c="dimmed">
                    {b === 'target' ? 'Target' : basisLabels[b]}
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
              {sortHeader('reference', 'Ref.')}
              {sortHeader('title', 'Risk')}
              <Table.Th>Owner</Table.Th>
              {sortHeader('inherentLevel', 'Inherent')}
              {sortHeader('currentLevel', 'Current')}
              <Table.Th>Target</Table.Th>
              <Table.Th>Status</Table.Th>
              {sortHeader('updatedAt', 'Updated')}
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
                    {r.threat ? `${r.threat.code} ${r.threat.title}` : 'No threat chosen'}
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
        title="Risks"
        description="The risk register of this scope, most severe first: threats, the assets they affect, and their inherent, current and target residual levels by the scope's risk method (ISO/IEC 27001 6.1.2, 8.2)."
        actions={
          <>
            <ExportCsvButton href={exportHref} />
            {newButton}
          </>
        }
      />
      <RiskNav scopeId={scopeId} />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder="Search risks"
              aria-label="Search risks"
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 220 }}
              data-testid="risk-search"
            />
            <Select
              placeholder="Any level"
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 130 }}
              value={filters.level ?? null}
              onChange={(v) => set({ level: v })}
              data={levelData}
              aria-label="Level"
              data-testid="filter-level"
            />
            <Select
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              value={basis}
              allowDeselect={false}
              onChange={(v) => set({ basis: v === 'current' ? null : v })}
              data={bases.map((b) => ({ value: b, label: `${basisLabels[b]} level` }))}
              aria-label="Which assessment the level filter uses"
              data-testid="filter-basis"
            />
            <Select
              placeholder="Any status"
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 140 }}
              value={filters.status ?? null}
              onChange={(v) => set({ status: v })}
              data={options(riskStatusLabels)}
              aria-label="Status"
              data-testid="filter-status"
            />
            {can('member:read') && (
              <Select
                placeholder="Any owner"
                clearable
                searchable
                w={{ base: 'calc(50% - 6px)', sm: 160 }}
                value={filters.ownerId ?? null}
                onChange={(v) => set({ ownerId: v })}
                data={memberData}
                aria-label="Owner"
                data-testid="filter-owner"
              />
            )}
            {can('asset:read') && (
              <Select
                placeholder="Any asset"
                clearable
                searchable
                w={{ base: '100%', sm: 200 }}
                value={filters.assetId ?? null}
                onChange={(v) => set({ assetId: v })}
                searchValue={assetSearch}
                onSearchChange={setAssetSearch}
                filter={({ options: o }) => o}
                data={assetData}
                nothingFoundMessage={assetCandidates.isFetching ? 'Searching…' : 'No asset matches'}
                aria-label="Asset"
                data-testid="filter-asset"
              />
            )}
            <Select
              placeholder="Any threat"
              clearable
              searchable
              w={{ base: '100%', sm: 240 }}
              value={filters.threatId ?? null}
              onChange={(v) => set({ threatId: v })}
              data={threatData}
              nothingFoundMessage="No threat matches"
              aria-label="Threat"
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
                  <CloseButton
                    size="xs"
                    aria-label="Remove the heat-map cell filter"
                    onClick={() => set({ likelihood: null, impact: null })}
                  />
                }
              >
                {basisLabels[basis]}:
                {filters.likelihood && ` likelihood ${filters.likelihood} · ${cellLabel('likelihood', filters.likelihood)}`}
                {filters.likelihood && filters.impact && ' ×'}
                {filters.impact && ` impact ${filters.impact} · ${cellLabel('impact', filters.impact)}`}
              </Badge>
            </Group>
          )}
          <ListCount filtered={filtered} onClear={clearFilters} data-testid="risk-count">
            {countText(!!list.data, total, 'risk', filtered)}
            {list.data && !sort && total > 0 && ', most severe first'}
          </ListCount>
        </Stack>
        {body}
        {list.data && (
          <ListFooter
            total={total}
            page={page}
            pageSize={pageSize}
            onPage={(p) => set({ page: String(p) })}
            onPageSize={(v) => set({ pageSize: v })}
            perPageLabel="Risks per page"
          />
        )}
      </Card>
    </>
  );
}
