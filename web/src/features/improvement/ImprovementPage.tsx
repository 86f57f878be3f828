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
import { IconBulb, IconPlus, IconTargetArrow } from '@tabler/icons-react';
import { Link, useNavigate } from 'react-router';
import { api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import type { Nonconformity, NonconformityDetail, Opportunity } from '../incidents/incident-types.ts';

export const findingStatusLabels: Record<Nonconformity['status'], string> = {
  open: 'Open',
  in_progress: 'Corrective action',
  effectiveness_check: 'Effectiveness check',
  closed: 'Closed',
};
export const findingStatusColors: Record<Nonconformity['status'], string> = {
  open: 'red',
  in_progress: 'orange',
  effectiveness_check: 'violet',
  closed: 'gray',
};
export const findingSourceLabels: Record<Nonconformity['source'], string> = {
  internal_audit: 'Internal audit',
  performance_evaluation: 'Performance evaluation',
  supplier_audit: 'Supplier audit',
  external_audit: 'External audit',
  incident: 'Incident',
  management_review: 'Management review',
  manual: 'Raised by hand',
};

export function ImprovementPage() {
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
      kind: 'nonconformity',
      title: '',
      description: '',
      source: 'internal_audit',
      requirement: '',
      severity: 'minor',
      ownerId: null as string | null,
    },
    validate: { title: (v) => (v.trim() ? null : 'title is required') },
  });
  const ofiForm = useForm({
    initialValues: { title: '', description: '', benefit: '', ownerId: null as string | null },
    validate: { title: (v) => (v.trim() ? null : 'title is required') },
  });
  const write = can('improvement:write');

  return (
    <>
      <PageHeader
        title="Improvement"
        description="Nonconformities and observations with corrective actions and effectiveness checks (ISO 27001 10.2), and opportunities for improvement (10.1). Everything here feeds the management review."
        actions={
          write && (
            <>
              <Button variant="default" leftSection={<IconBulb size={16} />} onClick={ofi.open}>
                New opportunity
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={nc.open}>
                New finding
              </Button>
            </>
          )
        }
      />
      <Tabs defaultValue="findings">
        <Tabs.List mb="md">
          <Tabs.Tab value="findings">Nonconformities and observations ({findings.data?.total ?? 0})</Tabs.Tab>
          <Tabs.Tab value="opportunities">Opportunities ({opportunities.data?.total ?? 0})</Tabs.Tab>
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
                title="No findings"
                description="Findings come from internal audits, performance evaluation, supplier audits and incidents."
              />
            ) : (
              <Table.ScrollContainer minWidth={760}>
                <Table verticalSpacing="sm" highlightOnHover>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Finding</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Source</Table.Th>
                      <Table.Th>Severity</Table.Th>
                      <Table.Th>Owner</Table.Th>
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
                            {f.severity}
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
                title="No opportunities yet"
                description="Ideas that make the ISMS better, from reviews, audits and everyday work."
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
                            data={['proposed', 'planned', 'implemented', 'rejected']}
                            value={o.status}
                            onChange={async (v) => {
                              try {
                                await api.patch(`/api/scopes/${scope.id}/opportunities/${o.id}`, { version: o.version, status: v });
                              } catch (e) {
                                notifyError(e);
                              }
                              void qc.invalidateQueries({ queryKey: ['opportunities', scope.id] });
                            }}
                            aria-label={`Status of ${o.reference}`}
                          />
                        ) : (
                          <Badge variant="light">{o.status}</Badge>
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
      <Modal opened={ncOpen} onClose={nc.close} title={<Text fw={600}>New finding</Text>} size="lg">
        <form
          noValidate
          onSubmit={ncForm.onSubmit(async (v) => {
            try {
              const created = await api.post<NonconformityDetail>(`/api/scopes/${scope.id}/nonconformities`, v);
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
              label="Kind"
              allowDeselect={false}
              data={[
                { value: 'nonconformity', label: 'Nonconformity' },
                { value: 'observation', label: 'Observation' },
              ]}
              {...ncForm.getInputProps('kind')}
            />
            <TextInput label="Title" withAsterisk {...ncForm.getInputProps('title')} />
            <Textarea label="Description" autosize minRows={2} {...ncForm.getInputProps('description')} />
            <Group grow>
              <Select
                label="Source"
                allowDeselect={false}
                data={Object.entries(findingSourceLabels).map(([value, label]) => ({ value, label }))}
                {...ncForm.getInputProps('source')}
              />
              <Select
                label="Severity"
                allowDeselect={false}
                data={['minor', 'major', 'observation']}
                {...ncForm.getInputProps('severity')}
              />
            </Group>
            <TextInput
              label="Requirement concerned"
              placeholder="e.g. ISO/IEC 27001 clause 9.2 or Annex A 5.18"
              {...ncForm.getInputProps('requirement')}
            />
            <Select label="Owner" clearable searchable data={memberData} {...ncForm.getInputProps('ownerId')} />
            <Group justify="flex-end">
              <Button type="submit">Record finding</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
      <Modal opened={ofiOpen} onClose={ofi.close} title={<Text fw={600}>New opportunity for improvement</Text>} size="lg">
        <form
          noValidate
          onSubmit={ofiForm.onSubmit(async (v) => {
            try {
              await api.post(`/api/scopes/${scope.id}/opportunities`, v);
              notifySuccess('Opportunity recorded');
              ofi.close();
              ofiForm.reset();
              void qc.invalidateQueries({ queryKey: ['opportunities', scope.id] });
            } catch (e) {
              if (!applyFieldError(ofiForm, e)) notifyError(e);
            }
          })}
        >
          <Stack>
            <TextInput label="Title" withAsterisk {...ofiForm.getInputProps('title')} />
            <Textarea label="Description" autosize minRows={2} {...ofiForm.getInputProps('description')} />
            <TextInput label="Benefit" {...ofiForm.getInputProps('benefit')} />
            <Select label="Owner" clearable searchable data={memberData} {...ofiForm.getInputProps('ownerId')} />
            <Group justify="flex-end">
              <Button type="submit">Record opportunity</Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
