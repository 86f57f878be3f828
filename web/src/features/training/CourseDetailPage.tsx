import {
  ActionIcon,
  Badge,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconPlus, IconTrash, IconX } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, options, roleLabels } from '../../app/labels.ts';
import { useCan, useCurrentScope, useMembers } from '../../app/session.ts';
import type { ScopeRole } from '../../app/types.ts';
import { ErrorAlert, notifyError, notifySuccess, PageHeader, PageLoader, Ref, useConfirm } from '../../app/ui.tsx';
import { Markdown } from '../policies/Markdown.tsx';
import type { DocumentItem } from '../policies/policy-types.ts';
import { useCompetences, useJobRoles } from './CompetenceTabs.tsx';
import {
  type AddTargetInput,
  type AssignTargetResult,
  type Assignment,
  type Course,
  type TargetType,
  targetTypeLabels,
  type UpdateCourseInput,
} from './training-types.ts';
import { formatNumber, inSentence } from '../../i18n/index.ts';
import { NumberField, numberLimits, textLimits } from '../../app/FormParts.tsx';
import { addTargetBody, createCourseBody } from '../../../../server/src/processes/competence-awareness/training.schemas.ts';

const courseLimits = textLimits(createCourseBody.shape);
const courseNumbers = numberLimits(createCourseBody.shape);
const quizShape = createCourseBody.shape.quiz.unwrap().unwrap().shape;
const quizNumbers = numberLimits(quizShape);
const questionLimits = textLimits(quizShape.questions.element.shape);
const targetLimits = textLimits(addTargetBody.shape);

type QuizDraft = { passMark: number | string; questions: { text: string; options: string[]; correct: number[] }[] };
const targetLabel = (t: Course['targets'][number]) =>
  t.targetType === 'scope_role' ? (roleLabels[t.targetValue as ScopeRole] ?? t.label) : t.label;
const blankQuestion = () => ({ text: '', options: ['', ''], correct: [] as number[] });

