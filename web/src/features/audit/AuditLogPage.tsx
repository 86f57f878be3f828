import { Card, EmptyState, Group, Pagination, Select, Skeleton, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconHistory, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { api, type Page } from '../../app/api.ts';
import type { AuditEntry, Member } from '../../app/types.ts';
import { ErrorAlert, PageHeader } from '../../app/ui.tsx';
import { AuditEntries } from './AuditEntries.tsx';

const PAGE_SIZE = 30;
const recordTypes = ['asset', 'task', 'process', 'scope', 'membership', 'user'];

export function AuditLogPage() {
  const { scopeId } = useParams();
  const [recordType, setRecordType] = useState<string | null>(null);
  const [actorId, setActorId] = useState<string | null>(null);
  const [record, setRecord] = useState('');
  const [debouncedRecord] = useDebouncedValue(record.trim(), 300);
  const [page, setPage] = useState(1);
  const query = { recordType, actorId, recordId: debouncedRecord, page, pageSize: PAGE_SIZE };
  const entries = useQuery({
    queryKey: ['audit', scopeId, query],
    queryFn: () => api.get<Page<AuditEntry>>(`/api/scopes/${scopeId}/audit`, query),
    placeholderData: (p) => p,
  });
  const members = useQuery({ queryKey: ['members', scopeId], queryFn: () => api.get<Member[]>(`/api/scopes/${scopeId}/members`) });
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in this scope, newest first. Entries are hash-chained: `praxis audit verify` detects any entry that was edited, deleted or reordered."
      />
      <Card withBorder radius="md">
        <Group mb="md" gap="sm">
          <Select
            placeholder="Any record type"
            clearable
            w={180}
            value={recordType}
            onChange={(v) => {
              setRecordType(v);
              setPage(1);
            }}
            data={recordTypes}
            aria-label="Record type"
          />
          <TextInput
            placeholder="Record reference or id"
            leftSection={<IconSearch size={16} />}
            w={240}
            value={record}
            onChange={(e) => {
              setRecord(e.currentTarget.value);
              setPage(1);
            }}
            aria-label="Record"
          />
          <Select
            placeholder="Any actor"
            clearable
            searchable
            w={220}
            value={actorId}
            onChange={(v) => {
              setActorId(v);
              setPage(1);
            }}
            data={(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))}
            aria-label="Actor"
          />
        </Group>
        <ErrorAlert error={entries.error} />
        {entries.isLoading ? (
          <Skeleton h={200} />
        ) : entries.data?.total === 0 ? (
          <EmptyState
            py={40}
            icon={<IconHistory size={36} />}
            withIndicatorBackground
            title="No entries"
            description="No change matches these filters."
          />
        ) : (
          <AuditEntries entries={entries.data?.items ?? []} showRecord />
        )}
        {entries.data && entries.data.total > PAGE_SIZE && (
          <Group justify="center" mt="md">
            <Pagination total={Math.ceil(entries.data.total / PAGE_SIZE)} value={page} onChange={setPage} />
          </Group>
        )}
      </Card>
    </>
  );
}
