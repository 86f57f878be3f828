import { Alert, Badge, Button, Card, Group, Stack, Text } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconArrowLeft, IconCircleCheck, IconDownload } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api } from '../../app/api.ts';
import { formatDate, formatDateTime } from '../../app/labels.ts';
import { useCurrentScope } from '../../app/session.ts';
import { ErrorAlert, notifyError, PageHeader, PageLoader } from '../../app/ui.tsx';
import { Markdown } from '../policies/Markdown.tsx';
import { documentTypeLabels, type ReadVersion } from '../policies/policy-types.ts';
import { inSentence } from '../../i18n/index.ts';

/** An employee reads a published policy addressed to them and confirms "I have read and understood". */
export function ReadPolicyPage() {
  const { t } = useTranslation('my-isms');
  const { docId, versionId } = useParams();
  const scope = useCurrentScope();
  const qc = useQueryClient();
  const [busy, setBusy] = useState(false);
  const path = `/api/scopes/${scope.id}/documents/${docId}/versions/${versionId}`;
  const read = useQuery({ queryKey: ['read', scope.id, docId, versionId], queryFn: () => api.get<ReadVersion>(`${path}/read`) });
  if (read.isPending) return <PageLoader />;
  if (read.error || !read.data) return <ErrorAlert error={read.error} />;
  const r = read.data;
  const ack = r.acknowledgement;
  const acknowledge = async () => {
    setBusy(true);
    try {
      qc.setQueryData(['read', scope.id, docId, versionId], await api.post<ReadVersion>(`${path}/acknowledge`));
      void qc.invalidateQueries({ queryKey: ['my-acknowledgements'] });
      void qc.invalidateQueries({ queryKey: ['acknowledgements', scope.id] });
      window.scrollTo({ top: 0, behavior: 'smooth' });
    } catch (e) {
      notifyError(e, t('read.notConfirmed'));
    } finally {
      setBusy(false);
    }
  };
  const back = (
    <Button component={Link} to="/" variant="default" size="md" leftSection={<IconArrowLeft size={18} />}>
      {t('read.back')}
    </Button>
  );
  return (
    <Stack maw={820} mx="auto" gap="md">
      <PageHeader
        title={r.title}
        crumbs={[{ label: t('read.myWork'), to: '/' }, { label: r.reference }]}
        description={
          <Group gap={6} component="span">
            <Badge variant="light">{documentTypeLabels[r.type]}</Badge>
            <Text span size="sm" c="dimmed">
              {r.publishedAt
                ? t('read.versionPublished', { version: r.versionNo, date: formatDate(r.publishedAt) })
                : t('read.version', { version: r.versionNo })}
            </Text>
          </Group>
        }
      />
      {ack?.acknowledgedAt && (
        <Alert color="teal" icon={<IconCircleCheck />} title={t('read.thanks')} data-testid="acknowledged">
          {t('read.confirmed', { date: formatDateTime(ack.acknowledgedAt), type: inSentence(documentTypeLabels[r.type]) })}
        </Alert>
      )}
      <Card withBorder radius="md" p={{ base: 'md', sm: 'xl' }}>
        {r.contentMd === null ? (
          <Text c="dimmed">{t('read.textGone')}</Text>
        ) : r.contentMd.trim() ? (
          <Markdown testId="read-content">{r.contentMd}</Markdown>
        ) : (
          !r.hasFile && <Text c="dimmed">{t('read.noText')}</Text>
        )}
        {r.hasFile && (
          <Button
            component="a"
            href={`${path}/file`}
            variant="light"
            size="md"
            mt="md"
            leftSection={<IconDownload size={18} />}
            data-testid="download-file"
          >
            {t('read.openFile')}
          </Button>
        )}
      </Card>
      {ack && !ack.acknowledgedAt ? (
        <Card withBorder radius="md" p="lg" data-testid="acknowledge-box">
          <Stack gap="sm">
            <Text>{ack.dueOn ? t('read.pleaseConfirmBy', { date: formatDate(ack.dueOn) }) : t('read.pleaseConfirm')}</Text>
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
              onClick={acknowledge}
              data-testid="acknowledge"
            >
              {t('read.acknowledge')}
            </Button>
          </Stack>
        </Card>
      ) : (
        <Group>{back}</Group>
      )}
    </Stack>
  );
}
