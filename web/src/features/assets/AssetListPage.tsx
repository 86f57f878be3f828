import {
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Pagination,
  Select,
  Skeleton,
  Table,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowDown, IconArrowUp, IconBox, IconDatabaseImport, IconDownload, IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { api, type Page, withQuery } from '../../app/api.ts';
import { assetTypeLabels, formatDate, lifecycleLabels, protectionLabels } from '../../app/labels.ts';
import { useCan, useScope } from '../../app/session.ts';
import type { Asset } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, ProtectionBadge } from '../../app/ui.tsx';

const PAGE_SIZE = 25;
const sortable = [
  ['reference', 'Ref.'],
  ['name', 'Name'],
  ['type', 'Type'],
  ['confidentiality', 'C'],
  ['integrity', 'I'],
  ['availability', 'A'],
  ['lifecycleStatus', 'Status'],
  ['updatedAt', 'Updated'],
] as const;

export function AssetListPage() {
  const { scopeId } = useParams();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const scope = useScope(scopeId);
  const can = useCan(scope.data);
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('q') ?? '');
  const [debounced] = useDebouncedValue(search, 250);
  const filters = {
    q: params.get('q') ?? undefined,
    type: params.get('type') ?? undefined,
    lifecycleStatus: params.get('lifecycleStatus') ?? undefined,
    minProtection: params.get('minProtection') ?? undefined,
    tag: params.get('tag') ?? undefined,
    sort: params.get('sort') ?? 'name',
    order: params.get('order') ?? 'asc',
  };
  const page = Number(params.get('page') ?? 1);
  const set = (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next, { replace: true });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the debounced search text settles, not on every URL change
  useEffect(() => {
    // only while the list is still the current page: a result clicked meanwhile must not be navigated away from
    if (window.location.pathname !== `/s/${scopeId}/assets`) return;
    if ((params.get('q') ?? '') !== debounced) set({ q: debounced || null });
  }, [debounced]);

  const query = { ...filters, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['assets', scopeId, query],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scopeId}/assets`, query),
    placeholderData: (prev) => prev,
  });
  const demo = useMutation({
    mutationFn: () => api.post<{ assets: number; tasks: number }>(`/api/scopes/${scopeId}/demo`),
    onSuccess: (r) => {
      notifySuccess(`Demo organisation loaded: ${r.assets} assets and ${r.tasks} open tasks`);
      void qc.invalidateQueries();
    },
    onError: notifyError,
  });

  const filtered = !!(filters.q || filters.type || filters.lifecycleStatus || filters.minProtection || filters.tag);
  const sortHeader = ([key, label]: (typeof sortable)[number]) => (
    <Table.Th key={key}>
      <UnstyledButton
        onClick={() => set({ sort: key, order: filters.sort === key && filters.order === 'asc' ? 'desc' : 'asc' })}
        data-testid={`sort-${key}`}
      >
        <Group gap={4} wrap="nowrap">
          <Text fw={600} size="sm">
            {label}
          </Text>
          {filters.sort === key && (filters.order === 'asc' ? <IconArrowUp size={14} /> : <IconArrowDown size={14} />)}
        </Group>
      </UnstyledButton>
    </Table.Th>
  );
  const newButton = can('asset:write') && (
    <Button leftSection={<IconPlus size={16} />} component={Link} to={`/s/${scopeId}/assets/new`}>
      New asset
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Assets"
        description="Information, systems, services, locations, people and suppliers, with their protection needs (BSI 200-2) and dependencies."
        actions={
          <>
            <Button
              variant="default"
              leftSection={<IconDownload size={16} />}
              component="a"
              href={withQuery(`/api/scopes/${scopeId}/assets.csv`, filters)}
              download
            >
              Export CSV
            </Button>
            {newButton}
          </>
        }
      />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm" wrap="wrap">
          <TextInput
            placeholder="Search assets"
            leftSection={<IconSearch size={16} />}
            value={search}
            onChange={(e) => setSearch(e.currentTarget.value)}
            w={{ base: '100%', sm: 260 }}
            aria-label="Search assets"
          />
          <Select
            placeholder="Any type"
            clearable
            w={150}
            value={filters.type ?? null}
            onChange={(v) => set({ type: v })}
            data={Object.entries(assetTypeLabels).map(([value, label]) => ({ value, label }))}
            aria-label="Type"
          />
          <Select
            placeholder="Any status"
            clearable
            w={150}
            value={filters.lifecycleStatus ?? null}
            onChange={(v) => set({ lifecycleStatus: v })}
            data={Object.entries(lifecycleLabels).map(([value, label]) => ({ value, label }))}
            aria-label="Lifecycle status"
          />
          <Select
            placeholder="Any protection need"
            clearable
            w={190}
            value={filters.minProtection ?? null}
            onChange={(v) => set({ minProtection: v })}
            data={[
              { value: 'high', label: `At least ${protectionLabels.high.toLowerCase()}` },
              { value: 'very_high', label: protectionLabels.very_high },
            ]}
            aria-label="Protection need"
          />
          {filters.tag && (
            <Badge size="lg" variant="light" rightSection={<UnstyledButton onClick={() => set({ tag: null })}>×</UnstyledButton>}>
              tag: {filters.tag}
            </Badge>
          )}
          <Text size="sm" c="dimmed" ml="auto">
            {list.data ? `${list.data.total} asset${list.data.total === 1 ? '' : 's'}` : ''}
          </Text>
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? (
          <Skeleton h={240} m="md" />
        ) : list.data && list.data.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconBox size={36} />}
            withIndicatorBackground
            title={filtered ? 'No asset matches these filters' : 'No assets yet'}
            description={
              filtered
                ? 'Change the search or clear the filters.'
                : 'Record the information, systems and services your ISMS protects, with owners and protection needs.'
            }
          >
            <EmptyState.Actions>
              {filtered ? (
                <Button
                  variant="default"
                  onClick={() => {
                    setSearch('');
                    setParams({});
                  }}
                >
                  Clear filters
                </Button>
              ) : (
                <>
                  {newButton}
                  {can('demo:seed') && (
                    <Button
                      variant="light"
                      leftSection={<IconDatabaseImport size={16} />}
                      loading={demo.isPending}
                      onClick={() => demo.mutate()}
                    >
                      Load demo data
                    </Button>
                  )}
                </>
              )}
            </EmptyState.Actions>
          </EmptyState>
        ) : (
          <Table.ScrollContainer minWidth={900}>
            <Table highlightOnHover verticalSpacing="sm" data-testid="asset-table">
              <Table.Thead>
                <Table.Tr>
                  {sortable.slice(0, 3).map(sortHeader)}
                  <Table.Th>Owner</Table.Th>
                  {sortable.slice(3).map(sortHeader)}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data?.items.map((a) => (
                  <Table.Tr key={a.id} style={{ cursor: 'pointer' }} onClick={() => navigate(`/s/${scopeId}/assets/${a.id}`)}>
                    <Table.Td>
                      <Text size="sm" ff="monospace" c="dimmed">
                        {a.reference}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/s/${scopeId}/assets/${a.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                        {a.name}
                      </Anchor>
                      <Group gap={4} mt={2}>
                        {a.tags.map((t) => (
                          <Badge
                            key={t}
                            size="xs"
                            variant="outline"
                            color="gray"
                            style={{ cursor: 'pointer' }}
                            onClick={(e) => {
                              e.stopPropagation();
                              set({ tag: t });
                            }}
                          >
                            {t}
                          </Badge>
                        ))}
                      </Group>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{assetTypeLabels[a.type]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{a.owner?.name ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <ProtectionBadge level={a.confidentiality} />
                    </Table.Td>
                    <Table.Td>
                      <ProtectionBadge level={a.integrity} />
                    </Table.Td>
                    <Table.Td>
                      <ProtectionBadge level={a.availability} />
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{lifecycleLabels[a.lifecycleStatus]}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" c="dimmed">
                        {formatDate(a.updatedAt)}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data && list.data.total > PAGE_SIZE && (
          <Group justify="center" p="md">
            <Pagination total={Math.ceil(list.data.total / PAGE_SIZE)} value={page} onChange={(p) => set({ page: String(p) })} />
          </Group>
        )}
      </Card>
    </>
  );
}
