import { Card, CloseButton, Group, Pagination, Select, Switch, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { IconHistory, IconSearch, IconShieldCheck } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListEmpty, ListError } from '../../app/ListParts.tsx';
import { useUrlFilters } from '../../app/urlState.ts';
import { api, type Page } from '../../app/api.ts';
import { recordTypeLabel } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { AuditEntry } from '../../app/types.ts';
import { PageHeader, TableSkeleton } from '../../app/ui.tsx';
import { AuditEntryList } from './AuditEntries.tsx';
import { textLimits } from '../../app/FormParts.tsx';
import { listAuditQuery } from '../../../../server/src/audit/audit.schemas.ts';
import { type AuditRecordType, auditRecordTypes } from '../../../../server/src/audit/audit-vocabulary.ts';

const recordLimit = textLimits(listAuditQuery.shape).recordId;

const PAGE_SIZE = 50;
/** every record type a scope's trail can hold (users, API tokens and catalogs are outside any scope) */
const scopeRecordTypes = Object.entries(auditRecordTypes as Record<string, AuditRecordType>)
  .filter(([, d]) => d.scoped !== false)
  .map(([type]) => type);

export function AuditLogPage() {
  const { t } = useTranslation('audit');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const { params, set, clear } = useUrlFilters();
  const recordType = params.get('recordType');
  const actorId = params.get('actorId');
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [record, setRecord] = useState(params.get('record') ?? '');
  const [debouncedRecord] = useDebouncedValue(record.trim(), 350);
  const [expandAll, setExpandAll] = useState(false);
  const members = useMembers(scopeId, can('member:read'));

  // biome-ignore lint/correctness/useExhaustiveDependencies: only the debounced text writes to the URL
  useEffect(() => {
    if ((params.get('record') ?? '') !== debouncedRecord) set({ record: debouncedRecord || null });
  }, [debouncedRecord]);

  const query = { recordType, actorId, recordId: params.get('record'), page, pageSize: PAGE_SIZE };
  const entries = useQuery({
    queryKey: ['audit', scopeId, query],
    queryFn: () => api.get<Page<AuditEntry>>(`/api/scopes/${scopeId}/audit`, query),
    placeholderData: (p) => p,
  });
  const filtered = !!(recordType || actorId || params.get('record'));
  const total = entries.data?.total ?? 0;

  return (
    <>
      <PageHeader title={t('log.title')} description={t('log.description')} />
      <Card withBorder radius="md" p={0}>
        <Group p="md" gap="sm" wrap="wrap">
          <Select
            placeholder={t('log.allTypes')}
            clearable
            w={{ base: '100%', xs: 180 }}
            value={recordType}
            onChange={(v) => set({ recordType: v })}
            data={[...new Set([...scopeRecordTypes, ...(recordType ? [recordType] : [])])]
              .map((t) => ({ value: t, label: recordTypeLabel(t) }))
              .sort((a, b) => a.label.localeCompare(b.label))}
            aria-label={t('log.recordType')}
            data-testid="audit-record-type"
          />
          <TextInput
            placeholder={t('log.referencePlaceholder')}
            leftSection={<IconSearch size={16} />}
            rightSection={record ? <CloseButton size="sm" aria-label={t('log.clearReference')} onClick={() => setRecord('')} /> : null}
            w={{ base: '100%', xs: 240 }}
            maxLength={recordLimit}
            value={record}
            onChange={(e) => setRecord(e.currentTarget.value)}
            aria-label={t('log.record')}
            data-testid="audit-record"
          />
          <Select
            placeholder={t('log.anyone')}
            clearable
            searchable
            w={{ base: '100%', xs: 220 }}
            value={actorId}
            onChange={(v) => set({ actorId: v })}
            // the entries Praxis wrote by itself ("by Praxis"), then the members
            data={[{ value: 'praxis', label: t('log.praxis') }, ...(members.data ?? []).map((m) => ({ value: m.userId, label: m.name }))]}
            aria-label={t('log.changedBy')}
            data-testid="audit-actor"
          />
          <Switch
            label={t('log.showAll')}
            checked={expandAll}
            onChange={(e) => setExpandAll(e.currentTarget.checked)}
            ml={{ sm: 'auto' }}
            data-testid="audit-expand-all"
          />
        </Group>
        {entries.error ? (
          <ListError error={entries.error} />
        ) : entries.isPending ? (
          <TableSkeleton />
        ) : total === 0 ? (
          <ListEmpty
            py={56}
            px="md"
            icon={<IconHistory size={32} />}
            withIndicatorBackground
            title={filtered ? t('log.empty.filtered') : t('log.empty.none')}
            description={filtered ? t('log.empty.filteredHint') : t('log.empty.hint')}
            filtered={filtered}
            onClear={() => {
              setRecord('');
              clear();
            }}
          />
        ) : (
          <div style={{ borderTop: '1px solid var(--mantine-color-gray-2)' }}>
            <AuditEntryList entries={entries.data?.items ?? []} scopeId={scopeId} showRecord expandAll={expandAll} />
          </div>
        )}
        {entries.data && total > 0 && (
          <Group justify="space-between" p="md" wrap="wrap">
            <Group gap={6}>
              <IconShieldCheck size={16} color="var(--mantine-color-teal-7)" />
              <Text size="sm" c="dimmed">
                {t('log.count', { count: total })}
              </Text>
            </Group>
            {total > PAGE_SIZE && (
              <Pagination total={Math.ceil(total / PAGE_SIZE)} value={page} onChange={(p) => set({ page: String(p) })} size="sm" />
            )}
          </Group>
        )}
      </Card>
    </>
  );
}
