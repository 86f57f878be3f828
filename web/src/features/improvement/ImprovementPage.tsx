import {
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Modal,
  Select,
  Stack,
  Table,
  Tabs,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconBulb, IconJson, IconPlus, IconTargetArrow } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { labelsOf } from '../../app/labels.ts';
import { ExportCsvButton } from '../../app/ListParts.tsx';
import type {
  CreateNonconformityInput,
  CreateOpportunityInput,
  Nonconformity,
  NonconformityDetail,
  Opportunity,
  UpdateOpportunityInput,
} from '../incidents/incident-types.ts';
import { createNonconformityBody, createOpportunityBody } from '../../../../server/src/processes/improvement/improvement.schemas.ts';
import { textLimits } from '../../app/FormParts.tsx';

const ncLimits = textLimits(createNonconformityBody.shape);
const ofiLimits = textLimits(createOpportunityBody.shape);

export const findingStatusLabels: Record<Nonconformity['status'], string> = labelsOf('improvement:status', [
  'open',
  'in_progress',
  'effectiveness_check',
  'closed',
]);
export const findingStatusColors: Record<Nonconformity['status'], string> = {
  open: 'red',
  in_progress: 'orange',
  effectiveness_check: 'violet',
  closed: 'gray',
};
export const findingSeverityLabels: Record<Nonconformity['severity'], string> = labelsOf('improvement:severity', [
  'minor',
  'major',
  'observation',
]);
export const opportunityStatusLabels: Record<Opportunity['status'], string> = labelsOf('improvement:opportunityStatus', [
  'proposed',
  'planned',
  'implemented',
  'rejected',
]);
export const findingSourceLabels: Record<Nonconformity['source'], string> = labelsOf('improvement:source', [
  'internal_audit',
  'performance_evaluation',
  'supplier_audit',
  'external_audit',
  'incident',
  'management_review',
  'manual',
]);