/** One course: its content, the quiz editor, who it is assigned to, and the assignments with their results. */
export function CourseDetailPage() {
  const { t } = useTranslation('training');
  const { id } = useParams();
  const scope = useCurrentScope();
  const can = useCan();
  const qc = useQueryClient();
  const manage = can('training:manage');
  const { confirm, dialog } = useConfirm();
  const base = `/api/scopes/${scope.id}/courses/${id}`;
  const course = useQuery({ queryKey: ['course', scope.id, id], queryFn: () => api.get<Course>(base) });
  const c = course.data;
  const [busy, setBusy] = useState(false);
  const [fields, setFields] = useState({
    title: '',
    description: '',
    materialUrl: '',
    materialDocumentId: null as string | null,
    dueDays: 30 as number | string,
    recurrence: '' as number | string,
    grantsCompetenceId: null as string | null,
  });
  const [quiz, setQuiz] = useState<QuizDraft | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: load the course's values when it arrives or changes version
  useEffect(() => {
    if (!c) return;
    setFields({
      title: c.title,
      description: c.description,
      materialUrl: c.materialUrl ?? '',
      materialDocumentId: c.materialDocumentId,
      dueDays: c.dueDays,
      recurrence: c.recurrenceMonths ?? '',
      grantsCompetenceId: c.grantsCompetenceId,
    });
    setQuiz(
      c.quiz
        ? {
            passMark: c.quiz.passMark,
            questions: c.quiz.questions.map((q) => ({ text: q.text, options: q.options, correct: q.correct ?? [] })),
          }
        : null,
    );
  }, [c?.id, c?.version]);
  const competences = useCompetences(scope.id, manage && can('competence:read'));
  const docs = useQuery({
    queryKey: ['documents', scope.id, 'published-picker'],
    queryFn: () => api.get<Page<DocumentItem>>(`/api/scopes/${scope.id}/documents`, { status: 'published', pageSize: 200 }),
    enabled: manage && can('document:read'),
  });
  if (course.isPending) return <PageLoader />;
  if (course.error || !c) return <ErrorAlert error={course.error} />;

  const patch = async (body: Omit<UpdateCourseInput, 'version'>, message: string) => {
    setBusy(true);
    try {
      const saved = await api.patch<Course, UpdateCourseInput>(base, { ...body, version: c.version });
      qc.setQueryData(['course', scope.id, id], saved);
      void qc.invalidateQueries({ queryKey: ['courses', scope.id] });
      notifySuccess(message);
    } catch (e) {
      notifyError(e);
    } finally {
      setBusy(false);
    }
  };
  const saveQuiz = () => {
    if (!quiz) return patch({ quiz: null }, t('course.quizRemoved'));
    return patch(
      {
        quiz: {
          passMark: Number(quiz.passMark) || 80,
          questions: quiz.questions.map((q) => ({ text: q.text.trim(), options: q.options.map((o) => o.trim()), correct: q.correct })),
        },
      },
      t('course.quizSaved'),
    );
  };
  const setQ = (i: number, change: Partial<QuizDraft['questions'][number]>) =>
    setQuiz((z) => (z ? { ...z, questions: z.questions.map((q, j) => (j === i ? { ...q, ...change } : q)) } : z));

  return (
    <>
      {dialog}
      <PageHeader
        crumbs={[{ label: t('course.training'), to: `/s/${scope.id}/training` }, { label: c.reference }]}
        documentTitle={`${c.reference} ${c.title}`}
        title={
          <>
            <Ref>{c.reference}</Ref> {c.title}
          </>
        }
        description={
          <Group gap={6} component="span">
            <Badge color={c.status === 'active' ? 'teal' : 'gray'}>
              {c.status === 'active' ? t('course.active') : t('courses.retired')}
            </Badge>
            <Badge variant="outline" color="gray">
              {c.recurrenceMonths ? t('courses.every', { count: c.recurrenceMonths }) : t('courses.once')}
            </Badge>
            <Badge variant="outline" color="gray">
              {t('course.daysToComplete', { count: c.dueDays })}
            </Badge>
          </Group>
        }
        actions={
          manage &&
          (c.status === 'active' ? (
            <Button
              variant="subtle"
              color="red"
              onClick={async () => {
                if (
                  await confirm({
                    title: t('course.retire.title'),
                    message: t('course.retire.message'),
                    confirmLabel: t('course.retire.confirm'),
                  })
                )
                  await patch({ status: 'retired' }, t('course.retired'));
              }}
            >
              {t('course.retire.button')}
            </Button>
          ) : (
            <Button variant="default" onClick={() => patch({ status: 'active' }, t('course.activeAgain'))}>
              {t('course.makeActive')}
            </Button>
          ))
        }
      />
      <Grid gap="md">
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Stack>
            <Card withBorder radius="md" p="lg">
              <Title order={5} mb="sm">
                {t('course.course')}
              </Title>
              {manage ? (
                <Stack>
                  <TextInput
                    label={t('courses.form.title')}
                    maxLength={courseLimits.title}
                    value={fields.title}
                    onChange={(e) => setFields({ ...fields, title: e.currentTarget.value })}
                  />
                  <Textarea
                    label={t('courses.form.learn')}
                    description={t('course.learnHint')}
                    autosize
                    minRows={4}
                    maxLength={courseLimits.description}
                    value={fields.description}
                    onChange={(e) => setFields({ ...fields, description: e.currentTarget.value })}
                  />
                  <Grid>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <TextInput
                        label={t('course.materialLink')}
                        placeholder="https://…"
                        maxLength={courseLimits.materialUrl}
                        value={fields.materialUrl}
                        onChange={(e) => setFields({ ...fields, materialUrl: e.currentTarget.value })}
                      />
                    </Grid.Col>
                    <Grid.Col span={{ base: 12, sm: 6 }}>
                      <Select
                        label={t('course.orPolicy')}
                        clearable
                        searchable
                        data={(docs.data?.items ?? []).map((d) => ({ value: d.id, label: `${d.reference} · ${d.title}` }))}
                        value={fields.materialDocumentId}
                        onChange={(v) => setFields({ ...fields, materialDocumentId: v })}
                      />
                    </Grid.Col>
                    <Grid.Col span={6}>
                      <NumberField
                        label={t('courses.form.dueDays')}
                        description={t('course.dueDaysHint')}
                        {...courseNumbers.dueDays}
                        value={fields.dueDays}
                        onChange={(v) => setFields({ ...fields, dueDays: v })}
                      />
                    </Grid.Col>
                    <Grid.Col span={6}>
                      <NumberField
                        label={t('courses.form.repeat')}
                        description={t('courses.form.repeatHint')}
                        {...courseNumbers.recurrenceMonths}
                        value={fields.recurrence}
                        onChange={(v) => setFields({ ...fields, recurrence: v })}
                      />
                    </Grid.Col>
                    <Grid.Col span={12}>
                      <Select
                        label={t('course.grants')}
                        description={t('course.grantsHint')}
                        placeholder={t('course.none')}
                        clearable
                        searchable
                        data={(competences.data?.items ?? []).map((x) => ({ value: x.id, label: x.name }))}
                        value={fields.grantsCompetenceId}
                        onChange={(v) => setFields({ ...fields, grantsCompetenceId: v })}
                      />
                    </Grid.Col>
                  </Grid>
                  <Group justify="flex-end">
                    <Button
                      loading={busy}
                      disabled={!fields.title.trim()}
                      onClick={() =>
                        patch(
                          {
                            title: fields.title.trim(),
                            description: fields.description,
                            materialUrl: fields.materialUrl.trim() || null,
                            materialDocumentId: fields.materialDocumentId,
                            dueDays: Number(fields.dueDays) || 30,
                            recurrenceMonths: fields.recurrence === '' ? null : Number(fields.recurrence),
                            grantsCompetenceId: fields.grantsCompetenceId,
                          },
                          t('course.saved'),
                        )
                      }
                      data-testid="save-course"
                    >
                      {t('course.save')}
                    </Button>
                  </Group>
                </Stack>
              ) : c.description ? (
                <Markdown>{c.description}</Markdown>
              ) : (
                <Text size="sm" c="dimmed">
                  {t('course.noDescription')}
                </Text>
              )}
            </Card>
            <Card withBorder radius="md" p="lg" data-testid="quiz-editor">
              <Group justify="space-between" mb="sm">
                <Title order={5}>{t('courses.col.quiz')}</Title>
                {manage && !quiz && (
                  <Button
                    size="xs"
                    variant="light"
                    leftSection={<IconPlus size={14} />}
                    onClick={() => setQuiz({ passMark: 80, questions: [blankQuestion()] })}
                    data-testid="add-quiz"
                  >
                    {t('course.addQuiz')}
                  </Button>
                )}
              </Group>
              {!quiz ? (
                <Text size="sm" c="dimmed">
                  {t('course.noQuiz')}
                </Text>
              ) : !manage ? (
                <Text size="sm">{t('course.quizSummary', { count: quiz.questions.length, passMark: quiz.passMark })}</Text>
              ) : (
                <Stack>
                  <NumberField
                    label={t('course.passMark')}
                    {...quizNumbers.passMark}
                    w={160}
                    value={quiz.passMark}
                    onChange={(v) => setQuiz({ ...quiz, passMark: v })}
                  />
                  {quiz.questions.map((q, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: questions are edited in place by position
                    <Card key={i} withBorder radius="sm" p="sm" data-testid="quiz-question-editor">
                      <Group align="flex-start" wrap="nowrap" gap="xs">
                        <TextInput
                          style={{ flex: 1 }}
                          label={t('course.questionN', { n: i + 1 })}
                          maxLength={questionLimits.text}
                          value={q.text}
                          onChange={(e) => setQ(i, { text: e.currentTarget.value })}
                          placeholder={t('course.questionPlaceholder')}
                        />
                        <Tooltip label={t('course.removeQuestion')}>
                          <ActionIcon
                            mt={24}
                            variant="subtle"
                            color="red"
                            aria-label={t('course.removeQuestion')}
                            onClick={() => setQuiz({ ...quiz, questions: quiz.questions.filter((_, j) => j !== i) })}
                          >
                            <IconTrash size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                      <Text size="xs" c="dimmed" mt="xs" mb={4}>
                        {t('course.optionsHint')}
                      </Text>
                      <Stack gap={6}>
                        {q.options.map((o, oi) => (
                          // biome-ignore lint/suspicious/noArrayIndexKey: options are identified by position
                          <Group key={oi} gap="xs" wrap="nowrap">
                            <Checkbox
                              aria-label={t('course.optionRight', { n: oi + 1 })}
                              checked={q.correct.includes(oi)}
                              onChange={(e) =>
                                setQ(i, {
                                  correct: e.currentTarget.checked ? [...q.correct, oi].sort() : q.correct.filter((x) => x !== oi),
                                })
                              }
                            />
                            <TextInput
                              style={{ flex: 1 }}
                              size="xs"
                              value={o}
                              maxLength={questionLimits.options}
                              placeholder={t('course.optionN', { n: oi + 1 })}
                              onChange={(e) => {
                                const v = e.currentTarget.value;
                                setQ(i, { options: q.options.map((x, k) => (k === oi ? v : x)) });
                              }}
                            />
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              aria-label={t('course.removeOption')}
                              disabled={q.options.length <= 2}
                              onClick={() =>
                                setQ(i, {
                                  options: q.options.filter((_, k) => k !== oi),
                                  correct: q.correct.filter((x) => x !== oi).map((x) => (x > oi ? x - 1 : x)),
                                })
                              }
                            >
                              <IconX size={14} />
                            </ActionIcon>
                          </Group>
                        ))}
                      </Stack>
                      {q.options.length < 10 && (
                        <Button
                          size="compact-xs"
                          variant="subtle"
                          mt={6}
                          w="fit-content"
                          onClick={() => setQ(i, { options: [...q.options, ''] })}
                        >
                          {t('course.addOption')}
                        </Button>
                      )}
                    </Card>
                  ))}
                  <Group justify="space-between">
                    <Group gap="xs">
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconPlus size={14} />}
                        onClick={() => setQuiz({ ...quiz, questions: [...quiz.questions, blankQuestion()] })}
                      >
                        {t('course.addQuestion')}
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => setQuiz(null)}>
                        {t('course.removeQuiz')}
                      </Button>
                    </Group>
                    <Button loading={busy} onClick={saveQuiz} data-testid="save-quiz">
                      {t('course.saveQuiz')}
                    </Button>
                  </Group>
                </Stack>
              )}
              {manage && !quiz && c.quiz && (
                <Group justify="flex-end" mt="sm">
                  <Button loading={busy} color="red" variant="light" onClick={saveQuiz}>
                    {t('course.removeTheQuiz')}
                  </Button>
                </Group>
              )}
            </Card>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Stack>
            <TargetsCard course={c} base={base} manage={manage && c.status === 'active'} />
            <AssignmentsCard courseId={c.id} />
          </Stack>
        </Grid.Col>
      </Grid>
    </>
  );
}

