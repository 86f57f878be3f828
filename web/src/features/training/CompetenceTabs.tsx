import { Badge, Button, Card, EmptyState, Group, Modal, MultiSelect, Select, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconCertificate, IconPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, TableSkeleton } from '../../app/ui.tsx';
import type {
  AddPersonCompetenceInput,
  Competence,
  CreateCompetenceInput,
  CreateJobRoleInput,
  Gap,
  JobRole,
  Person,
  PersonCompetence,
  UpdateJobRoleInput,
  UpdatePersonCompetenceInput,
  UpdatePersonInput,
} from './training-types.ts';
import { NumberField, numberLimits, textLimits } from '../../app/FormParts.tsx';
import {
  addPersonCompetenceBody,
  createCompetenceBody,
  createJobRoleBody,
  listNamedQuery,
  updatePersonBody,
} from '../../../../server/src/processes/competence-awareness/competence.schemas.ts';

const roleLimits = textLimits(createJobRoleBody.shape);
const competenceLimits = textLimits(createCompetenceBody.shape);
const validityLimits = numberLimits(createCompetenceBody.shape).validityMonths;
const personLimits = textLimits(updatePersonBody.shape);
const evidenceLimit = textLimits(addPersonCompetenceBody.shape).evidence;
const searchLimit = textLimits(listNamedQuery.shape).q;

const PAGE_SIZE = 25;

export function useCompetences(scopeId: string, enabled = true) {
  return useQuery({
    queryKey: ['competences', scopeId],
    queryFn: () => api.get<Page<Competence>>(`/api/scopes/${scopeId}/competences`, { pageSize: 200 }),
    enabled,
  });
}
function useJobRoles(scopeId: string) {
  return useQuery({
    queryKey: ['job-roles', scopeId],
    queryFn: () => api.get<Page<JobRole>>(`/api/scopes/${scopeId}/job-roles`, { pageSize: 200 }),
  });
}
export { useJobRoles };

