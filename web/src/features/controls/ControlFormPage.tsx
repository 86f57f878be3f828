import {
  Badge,
  Button,
  Card,
  Grid,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateInput } from '@mantine/dates';
import { useForm } from '@mantine/form';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';
import { useBlocker, useNavigate, useParams } from 'react-router';
import { ApiError, api } from '../../app/api.ts';
import { fieldLabel, formatDate, options } from '../../app/labels.ts';
import { useCurrentScope, useMembers } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageHeader, PageLoader } from '../../app/ui.tsx';
import { controlStatusLabels, effectivenessLabels } from './control-labels.ts';
import type { ControlDetail, ControlStatus, CreateControlInput, Effectiveness, UpdateControlInput } from './control-types.ts';

type Values = {
  title: string;
  description: string;
  ownerId: string | null;
  status: ControlStatus;
  effectiveness: Effectiveness;
  costEstimate: number | null;
  dueOn: string | null;
  implementedOn: string | null;
};
type Field = keyof Values;

const fromControl = (c: ControlDetail): Values => ({
  title: c.title,
  description: c.description,
  ownerId: c.owner?.id ?? null,
  status: c.status,
  effectiveness: c.effectiveness,
  costEstimate: c.costEstimate,
  dueOn: c.dueOn,
  implementedOn: c.implementedOn,
});
const empty: Values = {
  title: '',
  description: '',
  ownerId: null,
  status: 'planned',
  effectiveness: 'not_assessed',
  costEstimate: null,
  dueOn: null,
  implementedOn: null,
};
const fields = Object.keys(empty) as Field[];
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Create or edit a control. A stale edit (409) shows what another user changed and lets the user reload or overwrite. */
export function ControlFormPage() {
  const { id } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const navigate = useNavigate();
  const qc = useQueryClient();
  const editing = !!id;
  const control = useQuery({
    queryKey: ['control', scopeId, id],
    queryFn: () => api.get<ControlDetail>(`/api/scopes/${scopeId}/controls/${id}`),
    enabled: editing,
  });
  const members = useMembers(scopeId);
  const [conflict, setConflict] = useState<ControlDetail | null>(null);
  const [error, setError] = useState<unknown>(null);
  const leaving = useRef(false);
  const form = useForm<Values>({
    initialValues: empty,
    validate: {
      title: (v) => (v.trim() ? null : 'Title is required'),
    },
  });
  const load = (c: ControlDetail) => {
    form.setValues(fromControl(c));
    form.resetDirty(fromControl(c));
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the record when it arrives, never over the user's edits
  useEffect(() => {
    if (control.data && !form.isDirty()) load(control.data);
  }, [control.data]);
  const dirty = form.isDirty();
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
  );

  const base = control.data;
  const save = async (values: Values, version?: number) => {
    setError(null);
    try {
      let saved: ControlDetail;
      if (editing && base) {
        const changed = Object.fromEntries(fields.filter((k) => form.isDirty(k)).map((k) => [k, values[k]])) as Partial<Values>;
        if (changed.title !== undefined) changed.title = changed.title.trim();
        const body: UpdateControlInput = { ...changed, version: version ?? base.version };
        saved = await api.patch<ControlDetail>(`/api/scopes/${scopeId}/controls/${id}`, body);
      } else {
        const body: CreateControlInput = { ...values, title: values.title.trim() };
        saved = await api.post<ControlDetail>(`/api/scopes/${scopeId}/controls`, body);
      }
      void qc.invalidateQueries({ queryKey: ['controls', scopeId] });
      void qc.invalidateQueries({ queryKey: ['audit', scopeId] });
      qc.setQueryData(['control', scopeId, saved.id], saved);
      notifySuccess(editing ? `${saved.reference} saved` : `${saved.reference} “${saved.title}” created`);
      leaving.current = true;
      void navigate(`/s/${scopeId}/controls/${saved.id}`);
    } catch (e) {
      if (e instanceof ApiError && e.code === 'version_conflict' && e.details?.current) setConflict(e.details.current as ControlDetail);
      else if (!applyFieldError(form, e)) setError(e);
    }
  };

  if (editing && control.isPending) return <PageLoader />;
  if (editing && control.error) return <ErrorAlert error={control.error} />;

  const ownerData = (members.data ?? [])
    .filter((m) => m.status !== 'disabled' || m.userId === base?.owner?.id)
    .map((m) => ({ value: m.userId, label: m.name }));
  if (base?.owner && !ownerData.some((o) => o.value === base.owner?.id)) ownerData.push({ value: base.owner.id, label: base.owner.name });

  const show = (k: Field, v: Values[Field]): string => {
    if (v === null || v === '') return k === 'ownerId' ? 'No owner' : '(empty)';
    if (k === 'ownerId') return ownerData.find((o) => o.value === v)?.label ?? conflict?.owner?.name ?? 'Another user';
    if (k === 'status') return controlStatusLabels[v as ControlStatus];
    if (k === 'effectiveness') return effectivenessLabels[v as Effectiveness];
    if (k === 'dueOn' || k === 'implementedOn') return formatDate(v as string);
    return String(v);
  };
  const original = base ? fromControl(base) : empty;
  const theirs = conflict ? fromControl(conflict) : empty;
  const changedByOther = conflict ? fields.filter((k) => !same(original[k], theirs[k])) : [];
  const dateInput = (k: 'dueOn' | 'implementedOn', label: string, description: string) => (
    <DateInput
      label={label}
      description={description}
      placeholder="No date"
      clearable
      valueFormat="D MMM YYYY"
      value={form.values[k]}
      onChange={(d) => form.setFieldValue(k, d ? d.slice(0, 10) : null)}
      error={form.errors[k]}
      data-testid={`control-${k}`}
    />
  );

  return (
    <>
      <PageHeader
        title={editing ? `Edit ${base?.title ?? ''}` : 'New control'}
        crumbs={[
          { label: 'Controls', to: `/s/${scopeId}/controls` },
          ...(editing && base ? [{ label: base.reference, to: `/s/${scopeId}/controls/${base.id}` }] : []),
          { label: editing ? 'Edit' : 'New' },
        ]}
        description={
          editing
            ? `${base?.reference} · version ${base?.version}`
            : `A new control in the library of ${scope.name}. It gets the next free reference (CTL-…) when saved; link catalog requirements, risks and evidence on its page.`
        }
      />
      <form onSubmit={form.onSubmit((v) => save(v))} noValidate data-testid="control-form">
        <Stack>
          <ErrorAlert error={error} title="Not saved" />
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              The control
            </Title>
            <Grid>
              <Grid.Col span={12}>
                <TextInput
                  label="Title"
                  name="title"
                  withAsterisk
                  placeholder="e.g. Multi-factor authentication for remote access"
                  data-autofocus
                  {...form.getInputProps('title')}
                />
              </Grid.Col>
              <Grid.Col span={12}>
                <Textarea
                  label="Description"
                  name="description"
                  placeholder="What the control does, where and how it is implemented"
                  autosize
                  minRows={3}
                  maxRows={12}
                  {...form.getInputProps('description')}
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label="Owner"
                  description="Responsible for implementing and operating the control"
                  placeholder="No owner yet"
                  clearable
                  searchable
                  nothingFoundMessage="No member of this scope matches"
                  data={ownerData}
                  {...form.getInputProps('ownerId')}
                  data-testid="control-owner"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <NumberInput
                  label="Cost estimate"
                  description="One-off and running cost, in your currency"
                  placeholder="Not estimated"
                  min={0}
                  thousandSeparator=" "
                  value={form.values.costEstimate ?? ''}
                  onChange={(v) => form.setFieldValue('costEstimate', typeof v === 'number' ? v : null)}
                  error={form.errors.costEstimate}
                  data-testid="control-cost"
                />
              </Grid.Col>
            </Grid>
          </Card>
          <Card withBorder radius="md" p="lg">
            <Title order={5} mb="md">
              Implementation
            </Title>
            <Grid>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label="Status"
                  allowDeselect={false}
                  data={options(controlStatusLabels)}
                  {...form.getInputProps('status')}
                  data-testid="control-status"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>
                <Select
                  label="Effectiveness"
                  description="As measured or assessed (ISO 27001 9.1)"
                  allowDeselect={false}
                  data={options(effectivenessLabels)}
                  {...form.getInputProps('effectiveness')}
                  data-testid="control-effectiveness"
                />
              </Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{dateInput('dueOn', 'Due date', 'When it should be implemented')}</Grid.Col>
              <Grid.Col span={{ base: 12, md: 6 }}>{dateInput('implementedOn', 'Implemented on', 'When it went into operation')}</Grid.Col>
            </Grid>
          </Card>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => navigate(editing ? `/s/${scopeId}/controls/${id}` : `/s/${scopeId}/controls`)}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="save-control">
              Save control
            </Button>
          </Group>
        </Stack>
      </form>

      <Modal
        opened={!!conflict}
        onClose={() => setConflict(null)}
        title={
          <Group gap="xs">
            <IconAlertTriangle size={20} color="var(--mantine-color-orange-6)" />
            <Text fw={600}>Another user changed this control</Text>
          </Group>
        }
        size="xl"
        centered
        data-testid="conflict-dialog"
      >
        <Stack>
          <Text size="sm">
            While you were editing, another user saved version {conflict?.version} of {base?.reference}.{' '}
            {changedByOther.length > 0 ? 'These fields were changed:' : 'No field you can edit here differs; saving keeps your changes.'}
          </Text>
          {changedByOther.length > 0 && (
            <Table.ScrollContainer minWidth={520}>
              <Table fz="sm" withTableBorder verticalSpacing="xs" data-testid="conflict-fields">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Field</Table.Th>
                    <Table.Th>When you opened it</Table.Th>
                    <Table.Th>Now</Table.Th>
                    <Table.Th>Your change</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {changedByOther.map((k) => (
                    <Table.Tr key={k} data-testid="conflict-field">
                      <Table.Td fw={500}>{fieldLabel(k)}</Table.Td>
                      <Table.Td c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {show(k, original[k])}
                      </Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>{show(k, theirs[k])}</Table.Td>
                      <Table.Td style={{ overflowWrap: 'anywhere' }}>
                        {form.isDirty(k) ? (
                          <Group gap={6} wrap="nowrap">
                            <Badge color="orange" variant="light" size="sm">
                              both changed
                            </Badge>
                            <Text size="sm">{show(k, form.values[k])}</Text>
                          </Group>
                        ) : (
                          <Text size="sm" c="dimmed">
                            unchanged, theirs is kept
                          </Text>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
          )}
          <Text size="sm" c="dimmed">
            Reloading shows their version and discards your edits. Overwriting saves the fields you changed on top of their version.
          </Text>
          <Group justify="flex-end">
            <Button
              variant="default"
              data-testid="conflict-reload"
              onClick={() => {
                const current = conflict;
                setConflict(null);
                if (current) {
                  load(current);
                  qc.setQueryData(['control', scopeId, id], current);
                }
              }}
            >
              Reload their version
            </Button>
            <Button
              color="orange"
              data-testid="conflict-overwrite"
              onClick={() => {
                const version = conflict?.version;
                setConflict(null);
                void save(form.getValues(), version);
              }}
            >
              Overwrite with my changes
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={blocker.state === 'blocked'}
        onClose={() => blocker.reset?.()}
        title={<Text fw={600}>Leave without saving?</Text>}
        centered
      >
        <Stack>
          <Text size="sm">Your changes to this control have not been saved.</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => blocker.reset?.()}>
              Keep editing
            </Button>
            <Button color="red" onClick={() => blocker.proceed?.()}>
              Discard changes
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
