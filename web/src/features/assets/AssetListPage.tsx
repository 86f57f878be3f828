import { Anchor, Badge, Button, Card, CloseButton, Group, Select, Stack, Table, Text, TextInput } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBox, IconDatabaseImport, IconFileSpreadsheet, IconPlus, IconTag } from '@tabler/icons-react';
import { type ReactNode, useEffect, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
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
import { assetTypeLabels, formatDate, lifecycleColors, lifecycleLabels, options, protectionLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { Asset } from '../../app/types.ts';
import { notifyError, notifySuccess, PageHeader, ProtectionBadge, Ref, TableSkeleton } from '../../app/ui.tsx';
import { AssetImportModal } from './AssetImportModal.tsx';
import { inSentence } from '../../i18n/index.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { listAssetsQuery } from '../../../../server/src/processes/asset-management/asset.schemas.ts';

const tagLimit = textLimits(listAssetsQuery.shape).tag;

type SortKey = 'reference' | 'name' | 'type' | 'lifecycleStatus' | 'confidentiality' | 'integrity' | 'availability' | 'updatedAt';
const sortKeys: SortKey[] = ['reference', 'name', 'type', 'lifecycleStatus', 'confidentiality', 'integrity', 'availability', 'updatedAt'];

/** The asset register: server-side paging, sorting and filtering, all kept in the URL. */
export function AssetListPage() {
  const { t } = useTranslation('assets');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const { params, set, clear } = useUrlFilters();
  const { search, setSearch, debounced: debouncedSearch } = useUrlSearch({ params, set });
  const { search: tagInput, setSearch: setTagInput, debounced: debouncedTag } = useUrlSearch({ params, set }, 'tag', 400);
  const members = useMembers(scopeId, can('member:read'));
  const [importOpen, setImportOpen] = useState(false);

  const sortParam = params.get('sort');
  const sort: SortKey = sortKeys.includes(sortParam as SortKey) ? (sortParam as SortKey) : 'name';
  const order = params.get('order') === 'desc' ? 'desc' : 'asc';
  const filters = {
    q: params.get('q') || undefined,
    type: params.get('type') || undefined,
    lifecycleStatus: params.get('lifecycleStatus') || undefined,
    minProtection: params.get('minProtection') || undefined,
    tag: params.get('tag') || undefined,
    ownerId: params.get('ownerId') || undefined,
    sort,
    order,
  };
  const pageSize = pageSizeOf(params.get('pageSize'));
  const page = Math.max(1, Number(params.get('page')) || 1);

  // back/forward or a tag click changes the URL: the inputs follow
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the URL, not the typing
  useEffect(() => {
    const q = params.get('q') ?? '';
    if (q !== debouncedSearch) setSearch(q);
    const tag = params.get('tag') ?? '';
    if (tag !== debouncedTag) setTagInput(tag);
  }, [params]);

  const query = { ...filters, page, pageSize };
  const list = useQuery({
    queryKey: ['assets', scopeId, query],
    queryFn: () => api.get<Page<Asset>>(`/api/scopes/${scopeId}/assets`, query),
    placeholderData: (prev) => prev,
  });
  const demo = useMutation({
    mutationFn: () => api.post<{ assets: number; tasks: number }>(`/api/scopes/${scopeId}/demo`),
    onSuccess: (r) => {
      notifySuccess(t('demo.loaded', { assets: r.assets, tasks: r.tasks, scope: scope.name }), t('demo.loadedTitle'));
      void qc.invalidateQueries();
    },
    onError: (e) => notifyError(e, t('demo.notLoaded')),
  });

  const filtered = !!(filters.q || filters.type || filters.lifecycleStatus || filters.minProtection || filters.tag || filters.ownerId);
  const clearFilters = () => {
    setSearch('');
    setTagInput('');
    clear(['sort', 'order', 'pageSize']);
  };
  const exportHref = withQuery(`/api/scopes/${scopeId}/assets.csv`, filters);
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));

  const sortHeader = (key: SortKey, label: string, title?: string) => {
    const active = sort === key;
    return (
      <SortableTh
        key={key}
        sortKey={key}
        label={label}
        active={active}
        dir={order}
        onSort={() => set({ sort: key, order: active && order === 'asc' ? 'desc' : 'asc' })}
        title={title ?? t('list.sortBy', { column: inSentence(label) })}
      />
    );
  };

  const newButton = can('asset:write') && (
    <Button leftSection={<IconPlus size={16} />} component={Link} to={`/s/${scopeId}/assets/new`} data-testid="new-asset">
      {t('list.new')}
    </Button>
  );
  const importButton = can('asset:write') && (
    <Button
      variant="default"
      leftSection={<IconFileSpreadsheet size={16} />}
      onClick={() => setImportOpen(true)}
      data-testid="import-assets"
    >
      {t('import.button')}
    </Button>
  );
  const importModal = can('asset:write') && <AssetImportModal scopeId={scopeId} opened={importOpen} onClose={() => setImportOpen(false)} />;
  const tagBadges = (a: Asset) =>
    a.tags.length > 0 && (
      <Group gap={4} mt={4}>
        {a.tags.map((tag) => (
          <Badge
            key={tag}
            size="xs"
            variant="outline"
            color="gray"
            style={{ cursor: 'pointer' }}
            onClick={(e) => {
              e.stopPropagation();
              set({ tag });
            }}
            title={t('list.showTagged', { tag })}
          >
            {tag}
          </Badge>
        ))}
      </Group>
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
        icon={<IconBox size={32} />}
        withIndicatorBackground
        title={filtered ? t('list.empty.filtered') : t('list.empty.none')}
        description={filtered ? t('list.empty.filteredHint') : t('list.empty.hint')}
        data-testid="assets-empty"
        filtered={filtered}
        onClear={clearFilters}
        actions={
          <>
            {newButton}
            {importButton}
            {can('demo:seed') && (
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
      <Stack gap="sm" p="sm" data-testid="asset-table">
        {list.data.items.map((a) => (
          <PhoneRow
            key={a.id}
            to={`/s/${scopeId}/assets/${a.id}`}
            reference={a.reference}
            title={a.name}
            badge={
              <Badge variant="dot" color={lifecycleColors[a.lifecycleStatus]} style={{ flexShrink: 0 }}>
                {lifecycleLabels[a.lifecycleStatus]}
              </Badge>
            }
            data-testid="asset-row"
          >
            <Text size="xs" c="dimmed" mt={4}>
              {assetTypeLabels[a.type]} · {a.owner?.name ?? t('list.noOwner')}
            </Text>
            <Group gap={6} mt="xs">
              <Text size="xs" c="dimmed">
                C
              </Text>
              <ProtectionBadge level={a.confidentiality} short />
              <Text size="xs" c="dimmed">
                I
              </Text>
              <ProtectionBadge level={a.integrity} short />
              <Text size="xs" c="dimmed">
                A
              </Text>
              <ProtectionBadge level={a.availability} short />
            </Group>
            {tagBadges(a)}
          </PhoneRow>
        ))}
      </Stack>
    );
  } else {
    body = (
      <Table.ScrollContainer minWidth={980}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="asset-table">
          <Table.Thead>
            <Table.Tr>
              {sortHeader('reference', t('list.col.reference'), t('list.sortByReference'))}
              {sortHeader('name', t('list.col.name'))}
              {sortHeader('type', t('list.col.type'))}
              <Table.Th>{t('list.col.owner')}</Table.Th>
              {sortHeader('confidentiality', t('list.col.c'), t('list.sortByC'))}
              {sortHeader('integrity', t('list.col.i'), t('list.sortByI'))}
              {sortHeader('availability', t('list.col.a'), t('list.sortByA'))}
              {sortHeader('lifecycleStatus', t('list.col.status'), t('list.sortByStatus'))}
              {sortHeader('updatedAt', t('list.col.updated'))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((a) => (
              <Table.Tr key={a.id} className="row-link" onClick={() => navigate(`/s/${scopeId}/assets/${a.id}`)} data-testid="asset-row">
                <Table.Td>
                  <Ref>{a.reference}</Ref>
                </Table.Td>
                <Table.Td maw={340}>
                  <Anchor component={Link} to={`/s/${scopeId}/assets/${a.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                    {a.name}
                  </Anchor>
                  {tagBadges(a)}
                </Table.Td>
                <Table.Td>
                  <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                    {assetTypeLabels[a.type]}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={a.owner ? undefined : 'dimmed'}>
                    {a.owner?.name ?? '—'}
                  </Text>
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
                  <Badge variant="dot" color={lifecycleColors[a.lifecycleStatus]} style={{ whiteSpace: 'nowrap' }}>
                    {lifecycleLabels[a.lifecycleStatus]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                    {formatDate(a.updatedAt)}
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
      {importModal}
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          <>
            <ExportCsvButton href={exportHref} />
            {importButton}
            {newButton}
          </>
        }
      />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder={t('list.search')}
              aria-label={t('list.search')}
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 220 }}
              data-testid="asset-search"
            />
            <Select
              placeholder={t('list.filter.allTypes')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 140 }}
              value={filters.type ?? null}
              onChange={(v) => set({ type: v })}
              data={options(assetTypeLabels)}
              aria-label={t('list.col.type')}
              data-testid="filter-type"
            />
            <Select
              placeholder={t('list.filter.allStatuses')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 140 }}
              value={filters.lifecycleStatus ?? null}
              onChange={(v) => set({ lifecycleStatus: v })}
              data={options(lifecycleLabels)}
              aria-label={t('list.filter.lifecycle')}
              data-testid="filter-lifecycle"
            />
            <Select
              placeholder={t('list.filter.anyNeed')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 180 }}
              value={filters.minProtection ?? null}
              onChange={(v) => set({ minProtection: v })}
              data={[
                { value: 'high', label: `${protectionLabels.high} or above` },
                { value: 'very_high', label: protectionLabels.very_high },
              ]}
              aria-label={t('list.filter.minNeed')}
              data-testid="filter-protection"
            />
            <TextInput
              placeholder={t('list.filter.tag')}
              aria-label={t('list.filter.tag')}
              leftSection={<IconTag size={15} />}
              rightSection={
                tagInput ? <CloseButton size="sm" aria-label={t('list.filter.clearTag')} onClick={() => setTagInput('')} /> : null
              }
              maxLength={tagLimit}
              value={tagInput}
              onChange={(e) => setTagInput(e.currentTarget.value)}
              w={{ base: 'calc(50% - 6px)', sm: 130 }}
              data-testid="filter-tag"
            />
            {can('member:read') && (
              <Select
                placeholder={t('list.filter.anyOwner')}
                clearable
                searchable
                w={{ base: '100%', sm: 160 }}
                value={filters.ownerId ?? null}
                onChange={(v) => set({ ownerId: v })}
                data={memberData}
                aria-label={t('list.col.owner')}
                data-testid="filter-owner"
              />
            )}
          </Group>
          <ListCount filtered={filtered} onClear={clearFilters} data-testid="asset-count">
            {countText(!!list.data, total, 'asset', filtered, list.data?.totalCapped)}
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
