import { ActionIcon, Anchor, Badge, Button, Card, Group, Loader, Select, Stack, Text, Tooltip } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconDownload, IconExternalLink, IconFile, IconLink, IconPlus, IconUnlink } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, notifyError, notifySuccess, Ref, useConfirm } from '../../app/ui.tsx';
import { AddEvidenceModal } from './AddEvidenceModal.tsx';
import type { ControlDetail } from './control-types.ts';
import type { AttachControlInput, Evidence } from './evidence-types.ts';

/** Where a piece of evidence opens: the stored file (as an attachment), or the link itself. */
export const evidenceHref = (scopeId: string, e: Pick<Evidence, 'id' | 'kind' | 'url'>) =>
  e.kind === 'link' && e.url ? e.url : `/api/scopes/${scopeId}/evidence/${e.id}/file`;

export function ExpiryBadge({ validUntil, expired }: { validUntil: string | null; expired: boolean }) {
  const { t } = useTranslation('controls');
  if (!validUntil) return null;
  return expired ? (
    <Badge color="red" variant="light" size="sm" data-testid="evidence-expired">
      {t('evidence.expired', { date: formatDate(validUntil) })}
    </Badge>
  ) : (
    <Badge color="gray" variant="outline" size="sm">
      {t('evidence.validUntil', { date: formatDate(validUntil) })}
    </Badge>
  );
}