/** Job roles and the competences each requires (ISO 27001 7.2 a). */
export function JobRolesTab() {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const manage = can('competence:manage');
  const competences = useCompetences(scope.id);
  const roles = useJobRoles(scope.id);
  const [editing, setEditing] = useState<JobRole | 'new' | null>(null);
  const [newCompetence, setNewCompetence] = useState(false);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [picked, setPicked] = useState<string[]>([]);
  const [validity, setValidity] = useState<number | string>('');
  const [busy, setBusy] = useState(false);
  const openRole = (r: JobRole | 'new') => {
    setEditing(r);
    setName(r === 'new' ? '' : r.name);
    setDescription(r === 'new' ? '' : r.description);
    setPicked(r === 'new' ? [] : r.competences.map((c) => c.id));
  };
  const saveRole = async () => {
    setBusy(true);
    try {
      if (editing === 'new')
        await api.post<JobRole, CreateJobRoleInput>(`/api/scopes/${scope.id}/job-roles`, { name, description, competenceIds: picked });
      else if (editing)
        await api.patch<JobRole, UpdateJobRoleInput>(`/api/scopes/${scope.id}/job-roles/${editing.id}`, {
          version: editing.version,
          name,
          description,
          competenceIds: picked,
        });
      void qc.invalidateQueries({ queryKey: ['job-roles', scope.id] });
      void qc.invalidateQueries({ queryKey: ['competence-gaps', scope.id] });
      notifySuccess(t('roles.saved', { name }));
      setEditing(null);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const saveCompetence = async () => {
    setBusy(true);
    try {
      await api.post<Competence, CreateCompetenceInput>(`/api/scopes/${scope.id}/competences`, {
        name,
        description,
        validityMonths: validity === '' ? null : Number(validity),
      });
      void qc.invalidateQueries({ queryKey: ['competences', scope.id] });
      notifySuccess(t('roles.competenceAdded', { name }));
      setNewCompetence(false);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const error = roles.error ?? competences.error;
  return (
    <Stack>
      <Card withBorder radius="md" p="lg">
        <Group justify="space-between" mb="sm" wrap="wrap">
          <div>
            <Text fw={600}>{t('page.tab.roles')}</Text>
            <Text size="sm" c="dimmed">
              {t('roles.hint')}
            </Text>
          </div>
          {manage && (
            <Group gap="xs">
              <Button
                variant="default"
                leftSection={<IconCertificate size={16} />}
                onClick={() => {
                  setName('');
                  setDescription('');
                  setValidity('');
                  setNewCompetence(true);
                }}
                data-testid="new-competence"
              >
                {t('roles.newCompetence')}
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={() => openRole('new')} data-testid="new-job-role">
                {t('roles.newRole')}
              </Button>
            </Group>
          )}
        </Group>
        {error ? (
          <ErrorAlert error={error} />
        ) : !roles.data ? (
          <TableSkeleton rows={3} />
        ) : roles.data.total === 0 ? (
          <EmptyState
            py="lg"
            icon={<IconUsers size={28} />}
            withIndicatorBackground
            title={t('roles.empty')}
            description={manage ? t('roles.emptyHintManager') : t('roles.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={520}>
            <Table verticalSpacing="sm" highlightOnHover={manage} data-testid="job-role-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('roles.col.role')}</Table.Th>
                  <Table.Th>{t('roles.col.required')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {roles.data.items.map((r) => (
                  <Table.Tr key={r.id} className={manage ? 'row-link' : undefined} onClick={() => manage && openRole(r)}>
                    <Table.Td>
                      <Text size="sm" fw={500}>
                        {r.name}
                      </Text>
                      {r.description && (
                        <Text size="xs" c="dimmed">
                          {r.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {r.competences.length === 0 ? (
                          <Text size="sm" c="dimmed">
                            {t('roles.none')}
                          </Text>
                        ) : (
                          r.competences.map((c) => (
                            <Badge key={c.id} variant="light" color="gray">
                              {c.name}
                            </Badge>
                          ))
                        )}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Card>
      <Card withBorder radius="md" p="lg">
        <Text fw={600} mb="xs">
          {t('roles.competences')}
        </Text>
        {competences.data && competences.data.total === 0 ? (
          <Text size="sm" c="dimmed">
            {t('roles.noneYet')}
          </Text>
        ) : (
          <Group gap={6}>
            {competences.data?.items.map((c) => (
              <Badge key={c.id} variant="outline" color="gray" size="lg" tt="none">
                {c.name}
                {c.validityMonths ? ` · ${t('roles.validMonths', { count: c.validityMonths })}` : ''}
              </Badge>
            ))}
          </Group>
        )}
      </Card>
      <Modal
        opened={!!editing}
        onClose={() => setEditing(null)}
        title={<Text fw={600}>{editing === 'new' ? t('roles.newRole') : t('roles.editRole')}</Text>}
        centered
      >
        <Stack>
          <TextInput
            label={t('roles.name')}
            withAsterisk
            placeholder={t('roles.namePlaceholder')}
            maxLength={roleLimits.name}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="job-role-name"
          />
          <Textarea
            label={t('roles.description')}
            autosize
            maxLength={roleLimits.description}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <MultiSelect
            label={t('roles.col.required')}
            searchable
            data={(competences.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={picked}
            onChange={setPicked}
            nothingFoundMessage={t('roles.addFirst')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setEditing(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button loading={busy} disabled={!name.trim()} onClick={saveRole}>
              {t('roles.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={newCompetence}
        onClose={() => setNewCompetence(false)}
        title={<Text fw={600}>{t('roles.newCompetence')}</Text>}
        centered
      >
        <Stack>
          <TextInput
            label={t('roles.name')}
            withAsterisk
            placeholder={t('roles.competencePlaceholder')}
            maxLength={competenceLimits.name}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            data-testid="competence-name"
          />
          <Textarea
            label={t('roles.description')}
            autosize
            maxLength={competenceLimits.description}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <NumberField
            label={t('roles.validFor')}
            description={t('roles.validForHint')}
            {...validityLimits}
            value={validity}
            onChange={setValidity}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setNewCompetence(false)}>
              {t('common:actions.cancel')}
            </Button>
            <Button loading={busy} disabled={!name.trim()} onClick={saveCompetence}>
              {t('roles.add')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}

/** People of the scope: department, job roles, competences with evidence and expiry (ISO 27001 7.2 b–d). */
export function PeopleTab() {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const manage = can('competence:manage');
  const [q, setQ] = useState('');
  const [page, setPage] = useState(1);
  const people = useQuery({
    queryKey: ['people', scope.id, q, page],
    queryFn: () => api.get<Page<Person>>(`/api/scopes/${scope.id}/people`, { q: q || undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const roles = useJobRoles(scope.id);
  const competences = useCompetences(scope.id);
  const [editing, setEditing] = useState<Person | null>(null);
  const [adding, setAdding] = useState<Person | null>(null);
  const [department, setDepartment] = useState('');
  const [jobRoleIds, setJobRoleIds] = useState<string[]>([]);
  const [competenceId, setCompetenceId] = useState<string | null>(null);
  const [evidence, setEvidence] = useState('');
  const [acquiredOn, setAcquiredOn] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [busy, setBusy] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['people', scope.id] });
    void qc.invalidateQueries({ queryKey: ['competence-gaps', scope.id] });
    void qc.invalidateQueries({ queryKey: ['awareness', scope.id] });
  };
  const savePerson = async () => {
    if (!editing) return;
    setBusy(true);
    try {
      await api.patch<Person, UpdatePersonInput>(`/api/scopes/${scope.id}/people/${editing.userId}`, {
        version: editing.version,
        department: department.trim() || null,
        jobRoleIds,
      });
      refresh();
      notifySuccess(t('people.saved', { name: editing.name }));
      setEditing(null);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const [changing, setChanging] = useState<{ person: Person; pc: PersonCompetence } | null>(null);
  const updateCompetence = async () => {
    if (!changing) return;
    setBusy(true);
    try {
      await api.patch<PersonCompetence, UpdatePersonCompetenceInput>(`/api/scopes/${scope.id}/person-competences/${changing.pc.id}`, {
        version: changing.pc.version,
        evidence,
        acquiredOn,
        expiresOn: expiresOn || null,
      });
      refresh();
      notifySuccess(t('people.competenceSaved', { competence: changing.pc.competenceName, name: changing.person.name }));
      setChanging(null);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const addCompetence = async () => {
    if (!adding || !competenceId) return;
    setBusy(true);
    try {
      await api.post<PersonCompetence, AddPersonCompetenceInput>(`/api/scopes/${scope.id}/people/${adding.userId}/competences`, {
        competenceId,
        evidence,
        acquiredOn,
        ...(expiresOn && { expiresOn }),
      });
      refresh();
      notifySuccess(t('people.recorded', { name: adding.name }));
      setAdding(null);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card withBorder radius="md" p={0}>
      <Group p="md" justify="space-between" wrap="wrap">
        <TextInput
          placeholder={t('people.search')}
          aria-label={t('people.search')}
          maxLength={searchLimit}
          value={q}
          onChange={(e) => {
            setQ(e.currentTarget.value);
            setPage(1);
          }}
          w={{ base: '100%', sm: 260 }}
        />
        {people.data && (
          <Text size="sm" c="dimmed">
            {people.data.total} {people.data.total === 1 ? 'person' : 'people'}
          </Text>
        )}
      </Group>
      {people.error ? (
        <ErrorAlert error={people.error} />
      ) : !people.data ? (
        <TableSkeleton rows={4} />
      ) : (
        <Table.ScrollContainer minWidth={760}>
          <Table verticalSpacing="sm" data-testid="people-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.col.person')}</Table.Th>
                <Table.Th>{t('people.col.department')}</Table.Th>
                <Table.Th>{t('page.tab.roles')}</Table.Th>
                <Table.Th>{t('roles.competences')}</Table.Th>
                {manage && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {people.data.items.map((p) => (
                <Table.Tr key={p.userId}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {p.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {roleLabels[p.scopeRole as ScopeRole] ?? p.scopeRole}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={p.department ? undefined : 'dimmed'}>
                      {p.department ?? '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {p.jobRoles.map((r) => (
                        <Badge key={r.id} variant="light">
                          {r.name}
                        </Badge>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Stack gap={2}>
                      {p.competences.map((c) => (
                        <Text
                          key={c.id}
                          size="xs"
                          c={c.expired ? 'red.7' : undefined}
                          title={t('people.evidenceTitle', { evidence: c.evidence })}
                          td={manage ? 'underline dotted' : undefined}
                          style={manage ? { cursor: 'pointer' } : undefined}
                          onClick={() => {
                            if (!manage) return;
                            setChanging({ person: p, pc: c });
                            setEvidence(c.evidence);
                            setAcquiredOn(c.acquiredOn);
                            setExpiresOn(c.expiresOn ?? '');
                          }}
                        >
                          {c.competenceName}
                          {c.expiresOn ? ` · ${t(c.expired ? 'people.expiredOn' : 'people.until', { date: formatDate(c.expiresOn) })}` : ''}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                  {manage && (
                    <Table.Td>
                      <Group gap={4} wrap="nowrap">
                        <Button
                          size="compact-sm"
                          variant="default"
                          onClick={() => {
                            setEditing(p);
                            setDepartment(p.department ?? '');
                            setJobRoleIds(p.jobRoles.map((r) => r.id));
                          }}
                        >
                          {t('people.edit')}
                        </Button>
                        <Button
                          size="compact-sm"
                          variant="light"
                          onClick={() => {
                            setAdding(p);
                            setCompetenceId(null);
                            setEvidence('');
                            setAcquiredOn(new Date().toISOString().slice(0, 10));
                            setExpiresOn('');
                          }}
                        >
                          {t('people.addCompetence')}
                        </Button>
                      </Group>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {people.data && <ListPager total={people.data.total} of={people.data} page={page} pageSize={PAGE_SIZE} onPage={setPage} />}
      <Modal opened={!!editing} onClose={() => setEditing(null)} title={<Text fw={600}>{editing?.name}</Text>} centered>
        <Stack>
          <TextInput
            label={t('people.col.department')}
            placeholder={t('people.departmentPlaceholder')}
            maxLength={personLimits.department}
            value={department}
            onChange={(e) => setDepartment(e.currentTarget.value)}
          />
          <MultiSelect
            label={t('page.tab.roles')}
            data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
            value={jobRoleIds}
            onChange={setJobRoleIds}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setEditing(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button loading={busy} onClick={savePerson}>
              {t('roles.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={!!changing}
        onClose={() => setChanging(null)}
        title={
          <Text fw={600}>
            {changing?.pc.competenceName} · {changing?.person.name}
          </Text>
        }
        centered
      >
        <Stack>
          <Textarea
            label={t('people.evidence')}
            withAsterisk
            autosize
            maxLength={evidenceLimit}
            value={evidence}
            onChange={(e) => setEvidence(e.currentTarget.value)}
          />
          <Group grow>
            <TextInput
              type="date"
              label={t('people.acquiredOn')}
              value={acquiredOn}
              onChange={(e) => setAcquiredOn(e.currentTarget.value)}
            />
            <TextInput
              type="date"
              label={t('people.expiresOn')}
              description={t('people.expiresHint')}
              min={acquiredOn || undefined}
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.currentTarget.value)}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setChanging(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button loading={busy} disabled={!evidence.trim() || !acquiredOn} onClick={updateCompetence}>
              {t('roles.save')}
            </Button>
          </Group>
        </Stack>
      </Modal>
      <Modal
        opened={!!adding}
        onClose={() => setAdding(null)}
        title={<Text fw={600}>{t('people.competenceOf', { name: adding?.name })}</Text>}
        centered
      >
        <Stack>
          <Select
            label={t('people.competence')}
            withAsterisk
            searchable
            data={(competences.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
            value={competenceId}
            onChange={setCompetenceId}
          />
          <Textarea
            label={t('people.evidence')}
            withAsterisk
            placeholder={t('people.evidencePlaceholder')}
            autosize
            maxLength={evidenceLimit}
            value={evidence}
            onChange={(e) => setEvidence(e.currentTarget.value)}
          />
          <Group grow>
            <TextInput
              type="date"
              label={t('people.acquiredOn')}
              withAsterisk
              value={acquiredOn}
              onChange={(e) => setAcquiredOn(e.currentTarget.value)}
            />
            <TextInput
              type="date"
              label={t('people.expiresOn')}
              description={t('people.expiresDefault')}
              min={acquiredOn || undefined}
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.currentTarget.value)}
            />
          </Group>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setAdding(null)}>
              {t('common:actions.cancel')}
            </Button>
            <Button loading={busy} disabled={!competenceId || !evidence.trim() || !acquiredOn} onClick={addCompetence}>
              {t('people.record')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

/** Who lacks a competence their job role requires, or holds it expired. */
export function GapsTab() {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const [page, setPage] = useState(1);
  const [jobRoleId, setJobRoleId] = useState<string | null>(null);
  const roles = useJobRoles(scope.id);
  const gaps = useQuery({
    queryKey: ['competence-gaps', scope.id, jobRoleId, page],
    queryFn: () =>
      api.get<Page<Gap>>(`/api/scopes/${scope.id}/competence-gaps`, { jobRoleId: jobRoleId ?? undefined, page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  return (
    <Card withBorder radius="md" p={0}>
      <Group p="md" justify="space-between" wrap="wrap">
        <Select
          placeholder={t('gaps.allRoles')}
          aria-label={t('roles.col.role')}
          clearable
          w={{ base: '100%', sm: 240 }}
          data={(roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))}
          value={jobRoleId}
          onChange={(v) => {
            setJobRoleId(v);
            setPage(1);
          }}
        />
        {gaps.data && (
          <Text size="sm" c="dimmed">
            {gaps.data.total} gap{gaps.data.total === 1 ? '' : 's'}
          </Text>
        )}
      </Group>
      {gaps.error ? (
        <ErrorAlert error={gaps.error} />
      ) : !gaps.data ? (
        <TableSkeleton rows={4} />
      ) : gaps.data.total === 0 ? (
        <EmptyState
          py="xl"
          icon={<IconCertificate size={28} />}
          withIndicatorBackground
          title={t('gaps.none')}
          description={t('gaps.noneHint')}
          data-testid="gaps-empty"
        />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="gap-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('people.col.person')}</Table.Th>
                <Table.Th>{t('people.col.department')}</Table.Th>
                <Table.Th>{t('roles.col.role')}</Table.Th>
                <Table.Th>{t('people.competence')}</Table.Th>
                <Table.Th>{t('gaps.col.gap')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {gaps.data.items.map((g) => (
                <Table.Tr key={`${g.user.id}-${g.jobRole.id}-${g.competence.id}`}>
                  <Table.Td>{g.user.name}</Table.Td>
                  <Table.Td>{g.department ?? '—'}</Table.Td>
                  <Table.Td>{g.jobRole.name}</Table.Td>
                  <Table.Td>{g.competence.name}</Table.Td>
                  <Table.Td>
                    <Badge color={g.gap === 'missing' ? 'red' : 'orange'} variant="light">
                      {g.gap === 'missing' ? t('gaps.missing') : t('gaps.expired', { date: formatDate(g.expiresOn) })}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {gaps.data && <ListPager total={gaps.data.total} of={gaps.data} page={page} pageSize={PAGE_SIZE} onPage={setPage} />}
    </Card>
  );
}
