import { Anchor, Badge, Button, Card, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconFileText, IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { countText, ListCount, ListEmpty, ListPager, SearchInput } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, options, relativeDay } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { ErrorAlert, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useUrlFilters, useUrlSearch } from '../../app/urlState.ts';
import {
  classificationColors,
  classificationLabels,
  type DocumentItem,
  documentStatusColors,
  documentStatusLabels,
  documentTypeLabels,
} from './policy-types.ts';

const PAGE_SIZE = 25;
const sortValues = ['reference', 'title', 'nextReviewOn', 'updatedAt'] as const;

/** Policies, standards, procedures and guidelines of the scope (ISO 27001 5.2, 7.5). */
export function PolicyListPage() {
  const { t } = useTranslation('policies');
  const sorts = sortValues.map((value) => ({ value, label: t(`list.sort.${value}`) }));
  const scope = useCurrentScope();
  const can = useCan();
  const navigate = useNavigate();
  const phone = useMediaQuery('(max-width: 48em)', false, { getInitialValueInEffect: false });
  const members = useMembers(scope.id, can('member:read'));
  const { params, set, clear } = useUrlFilters();
  const { search, setSearch } = useUrlSearch({ params, set });
  const page = Math.max(1, Number(params.get('page')) || 1);
  const sort = sorts.some((s) => s.value === params.get('sort')) ? params.get('sort')! : 'reference';
  const query = {
    page,
    pageSize: PAGE_SIZE,
    sort,
    dir: params.get('dir') === 'desc' ? 'desc' : 'asc',
    q: params.get('q') || undefined,
    type: params.get('type') || undefined,
    status: params.get('status') || undefined,
    ownerId: params.get('ownerId') || undefined,
    reviewDue: params.get('reviewDue') === 'true' ? 'true' : undefined,
  };
  const list = useQuery({
    queryKey: ['documents', scope.id, query],
    queryFn: () => api.get<Page<DocumentItem>>(`/api/scopes/${scope.id}/documents`, query),
    placeholderData: (p) => p,
  });
  const filtered = !!(query.q || query.type || query.status || query.ownerId || query.reviewDue);
  const clearFilters = () => {
    setSearch('');
    clear(['sort', 'dir']);
  };
  const newButton = can('document:write') && (
    <Button component={Link} to={`/s/${scope.id}/policies/new`} leftSection={<IconPlus size={16} />} data-testid="new-document">
      {t('list.new')}
    </Button>
  );
  const open = (d: DocumentItem) => navigate(`/s/${scope.id}/policies/${d.id}`);
  const review = (d: DocumentItem) =>
    d.nextReviewOn ? (
      <Text size="sm" c={d.reviewDue ? 'orange.8' : undefined} fw={d.reviewDue ? 600 : undefined} style={{ whiteSpace: 'nowrap' }}>
        {formatDate(d.nextReviewOn)}
        {d.reviewDue && ` (${relativeDay(d.nextReviewOn)})`}
      </Text>
    ) : (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );

  let body: ReactNode;
  if (list.error) body = <ErrorAlert error={list.error} />;
  else if (list.isPending) body = <TableSkeleton />;
  else if (list.data.total === 0)
    body = (
      <ListEmpty
        py={56}
        px="md"
        icon={<IconFileText size={32} />}
        withIndicatorBackground
        title={filtered ? t('list.empty.filtered') : t('list.empty.none')}
        description={filtered ? t('list.empty.filteredHint') : t('list.empty.hint')}
        data-testid="documents-empty"
        filtered={filtered}
        onClear={clearFilters}
        actions={newButton}
      />
    );
  else if (phone)
    body = (
      <Stack gap="sm" p="sm" data-testid="document-table">
        {list.data.items.map((d) => (
          <Card key={d.id} withBorder radius="md" p="sm" className="row-link" onClick={() => open(d)} data-testid="document-row">
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <div style={{ minWidth: 0 }}>
                <Ref>{d.reference}</Ref>
                <Anchor component={Link} to={`/s/${scope.id}/policies/${d.id}`} fw={600} size="sm" display="block">
                  {d.title}
                </Anchor>
              </div>
              <Badge color={documentStatusColors[d.status]} variant="light" style={{ flexShrink: 0 }}>
                {documentStatusLabels[d.status]}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" mt={4}>
              {documentTypeLabels[d.type]} · {d.owner?.name ?? t('list.noOwner')}
              {d.currentVersion && ` · ${t('list.versionLower', { version: d.currentVersion.versionNo })}`}
            </Text>
            {d.nextReviewOn && (
              <Text size="xs" c={d.reviewDue ? 'orange.8' : 'dimmed'} mt={2}>
                {t('list.review', { date: formatDate(d.nextReviewOn) })}
              </Text>
            )}
          </Card>
        ))}
      </Stack>
    );
  else
    body = (
      <Table.ScrollContainer minWidth={860}>
        <Table highlightOnHover verticalSpacing="sm" data-testid="document-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('list.col.reference')}</Table.Th>
              <Table.Th>{t('list.col.title')}</Table.Th>
              <Table.Th>{t('list.col.type')}</Table.Th>
              <Table.Th>{t('list.col.owner')}</Table.Th>
              <Table.Th>{t('list.col.classification')}</Table.Th>
              <Table.Th>{t('list.col.inForce')}</Table.Th>
              <Table.Th>{t('list.col.status')}</Table.Th>
              <Table.Th>{t('list.col.nextReview')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((d) => (
              <Table.Tr key={d.id} className="row-link" onClick={() => open(d)} data-testid="document-row">
                <Table.Td>
                  <Ref>{d.reference}</Ref>
                </Table.Td>
                <Table.Td maw={360}>
                  <Anchor component={Link} to={`/s/${scope.id}/policies/${d.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                    {d.title}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{documentTypeLabels[d.type]}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={d.owner ? undefined : 'dimmed'}>
                    {d.owner?.name ?? '—'}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge variant="outline" color={classificationColors[d.classification]} size="sm">
                    {classificationLabels[d.classification]}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={d.currentVersion ? undefined : 'dimmed'}>
                    {d.currentVersion ? t('list.version', { version: d.currentVersion.versionNo }) : t('list.noneYet')}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Badge color={documentStatusColors[d.status]} variant="light" style={{ whiteSpace: 'nowrap' }}>
                    {documentStatusLabels[d.status]}
                  </Badge>
                </Table.Td>
                <Table.Td>{review(d)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    );

  const total = list.data?.total ?? 0;
  return (
    <>
      <PageHeader title={t('list.title')} description={t('list.description')} actions={newButton} />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder={t('list.searchPlaceholder')}
              aria-label={t('list.search')}
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 240 }}
              data-testid="document-search"
            />
            <Select
              placeholder={t('list.filter.allTypes')}
              aria-label={t('list.col.type')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              data={options(documentTypeLabels)}
              value={query.type ?? null}
              onChange={(v) => set({ type: v })}
            />
            <Select
              placeholder={t('list.filter.allStatuses')}
              aria-label={t('list.col.status')}
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 170 }}
              data={options(documentStatusLabels)}
              value={query.status ?? null}
              onChange={(v) => set({ status: v })}
            />
            {can('member:read') && (
              <Select
                placeholder={t('list.filter.anyOwner')}
                aria-label={t('list.col.owner')}
                clearable
                searchable
                w={{ base: 'calc(50% - 6px)', sm: 170 }}
                data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
                value={query.ownerId ?? null}
                onChange={(v) => set({ ownerId: v })}
              />
            )}
            <Select
              aria-label={t('list.sortBy')}
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              allowDeselect={false}
              data={sorts}
              value={sort}
              onChange={(v) => set({ sort: v === 'reference' ? null : v })}
            />
            <Switch
              label={t('list.filter.reviewDue')}
              checked={!!query.reviewDue}
              onChange={(e) => set({ reviewDue: e.currentTarget.checked ? 'true' : null })}
              data-testid="filter-review-due"
            />
          </Group>
          <ListCount filtered={filtered} onClear={clearFilters} gap="md">
            {countText(!!list.data, total, 'document', filtered, list.data?.totalCapped)}
          </ListCount>
        </Stack>
        {body}
        <ListPager total={total} of={list.data} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} />
      </Card>
    </>
  );
}
