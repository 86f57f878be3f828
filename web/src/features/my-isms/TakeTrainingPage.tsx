import { Alert, Badge, Button, Card, Checkbox, EmptyState, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconCircleCheck, IconExternalLink, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { ErrorAlert, notifyError, PageHeader, PageLoader } from '../../app/ui.tsx';
import { Markdown } from '../policies/Markdown.tsx';
import type { CompleteTrainingInput, MyTrainings, QuizAnswersInput, QuizResult } from './my-types.ts';

/** An employee works through a training: the material, then the quiz (scored by Praxis) or "I have completed it". */
export function TakeTrainingPage() {
  const { t: tr } = useTranslation('my-isms');
  const { assignmentId } = useParams();
  const qc = useQueryClient();
  const trainings = useQuery({ queryKey: ['my-trainings'], queryFn: () => api.get<MyTrainings>('/api/me/trainings') });
  const [answers, setAnswers] = useState<Record<string, number[]>>({});
  const [result, setResult] = useState<QuizResult | null>(null);
  const [done, setDone] = useState(false);
  const [busy, setBusy] = useState(false);
  const back = (
    <Button component={Link} to="/" variant="default" size="md" leftSection={<IconArrowLeft size={18} />}>
      {tr('read.back')}
    </Button>
  );
  if (trainings.isPending) return <PageLoader />;
  if (trainings.error) return <ErrorAlert error={trainings.error} />;
  const t = result?.assignment ?? trainings.data.items.find((x) => x.id === assignmentId);
  if (!t)
    return (
      <Card withBorder radius="md" p="xl" maw={720} mx="auto">
        <EmptyState
          icon={<IconCircleCheck size={32} />}
          withIndicatorBackground
          title={tr('training.nothing')}
          description={tr('training.nothingHint')}
        >
          <EmptyState.Actions>{back}</EmptyState.Actions>
        </EmptyState>
      </Card>
    );
  const quiz = t.quiz;
  const unanswered = quiz ? quiz.questions.filter((q) => !(answers[q.id]?.length ?? 0)).length : 0;
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: ['my-trainings'] });
    void qc.invalidateQueries({ queryKey: ['training-assignments'] });
  };
  const submit = async () => {
    if (!quiz) return;
    setBusy(true);
    try {
      const body: QuizAnswersInput = {
        version: t.version,
        answers: quiz.questions.map((q) => ({ questionId: q.id, selected: answers[q.id] ?? [] })),
      };
      const r = await api.post<QuizResult, QuizAnswersInput>(`/api/me/trainings/${t.id}/quiz`, body);
      setResult(r);
      if (!r.passed) setAnswers({});
      refresh();
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (e) {
      notifyError(e, tr('training.notSent'));
    } finally {
      setBusy(false);
    }
  };
  const complete = async () => {
    setBusy(true);
    try {
      await api.post<unknown, CompleteTrainingInput>(`/api/me/trainings/${t.id}/complete`, { version: t.version });
      setDone(true);
      refresh();
    } catch (e) {
      notifyError(e, tr('training.notRecorded'));
    } finally {
      setBusy(false);
    }
  };
  const finished = done || !!result?.passed || !!t.completedAt;
  return (
    <Stack maw={820} mx="auto" gap="md">
      <PageHeader
        title={t.course.title}
        crumbs={[{ label: tr('read.myWork'), to: '/' }, { label: t.course.reference }]}
        description={
          <Group gap={6} component="span">
            <Badge variant="light" color={t.overdue ? 'red' : 'blue'}>
              {t.overdue ? tr('due.was', { date: formatDate(t.dueOn) }) : tr('training.due', { date: formatDate(t.dueOn) })}
            </Badge>
            {quiz && (
              <Text span size="sm" c="dimmed">
                {tr('training.quizSummary', { count: quiz.questions.length, passMark: quiz.passMark })}
              </Text>
            )}
          </Group>
        }
      />
      {result && (
        <Alert
          color={result.passed ? 'teal' : 'orange'}
          icon={result.passed ? <IconCircleCheck /> : <IconX />}
          title={result.passed ? tr('training.passed') : tr('training.notPassed')}
          data-testid="quiz-result"
        >
          {tr('training.score', { right: result.right, total: result.total, score: result.score })}{' '}
          {result.passed ? tr('training.recorded') : tr('training.needMore', { passMark: quiz?.passMark ?? '' })}
        </Alert>
      )}
      {done && (
        <Alert color="teal" icon={<IconCircleCheck />} title={tr('training.completed')} data-testid="training-completed">
          {tr('training.thanks')}
        </Alert>
      )}
      {(t.description || t.materialUrl) && (
        <Card withBorder radius="md" p={{ base: 'md', sm: 'xl' }}>
          <Title order={4} mb="sm">
            {tr('training.whatToLearn')}
          </Title>
          {t.description && <Markdown>{t.description}</Markdown>}
          {t.materialUrl && (
            <Button
              component="a"
              href={t.materialUrl}
              target="_blank"
              rel="noopener noreferrer"
              variant="light"
              size="md"
              mt="sm"
              rightSection={<IconExternalLink size={16} />}
            >
              {tr('training.openMaterial')}
            </Button>
          )}
          {t.materialDocumentId && !t.materialUrl && (
            <Text size="sm" c="dimmed" mt="sm">
              {tr('training.materialIsPolicy', { scope: t.scopeName })}
            </Text>
          )}
        </Card>
      )}
      {finished ? (
        <Group>{back}</Group>
      ) : quiz ? (
        <Card withBorder radius="md" p={{ base: 'md', sm: 'xl' }} data-testid="quiz">
          <Title order={4} mb={4}>
            {tr('training.quiz')}
          </Title>
          <Text size="sm" c="dimmed" mb="md">
            {tr('training.tickEvery')}
          </Text>
          <Stack gap="lg">
            {quiz.questions.map((q, qi) => (
              <Stack key={q.id} gap={8} data-testid="quiz-question">
                <Text fw={600}>
                  {qi + 1}. {q.text}
                </Text>
                {q.options.map((o, oi) => (
                  <Checkbox
                    // biome-ignore lint/suspicious/noArrayIndexKey: options are identified by their position
                    key={oi}
                    size="md"
                    label={o}
                    checked={answers[q.id]?.includes(oi) ?? false}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      setAnswers((a) => {
                        const cur = a[q.id] ?? [];
                        return { ...a, [q.id]: on ? [...cur, oi].sort() : cur.filter((x) => x !== oi) };
                      });
                    }}
                  />
                ))}
              </Stack>
            ))}
            <Button
              h="auto"
              mih={52}
              py="xs"
              styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.3 } }}
              size="lg"
              fullWidth
              loading={busy}
              disabled={unanswered > 0}
              onClick={submit}
              data-testid="submit-quiz"
            >
              {unanswered > 0 ? tr('training.answerAll', { count: unanswered }) : tr('training.send')}
            </Button>
          </Stack>
        </Card>
      ) : (
        <Card withBorder radius="md" p="lg">
          <Stack gap="sm">
            <Text>{tr('training.confirmHere')}</Text>
            <Button
              size="lg"
              fullWidth
              color="teal"
              h="auto"
              mih={52}
              py="xs"
              styles={{ label: { whiteSpace: 'normal', textAlign: 'center', lineHeight: 1.3 } }}
              leftSection={<IconCircleCheck size={22} />}
              loading={busy}
              onClick={complete}
              data-testid="complete-training"
            >
              {tr('training.iCompleted')}
            </Button>
          </Stack>
        </Card>
      )}
    </Stack>
  );
}