function TargetsCard({ course, base, manage }: { course: Course; base: string; manage: boolean }) {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const members = useMembers(scope.id, manage);
  const roles = useJobRoles(scope.id);
  const { confirm, dialog } = useConfirm();
  const [type, setType] = useState<TargetType>('scope_role');
  const [value, setValue] = useState<string | null>(null);
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['course', scope.id, course.id] });
    void qc.invalidateQueries({ queryKey: ['courses', scope.id] });
    void qc.invalidateQueries({ queryKey: ['training-assignments', scope.id] });
    void qc.invalidateQueries({ queryKey: ['awareness', scope.id] });
    void qc.invalidateQueries({ queryKey: ['my-trainings'] });
  };
  const add = async () => {
    const targetValue = type === 'department' ? department.trim() : value;
    if (!targetValue) return;
    setBusy(true);
    try {
      const r = await api.post<AssignTargetResult, AddTargetInput>(`${base}/targets`, { targetType: type, targetValue });
      qc.setQueryData(['course', scope.id, course.id], r.course);
      refresh();
      notifySuccess(t('targets.assigned', { count: r.assigned }));
      setValue(null);
      setDepartment('');
    } catch (e) {
      notifyError(e, t('targets.notAssigned'));
    } finally {
      setBusy(false);
    }
  };
  const remove = async (targetId: string, label: string) => {
    if (
      !(await confirm({
        title: t('targets.stop.title', { label }),
        message: t('targets.stop.message'),
        confirmLabel: t('targets.stop.confirm'),
      }))
    )
      return;
    try {
      await api.delete(`${base}/targets/${targetId}`);
      refresh();
      notifySuccess(t('targets.stop.done'));
    } catch (e) {
      notifyError(e);
    }
  };
  const valueData =
    type === 'scope_role'
      ? options(roleLabels)
      : type === 'job_role'
        ? (roles.data?.items ?? []).map((r) => ({ value: r.id, label: r.name }))
        : (members.data ?? []).filter((m) => m.status !== 'disabled').map((m) => ({ value: m.userId, label: m.name }));
  return (
    <Card withBorder radius="md" p="lg" data-testid="targets">
      {dialog}
      <Title order={5} mb="sm">
        {t('targets.title')}
      </Title>
      {course.targets.length === 0 ? (
        <Text size="sm" c="dimmed" mb="sm">
          {t('targets.nobody')}
        </Text>
      ) : (
        <Stack gap={4} mb="sm">
          {course.targets.map((target) => (
            <Group key={target.id} justify="space-between" wrap="nowrap">
              <Text size="sm">
                <Text span c="dimmed" size="xs">
                  {targetTypeLabels[target.targetType]}:
                </Text>{' '}
                {targetLabel(target)}
              </Text>
              {manage && (
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label={t('targets.stop.label', { label: targetLabel(target) })}
                  onClick={() => remove(target.id, targetLabel(target))}
                >
                  <IconX size={14} />
                </ActionIcon>
              )}
            </Group>
          ))}
        </Stack>
      )}
      {manage && (
        <Stack gap="xs">
          <SegmentedControl
            size="xs"
            fullWidth
            value={type}
            onChange={(v) => {
              setType(v as TargetType);
              setValue(null);
            }}
            data={options(targetTypeLabels)}
          />
          <Group gap="xs" wrap="nowrap" align="flex-end">
            {type === 'department' ? (
              <TextInput
                style={{ flex: 1 }}
                placeholder={t('targets.departmentPlaceholder')}
                maxLength={targetLimits.targetValue}
                value={department}
                onChange={(e) => setDepartment(e.currentTarget.value)}
                aria-label={t('people.col.department')}
              />
            ) : (
              <Select
                style={{ flex: 1 }}
                searchable
                placeholder={t('targets.choose', { type: inSentence(targetTypeLabels[type]) })}
                data={valueData}
                value={value}
                onChange={setValue}
                aria-label={targetTypeLabels[type]}
                data-testid="target-value"
              />
            )}
            <Button loading={busy} onClick={add} disabled={type === 'department' ? !department.trim() : !value} data-testid="add-target">
              {t('targets.assign')}
            </Button>
          </Group>
        </Stack>
      )}
    </Card>
  );
}