/** Attach evidence already in the register (a report that proves several controls is stored once). */
function AttachExisting({
  scopeId,
  controlId,
  attached,
  onAttached,
}: {
  scopeId: string;
  controlId: string;
  attached: Set<string>;
  onAttached: () => void;
}) {
  const { t } = useTranslation('controls');
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 250);
  const [busy, setBusy] = useState(false);
  const candidates = useQuery({
    queryKey: ['evidence', scopeId, { q, pageSize: 30, pick: true }],
    queryFn: () => api.get<Page<Evidence>>(`/api/scopes/${scopeId}/evidence`, { q: q || undefined, pageSize: 30 }),
    placeholderData: (p) => p,
  });
  const data = (candidates.data?.items ?? [])
    .filter((e) => !attached.has(e.id))
    .map((e) => ({ value: e.id, label: `${e.reference} ${e.title}` }));
  const attach = async (id: string | null) => {
    if (!id) return;
    setBusy(true);
    try {
      const e = await api.post<Evidence, AttachControlInput>(`/api/scopes/${scopeId}/evidence/${id}/controls`, { controlId });
      notifySuccess(t('evidence.attached', { reference: e.reference }));
      setSearch('');
      void qc.invalidateQueries({ queryKey: ['evidence', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      onAttached();
    } catch (err) {
      notifyError(err, t('evidence.notAttached'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Select
      size="xs"
      w={{ base: '100%', xs: 240 }}
      placeholder={t('evidence.attachExisting')}
      searchable
      value={null}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options: o }) => o}
      data={data}
      onChange={(v) => void attach(v)}
      disabled={busy}
      nothingFoundMessage={candidates.isFetching ? t('evidence.searching') : t('evidence.noOther')}
      aria-label={t('evidence.attachExisting')}
      data-testid="attach-evidence"
    />
  );
}

/** The evidence of one control (ISO 27001 7.5, 9.1): upload a file or add a link, download, detach. */
export function ControlEvidencePanel({ control, onChanged }: { control: ControlDetail; onChanged: () => void }) {
  const { t } = useTranslation('controls');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const [adding, addDialog] = useDisclosure(false);
  const [busy, setBusy] = useState<string | null>(null);
  const writable = can('evidence:write');
  // the register's rows carry file names, sizes and link addresses that the control's summary does not
  const items = useQuery({
    queryKey: ['evidence', scopeId, { controlId: control.id, pageSize: 100 }],
    queryFn: () => api.get<Page<Evidence>>(`/api/scopes/${scopeId}/evidence`, { controlId: control.id, pageSize: 100 }),
  });
  const list = items.data?.items ?? [];

  const detach = async (e: Evidence) => {
    const ok = await confirm({
      title: t('evidence.detach.title', { reference: e.reference }),
      message: t('evidence.detach.message', { title: e.title, reference: control.reference }),
      confirmLabel: t('evidence.detach.confirm'),
    });
    if (!ok) return;
    setBusy(e.id);
    try {
      await api.delete(`/api/scopes/${scopeId}/evidence/${e.id}/controls/${control.id}`);
      notifySuccess(t('evidence.detach.done', { reference: e.reference, control: control.reference }));
      void qc.invalidateQueries({ queryKey: ['evidence', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      onChanged();
    } catch (err) {
      notifyError(err, t('evidence.detach.notDetached'));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card withBorder radius="md" p="md">
      {dialog}
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">
          {t('evidence.hint')}
        </Text>
        {writable && (
          <Group gap="xs">
            <AttachExisting scopeId={scopeId} controlId={control.id} attached={new Set(list.map((e) => e.id))} onAttached={onChanged} />
            <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={addDialog.open} data-testid="add-evidence">
              {t('evidence.add')}
            </Button>
          </Group>
        )}
      </Group>
      {items.error ? (
        <ErrorAlert error={items.error} />
      ) : items.isPending ? (
        <Loader size="sm" />
      ) : list.length === 0 ? (
        <Text size="sm" c="dimmed" data-testid="no-evidence">
          {t('evidence.none')}
        </Text>
      ) : (
        <Stack gap={8} data-testid="control-evidence">
          {list.map((e) => (
            <Group key={e.id} justify="space-between" wrap="nowrap" data-testid="control-evidence-item">
              <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                {e.kind === 'file' ? <IconFile size={16} style={{ flexShrink: 0 }} /> : <IconLink size={16} style={{ flexShrink: 0 }} />}
                <Ref>{e.reference}</Ref>
                <Text size="sm" fw={500} truncate>
                  {e.title}
                </Text>
                <Text size="xs" c="dimmed" visibleFrom="sm" style={{ whiteSpace: 'nowrap' }}>
                  {formatDate(e.evidenceDate)}
                </Text>
                <ExpiryBadge validUntil={e.validUntil} expired={e.expired} />
              </Group>
              <Group gap={4} wrap="nowrap">
                <Tooltip label={e.kind === 'file' ? t('evidence.download') : t('evidence.openLink')}>
                  <ActionIcon
                    variant="subtle"
                    component="a"
                    href={evidenceHref(scopeId, e)}
                    target={e.kind === 'link' ? '_blank' : undefined}
                    rel="noreferrer"
                    aria-label={
                      e.kind === 'file'
                        ? t('evidence.downloadRef', { reference: e.reference })
                        : t('evidence.openRef', { reference: e.reference })
                    }
                  >
                    {e.kind === 'file' ? <IconDownload size={16} /> : <IconExternalLink size={16} />}
                  </ActionIcon>
                </Tooltip>
                {writable && (
                  <Tooltip label={t('evidence.detachHint')}>
                    <ActionIcon
                      variant="subtle"
                      color="gray"
                      onClick={() => void detach(e)}
                      loading={busy === e.id}
                      aria-label={t('evidence.detachRef', { reference: e.reference })}
                      data-testid="detach-evidence"
                    >
                      <IconUnlink size={16} />
                    </ActionIcon>
                  </Tooltip>
                )}
              </Group>
            </Group>
          ))}
        </Stack>
      )}
      {writable && (
        <AddEvidenceModal
          scopeId={scopeId}
          opened={adding}
          onClose={addDialog.close}
          control={{ id: control.id, reference: control.reference }}
          onAdded={onChanged}
        />
      )}
      <Anchor component={Link} size="xs" c="dimmed" to={`/s/${scopeId}/evidence`} mt="sm" display="block">
        {t('evidence.all')}
      </Anchor>
    </Card>
  );
}
