import { Anchor, Badge, Button, Card, EmptyState, Group, Modal, Stack, Table, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconSchool } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { useUrlFilters } from '../../app/urlState.ts';
import { GapsTab, JobRolesTab, PeopleTab } from './CompetenceTabs.tsx';
import type { Course, CourseInput } from './training-types.ts';
import { NumberField, numberLimits, textLimits } from '../../app/FormParts.tsx';
import { createCourseBody } from '../../../../server/src/processes/competence-awareness/training.schemas.ts';

const courseLimits = textLimits(createCourseBody.shape);
const courseNumbers = numberLimits(createCourseBody.shape);

const PAGE_SIZE = 25;
const tabs = ['courses', 'roles', 'people', 'gaps'] as const;

/** Competence and awareness (ISO 27001 7.2, 7.3): training courses, job roles and their competences, people, gaps. */
export function TrainingPage() {
  const { t } = useTranslation('training');
  const can = useCan();
  const { params, set } = useUrlFilters();
  const tab = tabs.includes(params.get('tab') as (typeof tabs)[number]) ? params.get('tab')! : 'courses';
  return (
    <>
      <PageHeader title={t('page.title')} description={t('page.description')} />
      <Tabs value={tab} onChange={(v) => set({ tab: v === 'courses' ? null : v })} mb="md" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="courses">{t('page.tab.courses')}</Tabs.Tab>
          {can('competence:read') && (
            <>
              <Tabs.Tab value="roles">{t('page.tab.roles')}</Tabs.Tab>
              <Tabs.Tab value="people">{t('page.tab.people')}</Tabs.Tab>
              <Tabs.Tab value="gaps" data-testid="tab-gaps">
                {t('page.tab.gaps')}
              </Tabs.Tab>
            </>
          )}
        </Tabs.List>
        <Tabs.Panel value="courses" pt="md">
          <CoursesTab />
        </Tabs.Panel>
        <Tabs.Panel value="roles" pt="md">
          <JobRolesTab />
        </Tabs.Panel>
        <Tabs.Panel value="people" pt="md">
          <PeopleTab />
        </Tabs.Panel>
        <Tabs.Panel value="gaps" pt="md">
          <GapsTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function CoursesTab() {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [creating, setCreating] = useState(false);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [dueDays, setDueDays] = useState<number | string>(30);
  const [recurrence, setRecurrence] = useState<number | string>(12);
  const [busy, setBusy] = useState(false);
  const courses = useQuery({
    queryKey: ['courses', scope.id, page],
    queryFn: () => api.get<Page<Course>>(`/api/scopes/${scope.id}/courses`, { page, pageSize: PAGE_SIZE }),
    placeholderData: (p) => p,
  });
  const create = async () => {
    setBusy(true);
    try {
      const body: CourseInput = {
        title: title.trim(),
        description,
        // an empty field takes the server's default; any number typed, 0 and negative ones too, goes to the server as it is
        ...(dueDays !== '' && { dueDays: Number(dueDays) }),
        recurrenceMonths: recurrence === '' ? null : Number(recurrence),
      };
      const c = await api.post<Course, CourseInput>(`/api/scopes/${scope.id}/courses`, body);
      void qc.invalidateQueries({ queryKey: ['courses', scope.id] });
      notifySuccess(t('courses.created', { reference: c.reference, title: c.title }));
      setCreating(false);
      void navigate(`/s/${scope.id}/training/courses/${c.id}`);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const newButton = can('training:manage') && (
    <Button
      leftSection={<IconPlus size={16} />}
      onClick={() => {
        setTitle('');
        setDescription('');
        setCreating(true);
      }}
      data-testid="new-course"
    >
      {t('courses.new')}
    </Button>
  );
  return (
    <Card withBorder radius="md" p={0}>
      <Group p="md" justify="space-between">
        <Text size="sm" c="dimmed">
          {courses.data ? t('courses.count', { count: courses.data.total }) : ' '}
        </Text>
        {newButton}
      </Group>
      {courses.error ? (
        <ErrorAlert error={courses.error} />
      ) : !courses.data ? (
        <TableSkeleton rows={3} />
      ) : courses.data.total === 0 ? (
        <EmptyState
          py={48}
          px="md"
          icon={<IconSchool size={32} />}
          withIndicatorBackground
          title={t('courses.empty')}
          description={t('courses.emptyHint')}
          data-testid="courses-empty"
        >
          <EmptyState.Actions>{newButton}</EmptyState.Actions>
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table highlightOnHover verticalSpacing="sm" data-testid="course-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('courses.col.reference')}</Table.Th>
                <Table.Th>{t('courses.col.course')}</Table.Th>
                <Table.Th>{t('courses.col.quiz')}</Table.Th>
                <Table.Th>{t('courses.col.repeats')}</Table.Th>
                <Table.Th>{t('courses.col.assignedTo')}</Table.Th>
                <Table.Th>{t('courses.col.updated')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {courses.data.items.map((c) => (
                <Table.Tr key={c.id} className="row-link" onClick={() => navigate(`/s/${scope.id}/training/courses/${c.id}`)}>
                  <Table.Td>
                    <Ref>{c.reference}</Ref>
                  </Table.Td>
                  <Table.Td>
                    <Anchor
                      component={Link}
                      to={`/s/${scope.id}/training/courses/${c.id}`}
                      size="sm"
                      fw={500}
                      onClick={(e) => e.stopPropagation()}
                    >
                      {c.title}
                    </Anchor>
                    {c.status === 'retired' && (
                      <Badge ml={6} size="xs" color="gray">
                        {t('courses.retired')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {c.hasQuiz ? (
                      <Badge variant="light">{t('courses.col.quiz')}</Badge>
                    ) : (
                      <Text size="sm" c="dimmed">
                        —
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{c.recurrenceMonths ? t('courses.every', { count: c.recurrenceMonths }) : t('courses.once')}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={c.targets.length ? undefined : 'dimmed'}>
                      {c.targets
                        .map((x) => (x.targetType === 'scope_role' ? (roleLabels[x.targetValue as ScopeRole] ?? x.label) : x.label))
                        .join(', ') || t('courses.nobody')}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c="dimmed">
                      {formatDate(c.updatedAt)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      {courses.data && <ListPager total={courses.data.total} of={courses.data} page={page} pageSize={PAGE_SIZE} onPage={setPage} />}
      <Modal opened={creating} onClose={() => setCreating(false)} title={<Text fw={600}>{t('courses.new')}</Text>} centered>
        <Stack>
          <TextInput
            label={t('courses.form.title')}
            withAsterisk
            placeholder={t('courses.form.titlePlaceholder')}
            maxLength={courseLimits.title}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            data-testid="course-title"
          />
          <Textarea
            label={t('courses.form.learn')}
            description={t('courses.form.learnHint')}
            autosize
            minRows={3}
            maxLength={courseLimits.description}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
          />
          <Group grow>
            <NumberField label={t('courses.form.dueDays')} {...courseNumbers.dueDays} value={dueDays} onChange={setDueDays} />
            <NumberField
              label={t('courses.form.repeat')}
              description={t('courses.form.repeatHint')}
              {...courseNumbers.recurrenceMonths}
              value={recurrence}
              onChange={setRecurrence}
            />
          </Group>
          <Text size="xs" c="dimmed">
            {t('courses.form.next')}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setCreating(false)}>
              {t('common:actions.cancel')}
            </Button>
            <Button loading={busy} disabled={!title.trim()} onClick={create} data-testid="create-course">
              {t('courses.form.create')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}