function AssignmentsCard({ courseId }: { courseId: string }) {
  const { t } = useTranslation('training');
  const scope = useCurrentScope();
  const [status, setStatus] = useState('all');
  const [page, setPage] = useState(1);
  const list = useQuery({
    queryKey: ['training-assignments', scope.id, courseId, status, page],
    queryFn: () =>
      api.get<Page<Assignment>>(`/api/scopes/${scope.id}/training-assignments`, {
        courseId,
        status: status === 'all' ? undefined : status,
        page,
        pageSize: 15,
      }),
    placeholderData: (p) => p,
  });
  return (
    <Card withBorder radius="md" p="lg">
      <Group justify="space-between" mb="sm" wrap="wrap">
        <Title order={5}>{t('assignments.title')}</Title>
        <SegmentedControl
          size="xs"
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          data={[
            { value: 'all', label: t('assignments.filter.all') },
            { value: 'open', label: t('assignments.filter.open') },
            { value: 'overdue', label: t('assignments.filter.overdue') },
            { value: 'completed', label: t('assignments.filter.completed') },
          ]}
        />
      </Group>
      {list.error ? (
        <ErrorAlert error={list.error} />
      ) : !list.data ? (
        <PageLoader />
      ) : list.data.total === 0 ? (
        <Text size="sm" c="dimmed">
          {t('assignments.none')}
        </Text>
      ) : (
        <Table verticalSpacing={6} data-testid="assignment-table">
          <Table.Tbody>
            {list.data.items.map((a) => (
              <Table.Tr key={a.id}>
                <Table.Td>
                  <Text size="sm">{a.user?.name ?? t('assignments.formerMember')}</Text>
                  <Text size="xs" c={a.overdue ? 'red.7' : 'dimmed'}>
                    {t('assignments.due', { date: formatDate(a.dueOn) })}
                    {a.round > 1 ? ` · ${t('assignments.round', { round: a.round })}` : ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  {a.completedAt ? (
                    <Badge color="teal" variant="light">
                      {t('assignments.done', { date: formatDate(a.completedAt) })}
                      {a.score !== null ? ` · ${formatNumber(a.score / 100, { style: 'percent' })}` : ''}
                    </Badge>
                  ) : a.overdue ? (
                    <Badge color="red" variant="light">
                      {t('assignments.filter.overdue')}
                    </Badge>
                  ) : (
                    <Badge color="blue" variant="light">
                      {t('assignments.filter.open')}
                      {a.attempts > 0 ? ` · ${t('assignments.tries', { count: a.attempts })}` : ''}
                    </Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {list.data && <ListPager total={list.data.total} of={list.data} page={page} pageSize={list.data.pageSize} onPage={setPage} tight />}
    </Card>
  );
}
