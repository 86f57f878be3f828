import { ActionIcon, Anchor, Badge, Button, Card, DataList, Grid, Group, Stack, Tabs, Text, Title, Tooltip } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconEdit, IconHistory, IconLink, IconListCheck, IconPaperclip, IconPlus, IconTrash, IconUnlink } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { RecordLoadError, RecordMeta, useUrlTab } from '../../app/DetailParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { notifyError, notifySuccess, PageHeader, PageLoader, Ref, useConfirm } from '../../app/ui.tsx';
import i18n, { formatNumber } from '../../i18n/index.ts';
import { RecordAuditTrail } from '../audit/AuditEntries.tsx';
import { effectivenessColors, effectivenessLabels } from './control-labels.ts';
import type { ControlDetail, UpdateControlInput } from './control-types.ts';
import { type RiskStatus, riskStatusLabels } from '../risks/risk-types.ts';
import { DueDate, StatusBadge } from './ControlListPage.tsx';
import { ControlEvidencePanel } from './ControlEvidencePanel.tsx';
import { RequirementPicker, RiskPicker } from './LinkPickers.tsx';

const versionConflict = () => new Error(i18n.t('controls:detail.versionConflict'));

export function ControlDetailPage() {
  const { t } = useTranslation('controls');
  const { id = '' } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const [reqPicker, reqPickerCtl] = useDisclosure(false);
  const [riskPicker, riskPickerCtl] = useDisclosure(false);
  const [busy, setBusy] = useState<string | null>(null);
  const control = useQuery({
    queryKey: ['control', scopeId, id],
    queryFn: () => api.get<ControlDetail>(`/api/scopes/${scopeId}/controls/${id}`),
  });
  const tabs = ['requirements', 'risks', 'evidence', ...(can('audit:read') ? ['history'] : [])];
  const [tab, setTab] = useUrlTab(tabs);

  if (control.isPending) return <PageLoader />;
  if (control.error)
    return <RecordLoadError title={t('detail.noun')} listLabel={t('list.title')} listTo={`/s/${scopeId}/controls`} error={control.error} />;
  const c = control.data;
  const writable = can('control:write');

  /** Changes the links through the control's version-checked update; a stale version reloads and says so. */
  const patch = async (body: Omit<UpdateControlInput, 'version'>, key: string, message: string) => {
    setBusy(key);
    try {
      const saved = await api.patch<ControlDetail, UpdateControlInput>(`/api/scopes/${scopeId}/controls/${id}`, {
        ...body,
        version: c.version,
      });
      qc.setQueryData(['control', scopeId, id], saved);
      void qc.invalidateQueries({ queryKey: ['controls', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      notifySuccess(message);
    } catch (e) {
      notifyError(e instanceof ApiError && e.code === 'version_conflict' ? versionConflict() : e);
      void control.refetch();
    } finally {
      setBusy(null);
    }
  };
  const requirementIds = c.requirements.map((r) => r.id);
  const riskIds = c.risks.map((r) => r.id);

  const remove = async () => {
    const ok = await confirm({
      title: t('detail.delete.title', { reference: c.reference }),
      message: <>{t('detail.delete.message', { title: c.title, requirements: c.requirements.length, risks: c.risks.length })}</>,
      confirmLabel: t('detail.delete.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/controls/${id}`, { version: c.version });
      notifySuccess(t('detail.delete.done', { reference: c.reference, title: c.title }));
      qc.removeQueries({ queryKey: ['control', scopeId, id] });
      void qc.invalidateQueries({ queryKey: ['controls', scopeId] });
      void navigate(`/s/${scopeId}/controls`);
    } catch (e) {
      notifyError(e instanceof ApiError && e.code === 'version_conflict' ? versionConflict() : e, t('detail.delete.notDeleted'));
      void control.refetch();
    }
  };

  const unlinkButton = (label: string, onClick: () => void, key: string) =>
    writable && (
      <Tooltip label={label}>
        <ActionIcon variant="subtle" color="gray" onClick={onClick} loading={busy === key} aria-label={label} data-testid="unlink">
          <IconUnlink size={16} />
        </ActionIcon>
      </Tooltip>
    );

  return (
    <>
      {dialog}
      <PageHeader
        documentTitle={`${c.reference} ${c.title}`}
        crumbs={[{ label: t('list.title'), to: `/s/${scopeId}/controls` }, { label: c.reference }]}
        title={c.title}
        description={
          <RecordMeta reference={c.reference} version={c.version} updatedAt={c.updatedAt}>
            <StatusBadge status={c.status} />
            <Badge variant="light" color={effectivenessColors[c.effectiveness]}>
              {effectivenessLabels[c.effectiveness]}
            </Badge>
          </RecordMeta>
        }
        actions={
          <>
            {writable && (
              <Button
                variant="default"
                leftSection={<IconEdit size={16} />}
                component={Link}
                to={`/s/${scopeId}/controls/${id}/edit`}
                data-testid="edit-control"
              >
                {t('detail.edit')}
              </Button>
            )}
            {can('control:delete') && (
              <Button variant="subtle" color="red" leftSection={<IconTrash size={16} />} onClick={remove} data-testid="delete-control">
                {t('common:actions.delete')}
              </Button>
            )}
          </>
        }
      />
      <Grid>
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Card withBorder radius="md" p="lg" h="100%">
            <Title order={5} mb="xs">
              {t('detail.description')}
            </Title>
            <Text size="sm" c={c.description ? undefined : 'dimmed'} style={{ whiteSpace: 'pre-wrap' }}>
              {c.description || t('detail.noDescription')}
            </Text>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Card withBorder radius="md" p="lg" h="100%">
            <DataList size="sm" labelWidth={110} gap="xs">
              <DataList.Item>
                <DataList.ItemLabel>{t('list.col.owner')}</DataList.ItemLabel>
                <DataList.ItemValue>{c.owner?.name ?? t('list.noOwner')}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('list.col.due')}</DataList.ItemLabel>
                <DataList.ItemValue>
                  <DueDate c={c} />
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('detail.implemented')}</DataList.ItemLabel>
                <DataList.ItemValue>{formatDate(c.implementedOn)}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('detail.nextVerification')}</DataList.ItemLabel>
                <DataList.ItemValue data-testid="control-next-verification">
                  {c.nextVerificationOn ? (
                    <Text span size="sm" c={c.verificationOverdue ? 'red' : undefined} fw={c.verificationOverdue ? 600 : undefined}>
                      {formatDate(c.nextVerificationOn)}
                      {c.verificationOverdue ? ` · ${t('detail.verificationOverdue')}` : ''}
                    </Text>
                  ) : (
                    t('detail.notScheduled')
                  )}
                </DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('detail.lastVerified')}</DataList.ItemLabel>
                <DataList.ItemValue>{c.lastVerifiedOn ? formatDate(c.lastVerifiedOn) : t('detail.neverVerified')}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('detail.costEstimate')}</DataList.ItemLabel>
                <DataList.ItemValue>{formatNumber(c.costEstimate)}</DataList.ItemValue>
              </DataList.Item>
              <DataList.Item>
                <DataList.ItemLabel>{t('detail.created')}</DataList.ItemLabel>
                <DataList.ItemValue>{formatDate(c.createdAt)}</DataList.ItemValue>
              </DataList.Item>
            </DataList>
          </Card>
        </Grid.Col>
      </Grid>

      <Tabs value={tab} onChange={setTab} mt="lg" keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="requirements" leftSection={<IconListCheck size={16} />}>
            {t('detail.tab.requirements', { count: c.requirements.length })}
          </Tabs.Tab>
          <Tabs.Tab value="risks" leftSection={<IconLink size={16} />}>
            {t('detail.tab.risks', { count: c.risks.length })}
          </Tabs.Tab>
          <Tabs.Tab value="evidence" leftSection={<IconPaperclip size={16} />}>
            {t('detail.tab.evidence', { count: c.evidence.length })}
          </Tabs.Tab>
          {can('audit:read') && (
            <Tabs.Tab value="history" leftSection={<IconHistory size={16} />}>
              {t('detail.tab.history')}
            </Tabs.Tab>
          )}
        </Tabs.List>

        <Tabs.Panel value="requirements">
          <Card withBorder radius="md" p="md">
            <Group justify="space-between" mb="sm">
              <Text size="sm" c="dimmed">
                {t('detail.requirementsHint')}
              </Text>
              {writable && (
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconPlus size={14} />}
                  onClick={reqPickerCtl.open}
                  data-testid="link-requirement"
                >
                  {t('detail.linkRequirement')}
                </Button>
              )}
            </Group>
            {c.requirements.length === 0 ? (
              <Text size="sm" c="dimmed" data-testid="no-requirements">
                {t('detail.noRequirements')}
              </Text>
            ) : (
              <Stack gap={6} data-testid="linked-requirements">
                {c.requirements.map((r) => (
                  <Group key={r.id} justify="space-between" wrap="nowrap" data-testid="linked-requirement">
                    <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                      <Text size="sm" ff="monospace" fw={600} style={{ whiteSpace: 'nowrap' }}>
                        {r.label}
                      </Text>
                      <Text size="sm" truncate>
                        {r.title}
                      </Text>
                      <Anchor component={Link} to={`/s/${scopeId}/catalogs/${r.catalogId}`} size="xs" c="dimmed" truncate visibleFrom="sm">
                        {r.catalogTitle}
                      </Anchor>
                      {r.withdrawn && (
                        <Badge size="xs" color="gray" variant="light">
                          {t('detail.withdrawn')}
                        </Badge>
                      )}
                    </Group>
                    {unlinkButton(
                      t('detail.unlink', { name: r.label }),
                      () =>
                        void patch(
                          { requirementIds: requirementIds.filter((x) => x !== r.id) },
                          r.id,
                          t('detail.unlinked', { name: r.label }),
                        ),
                      r.id,
                    )}
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
        </Tabs.Panel>

        <Tabs.Panel value="risks">
          <Card withBorder radius="md" p="md">
            <Group justify="space-between" mb="sm">
              <Text size="sm" c="dimmed">
                {t('detail.risksHint')}
              </Text>
              {writable && can('risk:read') && (
                <Button size="xs" variant="light" leftSection={<IconPlus size={14} />} onClick={riskPickerCtl.open} data-testid="link-risk">
                  {t('detail.linkRisk')}
                </Button>
              )}
            </Group>
            {c.risks.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('detail.noRisks')}
              </Text>
            ) : (
              <Stack gap={6} data-testid="linked-risks">
                {c.risks.map((r) => (
                  <Group key={r.id} justify="space-between" wrap="nowrap">
                    <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                      <Ref>{r.reference}</Ref>
                      <Anchor component={Link} to={`/s/${scopeId}/risks/${r.id}`} size="sm" fw={500} truncate>
                        {r.title}
                      </Anchor>
                      <Badge size="xs" variant="outline" color="gray">
                        {riskStatusLabels[r.status as RiskStatus] ?? r.status}
                      </Badge>
                    </Group>
                    {unlinkButton(
                      t('detail.unlink', { name: r.reference }),
                      () => void patch({ riskIds: riskIds.filter((x) => x !== r.id) }, r.id, t('detail.unlinked', { name: r.reference })),
                      r.id,
                    )}
                  </Group>
                ))}
              </Stack>
            )}
          </Card>
        </Tabs.Panel>

        <Tabs.Panel value="evidence">
          <ControlEvidencePanel control={c} onChanged={() => void control.refetch()} />
        </Tabs.Panel>

        {can('audit:read') && (
          <Tabs.Panel value="history">
            <RecordAuditTrail scopeId={scopeId} recordType="control" recordId={id} />
          </Tabs.Panel>
        )}
      </Tabs>

      {writable && (
        <>
          <RequirementPicker
            scopeId={scopeId}
            opened={reqPicker}
            onClose={reqPickerCtl.close}
            linked={new Set(requirementIds)}
            busy={busy}
            onLink={(r) =>
              void patch({ requirementIds: [...requirementIds, r.id] }, r.id, t('detail.linked', { name: r.label, reference: c.reference }))
            }
          />
          <RiskPicker
            scopeId={scopeId}
            opened={riskPicker}
            onClose={riskPickerCtl.close}
            linked={new Set(riskIds)}
            busy={busy}
            onLink={(r) =>
              void patch({ riskIds: [...riskIds, r.id] }, r.id, t('detail.linked', { name: r.reference, reference: c.reference }))
            }
          />
        </>
      )}
    </>
  );
}
