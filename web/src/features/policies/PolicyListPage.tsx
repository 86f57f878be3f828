import { Anchor, Badge, Button, Card, Group, Select, Stack, Switch, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconFileText, IconPlus } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useNavigate } from 'react-router';
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
const sorts = [
  { value: 'reference', label: 'Sort: reference' },
  { value: 'title', label: 'Sort: title' },
  { value: 'nextReviewOn', label: 'Sort: next review' },
  { value: 'updatedAt', label: 'Sort: last change' },
];

/** Policies, standards, procedures and guidelines of the scope (ISO 27001 5.2, 7.5). */
export function PolicyListPage() {
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
      New document
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
        title={filtered ? 'No document matches these filters' : 'No policies yet'}
        description={
          filtered
            ? 'Change the search or clear the filters.'
            : 'Write the information security policy and the topic-specific policies here. Each version is approved, published to the people it concerns, and acknowledged by them.'
        }
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
              {documentTypeLabels[d.type]} · {d.owner?.name ?? 'No owner'}
              {d.currentVersion && ` · version ${d.currentVersion.versionNo}`}
            </Text>
            {d.nextReviewOn && (
              <Text size="xs" c={d.reviewDue ? 'orange.8' : 'dimmed'} mt={2}>
                Review {formatDate(d.nextReviewOn)}
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
              <Table.Th>Ref.</Table.Th>
              <Table.Th>Title</Table.Th>
              <Table.Th>Type</Table.Th>
              <Table.Th>Owner</Table.Th>
              <Table.Th>Classification</Table.Th>
              <Table.Th>In force</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Next review</Table.Th>
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
                    {d.currentVersion ? `Version ${d.currentVersion.versionNo}` : 'None yet'}
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
      <PageHeader
        title="Policies"
        description="The information security policy, topic-specific policies, standards, procedures and guidelines: approved, published, acknowledged and reviewed on schedule."
        actions={newButton}
      />
      <Card withBorder radius="md" p={0}>
        <Stack gap="xs" p="md">
          <Group gap="sm" wrap="wrap">
            <SearchInput
              placeholder="Search title or reference"
              aria-label="Search documents"
              value={search}
              onChange={setSearch}
              w={{ base: '100%', sm: 240 }}
              data-testid="document-search"
            />
            <Select
              placeholder="All types"
              aria-label="Type"
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              data={options(documentTypeLabels)}
              value={query.type ?? null}
              onChange={(v) => set({ type: v })}
            />
            <Select
              placeholder="All statuses"
              aria-label="Status"
              clearable
              w={{ base: 'calc(50% - 6px)', sm: 170 }}
              data={options(documentStatusLabels)}
              value={query.status ?? null}
              onChange={(v) => set({ status: v })}
            />
            {can('member:read') && (
              <Select
                placeholder="Any owner"
                aria-label="Owner"
                clearable
                searchable
                w={{ base: 'calc(50% - 6px)', sm: 170 }}
                data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
                value={query.ownerId ?? null}
                onChange={(v) => set({ ownerId: v })}
              />
            )}
            <Select
              aria-label="Sort by"
              w={{ base: 'calc(50% - 6px)', sm: 150 }}
              allowDeselect={false}
              data={sorts}
              value={sort}
              onChange={(v) => set({ sort: v === 'reference' ? null : v })}
            />
            <Switch
              label="Review due"
              checked={!!query.reviewDue}
              onChange={(e) => set({ reviewDue: e.currentTarget.checked ? 'true' : null })}
              data-testid="filter-review-due"
            />
          </Group>
          <ListCount filtered={filtered} onClear={clearFilters} gap="md">
            {countText(!!list.data, total, 'document', filtered)}
          </ListCount>
        </Stack>
        {body}
        <ListPager total={total} page={page} pageSize={PAGE_SIZE} onPage={(p) => set({ page: String(p) })} />
      </Card>
    </>
  );
}