export function ImprovementPage() {
  const { t } = useTranslation('improvement');
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const members = useMembers(scope.id);
  const [ncOpen, nc] = useDisclosure(false);
  const [ofiOpen, ofi] = useDisclosure(false);
  const findings = useQuery({
    queryKey: ['nonconformities', scope.id],
    queryFn: () => api.get<Page<Nonconformity>>(`/api/scopes/${scope.id}/nonconformities`, { pageSize: 100 }),
  });
  const opportunities = useQuery({
    queryKey: ['opportunities', scope.id],
    queryFn: () => api.get<Page<Opportunity>>(`/api/scopes/${scope.id}/opportunities`, { pageSize: 100 }),
  });
  const memberData = (members.data ?? []).map((m) => ({ value: m.userId, label: m.name }));
  const ncForm = useForm({
    initialValues: {
      kind: 'nonconformity' as CreateNonconformityInput['kind'],
      title: '',
      description: '',
      source: 'internal_audit' as CreateNonconformityInput['source'],
      requirement: '',
      severity: 'minor' as CreateNonconformityInput['severity'],
      ownerId: null as string | null,
    },
    validate: { title: (v) => (v.trim() ? null : t('page.titleRequired')) },
  });
  const ofiForm = useForm({
    initialValues: { title: '', description: '', benefit: '', ownerId: null as string | null },
    validate: { title: (v) => (v.trim() ? null : t('page.titleRequired')) },
  });
  const write = can('improvement:write');

  return (
    <>
      <PageHeader
        title={t('page.title')}
        description={t('page.description')}
        actions={
          <>
            <ExportCsvButton href={`/api/scopes/${scope.id}/nonconformities.csv`} />
            {can('risk:read') && (
              <Button
                variant="default"
                component="a"
                href={`/api/scopes/${scope.id}/poam.oscal.json`}
                download
                title={t('page.poamHint')}
                leftSection={<IconJson size={16} />}
                data-testid="export-poam"
              >
                {t('page.poam')}
              </Button>
            )}
            {write && (
              <>
                <Button variant="default" leftSection={<IconBulb size={16} />} onClick={ofi.open}>
                  {t('page.newOpportunity')}
                </Button>
                <Button leftSection={<IconPlus size={16} />} onClick={nc.open}>
                  {t('page.newFinding')}
                </Button>
              </>
            )}
          </>
        }
      />
      <Tabs defaultValue="findings">
        <Tabs.List mb="md">
          <Tabs.Tab value="findings">{t('page.tab.findings', { count: findings.data?.total ?? 0 })}</Tabs.Tab>
          <Tabs.Tab value="opportunities">{t('page.tab.opportunities', { count: opportunities.data?.total ?? 0 })}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="findings">
          <Card withBorder radius="md" p={0}>
            <ErrorAlert error={findings.error} />
            {findings.isLoading ? (
              <TableSkeleton />
            ) : findings.data?.total === 0 ? (
              <EmptyState
                py={48}
                icon={<IconTargetArrow size={36} />}
                withIndicatorBackground
                title={t('page.noFindings')}
                description={t('page.noFindingsHint')}
              />
            ) : (
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="sm" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('page.col.finding')}</Table.Th>
                      <Table.Th>{t('page.col.status')}</Table.Th>
                      <Table.Th>{t('page.col.source')}</Table.Th>
                      <Table.Th>{t('page.col.severity')}</Table.Th>
                      <Table.Th>{t('page.col.owner')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {findings.data?.items.map((f) => (
                      <Table.Tr key={f.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/s/${scope.id}/improvement/${f.id}`} size="sm" fw={500}>
                            <Ref>{f.reference}</Ref> {f.title}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>
                          <Badge color={findingStatusColors[f.status]} variant="light">
                            {findingStatusLabels[f.status]}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">
                            {findingSourceLabels[f.source]}
                            {f.sourceRecord?.ref ? ` · ${f.sourceRecord.ref}` : ''}
                          </Text>
                        </Table.Td>
                        <Table.Td>
                          <Badge variant="outline" color={f.severity === 'major' ? 'red' : 'gray'}>
                            {findingSeverityLabels[f.severity]}
                          </Badge>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm">{f.owner?.name ?? '—'}</Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        </Tabs.Panel>
        <Tabs.Panel value="opportunities">
          <Card withBorder radius="md" p={0}>
            {opportunities.data?.total === 0 ? (
              <EmptyState
                py={48}
                icon={<IconBulb size={36} />}
                withIndicatorBackground
                title={t('page.noOpportunities')}
                description={t('page.noOpportunitiesHint')}
              />
            ) : (
              <Table verticalSpacing="sm">
                <Table.Tbody>
                  {opportunities.data?.items.map((o) => (
                    <Table.Tr key={o.id}>
                      <Table.Td>
                        <Text size="sm" fw={500}>
                          <Ref>{o.reference}</Ref> {o.title}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {o.benefit}
                        </Text>
                      </Table.Td>
                      <Table.Td w={180}>
                        {write ? (
                          <Select
                            size="xs"
                            allowDeselect={false}
                            data={Object.entries(opportunityStatusLabels).map(([value, label]) => ({ value, label }))}
                            value={o.status}
                            onChange={async (v) => {
                              try {
                                await api.patch<Opportunity, UpdateOpportunityInput>(`/api/scopes/${scope.id}/opportunities/${o.id}`, {
                                  version: o.version,
                                  status: (v ?? o.status) as Opportunity['status'],
                                });
                              } catch (e) {
                                notifyError(e);
                              }
                              void qc.invalidateQueries({ queryKey: ['opportunities', scope.id] });
                            }}
                            aria-label={t('page.statusOf', { reference: o.reference })}
                          />
                        ) : (
                          <Badge variant="light">{opportunityStatusLabels[o.status]}</Badge>
                        )}
                      </Table.Td>
                      <Table.Td w={160}>
                        <Text size="sm">{o.owner?.name ?? '—'}</Text>
                        <Text size="xs" c="dimmed">
                          {formatDate(o.createdAt)}
                        </Text>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            )}
          </Card>
        </Tabs.Panel>
      </Tabs>
      <Modal opened={ncOpen} onClose={nc.close} title={<Text fw={600}>{t('page.newFinding')}</Text>} size="lg">
        <form
          noValidate
          onSubmit={ncForm.onSubmit(async (v) => {
            try {
              const created = await api.post<NonconformityDetail, CreateNonconformityInput>(`/api/scopes/${scope.id}/nonconformities`, v);
              nc.close();
              ncForm.reset();
              void qc.invalidateQueries({ queryKey: ['nonconformities', scope.id] });
              void navigate(`/s/${scope.id}/improvement/${created.id}`);
            } catch (e) {
              if (!applyFieldError(ncForm, e)) notifyError(e);
            }
          })}
        >
          <Stack>
            <Select
              label={t('page.form.kind')}
              allowDeselect={false}
              data={[
                { value: 'nonconformity', label: t('page.form.nonconformity') },
                { value: 'observation', label: t('page.form.observation') },
              ]}
              {...ncForm.getInputProps('kind')}
            />
            <TextInput label={t('page.form.title')} withAsterisk maxLength={ncLimits.title} {...ncForm.getInputProps('title')} />
            <Textarea
              label={t('page.form.description')}
              autosize
              minRows={2}
              maxLength={ncLimits.description}
              {...ncForm.getInputProps('description')}
            />
            <Group grow>
              <Select
                label={t('page.col.source')}
                allowDeselect={false}
                data={Object.entries(findingSourceLabels).map(([value, label]) => ({ value, label }))}
                {...ncForm.getInputProps('source')}
              />
              <Select
                label={t('page.col.severity')}
                allowDeselect={false}
                data={Object.entries(findingSeverityLabels).map(([value, label]) => ({ value, label }))}
                {...ncForm.getInputProps('severity')}
              />
            </Group>
            <TextInput
              label={t('page.form.requirement')}
              placeholder={t('page.form.requirementPlaceholder')}
              maxLength={ncLimits.requirement}
              {...ncForm.getInputProps('requirement')}
            />
            <Select label={t('page.col.owner')} clearable searchable data={memberData} {...ncForm.getInputProps('ownerId')} />
            <Group justify="flex-end">
              <Button type="submit">{t('page.form.recordFinding')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={ofiOpen} onClose={ofi.close} title={<Text fw={600}>{t('page.form.newOpportunityTitle')}</Text>} size="lg">
        <form
          noValidate
          onSubmit={ofiForm.onSubmit(async (v) => {
            try {
              await api.post<Opportunity, CreateOpportunityInput>(`/api/scopes/${scope.id}/opportunities`, v);
              notifySuccess(t('page.form.opportunityRecorded'));
              ofi.close();
              ofiForm.reset();
              void qc.invalidateQueries({ queryKey: ['opportunities', scope.id] });
            } catch (e) {
              if (!applyFieldError(ofiForm, e)) notifyError(e);
            }
          })}
        >
          <Stack>
            <TextInput label={t('page.form.title')} withAsterisk maxLength={ofiLimits.title} {...ofiForm.getInputProps('title')} />
            <Textarea
              label={t('page.form.description')}
              autosize
              minRows={2}
              maxLength={ofiLimits.description}
              {...ofiForm.getInputProps('description')}
            />
            <TextInput label={t('page.form.benefit')} maxLength={ofiLimits.benefit} {...ofiForm.getInputProps('benefit')} />
            <Select label={t('page.col.owner')} clearable searchable data={memberData} {...ofiForm.getInputProps('ownerId')} />
            <Group justify="flex-end">
              <Button type="submit">{t('page.form.recordOpportunity')}</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
