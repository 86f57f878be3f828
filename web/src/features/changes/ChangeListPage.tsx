import {
  Anchor,
  Badge,
  Button,
  Card,
  EmptyState,
  Group,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useDisclosure } from '@mantine/hooks';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconGitPullRequest, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ListPager } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifyError, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { labelsOf } from '../../app/labels.ts';
import type { ChangeDetail, ChangeRequest, CreateChangeInput } from '../incidents/incident-types.ts';
import { createChangeBody } from '../../../../server/src/processes/change-management/change.schemas.ts';
import { textLimits } from '../../app/FormParts.tsx';

const limits = textLimits(createChangeBody.shape);

export const changeStatusLabels: Record<ChangeRequest['status'], string> = labelsOf('changes:status', [
  'requested',
  'under_review',
  'approved',
  'rejected',
  'implementing',
  'verified',
  'closed',
]);
export const changeStatusColors: Record<ChangeRequest['status'], string> = {
  requested: 'blue',
  under_review: 'orange',
  approved: 'teal',
  rejected: 'red',
  implementing: 'violet',
  verified: 'green',
  closed: 'gray',
};
export const sourceLabels: Record<ChangeRequest['source'], string> = labelsOf('changes:source', [
  'manual',
  'risk_treatment',
  'improvement',
  'incident',
  'document_review',
]);

const PAGE_SIZE = 25;

export function ChangeListPage() {
  const { t } = useTranslation('changes');
  const scope = useCurrentScope();
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const [status, setStatus] = useState('open');
  const [page, setPage] = useState(1);
  const [opened, { open, close }] = useDisclosure(false);
  const query = { status: status === 'all' ? undefined : status, page, pageSize: PAGE_SIZE };
  const list = useQuery({
    queryKey: ['changes', scope.id, query],
    queryFn: () => api.get<Page<ChangeRequest>>(`/api/scopes/${scope.id}/changes`, query),
    placeholderData: (p) => p,
  });
  const form = useForm({
    initialValues: { title: '', reason: '', description: '', plannedOn: '' },
    validate: { title: (v) => (v.trim() ? null : t('list.titleRequired')), reason: (v) => (v.trim() ? null : t('list.reasonRequired')) },
  });
  const create = form.onSubmit(async (v) => {
    try {
      const c = await api.post<ChangeDetail, CreateChangeInput>(`/api/scopes/${scope.id}/changes`, {
        ...v,
        plannedOn: v.plannedOn || null,
      });
      void qc.invalidateQueries({ queryKey: ['changes', scope.id] });
      close();
      form.reset();
      void navigate(`/s/${scope.id}/changes/${c.id}`);
    } catch (e) {
      if (!applyFieldError(form, e)) notifyError(e);
    }
  });
  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description')}
        actions={
          can('change:write') && (
            <Button leftSection={<IconPlus size={16} />} onClick={open}>
              {t('list.new')}
            </Button>
          )
        }
      />
      <Card withBorder radius="md" p={0}>
        <Group p="md">
          <SegmentedControl
            value={status}
            onChange={(v) => {
              setStatus(v);
              setPage(1);
            }}
            data={[
              { value: 'open', label: t('list.filter.open') },
              { value: 'under_review', label: t('status.under_review') },
              { value: 'closed', label: t('status.closed') },
              { value: 'rejected', label: t('status.rejected') },
              { value: 'all', label: t('list.filter.all') },
            ]}
          />
        </Group>
        <ErrorAlert error={list.error} />
        {list.isLoading ? (
          <TableSkeleton />
        ) : list.data?.total === 0 ? (
          <EmptyState
            py={48}
            icon={<IconGitPullRequest size={36} />}
            withIndicatorBackground
            title={t('list.empty')}
            description={t('list.emptyHint')}
          />
        ) : (
          <Table.ScrollContainer minWidth={760}>
            <Table verticalSpacing="sm" highlightOnHover>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.col.change')}</Table.Th>
                  <Table.Th>{t('list.col.status')}</Table.Th>
                  <Table.Th>{t('list.col.source')}</Table.Th>
                  <Table.Th>{t('list.col.owner')}</Table.Th>
                  <Table.Th>{t('list.col.planned')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data?.items.map((c) => (
                  <Table.Tr key={c.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/s/${scope.id}/changes/${c.id}`} size="sm" fw={500}>
                        <Ref>{c.reference}</Ref> {c.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={changeStatusColors[c.status]} variant="light">
                        {changeStatusLabels[c.status]}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">
                        {sourceLabels[c.source]}
                        {c.sourceRecord?.ref ? ` · ${c.sourceRecord.ref}` : ''}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{c.owner?.name ?? '—'}</Text>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm">{formatDate(c.plannedOn)}</Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
        {list.data && <ListPager total={list.data.total} of={list.data} page={page} pageSize={PAGE_SIZE} onPage={setPage} size="md" />}
      </Card>
      <Modal opened={opened} onClose={close} title={<Text fw={600}>{t('list.new')}</Text>} size="lg">
        <form onSubmit={create} noValidate>
          <Stack>
            <TextInput label={t('list.form.what')} withAsterisk maxLength={limits.title} {...form.getInputProps('title')} />
            <Textarea
              label={t('list.form.why')}
              withAsterisk
              autosize
              minRows={2}
              maxLength={limits.reason}
              {...form.getInputProps('reason')}
            />
            <Textarea
              label={t('list.form.details')}
              autosize
              minRows={2}
              maxLength={limits.description}
              {...form.getInputProps('description')}
            />
            <TextInput label={t('list.form.planned')} type="date" {...form.getInputProps('plannedOn')} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common:actions.cancel')}
              </Button>
              <Button type="submit" loading={form.submitting}>
                {t('list.form.raise')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
