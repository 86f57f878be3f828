import {
  Badge,
  Button,
  Card,
  EmptyState,
  Grid,
  Group,
  Modal,
  Pagination,
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
import { IconAlertTriangle, IconBell, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ListError, SearchInput } from '../../app/ListParts.tsx';
import { api, type Page } from '../../app/api.ts';
import { formatDate, options } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { applyFieldError, ErrorAlert, notifySuccess, PageHeader, Ref, TableSkeleton } from '../../app/ui.tsx';
import { RiskNav } from './RiskBits.tsx';
import { useThreats } from './RiskListPage.tsx';
import {
  type CreateThreatInput,
  type CreateThreatWarningInput,
  severityColors,
  severityLabels,
  type Threat,
  type ThreatCategory,
  threatCategoryLabels,
  type ThreatWarning,
  type WarningSeverity,
} from './risk-types.ts';
import { textLimits } from '../../app/FormParts.tsx';
import { createThreatBody, createThreatWarningBody } from '../../../../server/src/processes/risk-assessment/risk.schemas.ts';

const threatLimits = textLimits(createThreatBody.shape);
const warningLimits = textLimits(createThreatWarningBody.shape);

/** The threat catalog (BSI elementary threats and this scope's own) and the register of threats and warnings received. */
export function ThreatsPage() {
  const { t } = useTranslation('risks');
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const threats = useThreats(scopeId);
  const [q, setQ] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [warning, setWarning] = useState(false);
  const [page, setPage] = useState(1);
  const warnings = useQuery({
    queryKey: ['threat-warnings', scopeId, page],
    queryFn: () => api.get<Page<ThreatWarning>>(`/api/scopes/${scopeId}/threat-warnings`, { page, pageSize: 10 }),
    placeholderData: (p) => p,
  });
  const needle = q.trim().toLowerCase();
  const shown = (threats.data?.items ?? []).filter(
    (t) => (!category || t.category === category) && (!needle || `${t.code} ${t.title} ${t.description}`.toLowerCase().includes(needle)),
  );

  return (
    <>
      <PageHeader
        title={t('nav.threats')}
        description={t('threats.description')}
        actions={
          can('risk:write') && (
            <>
              <Button variant="default" leftSection={<IconBell size={16} />} onClick={() => setWarning(true)} data-testid="new-warning">
                {t('threats.recordWarning')}
              </Button>
              <Button leftSection={<IconPlus size={16} />} onClick={() => setAdding(true)} data-testid="new-threat">
                {t('threats.add')}
              </Button>
            </>
          )
        }
      />
      <RiskNav scopeId={scopeId} />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 7 }}>
          <Card withBorder radius="md" p={0}>
            <Group gap="sm" p="md" wrap="wrap">
              <SearchInput
                placeholder={t('threats.search')}
                aria-label={t('threats.search')}
                value={q}
                onChange={setQ}
                w={{ base: '100%', sm: 220 }}
                data-testid="threat-search"
              />
              <Select
                placeholder={t('threats.allCategories')}
                clearable
                w={{ base: '100%', sm: 220 }}
                value={category}
                onChange={setCategory}
                data={options(threatCategoryLabels)}
                aria-label={t('threats.category')}
              />
              <Text size="sm" c="dimmed">
                {threats.data ? t('threats.count', { count: shown.length }) : ''}
              </Text>
            </Group>
            {threats.error ? (
              <ListError error={threats.error} />
            ) : threats.isPending ? (
              <TableSkeleton />
            ) : shown.length === 0 ? (
              <EmptyState py="xl" title={t('list.filter.noThreat')} description={t('threats.emptyHint')} />
            ) : (
              <Table.ScrollContainer minWidth={480} maxHeight={640}>
                <Table verticalSpacing="xs" stickyHeader data-testid="threat-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('threats.code')}</Table.Th>
                      <Table.Th>{t('detail.threat')}</Table.Th>
                      <Table.Th>{t('threats.category')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((th) => (
                      <Table.Tr key={th.id} data-testid="threat-row">
                        <Table.Td style={{ whiteSpace: 'nowrap' }}>
                          <Ref>{th.code}</Ref>
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" fw={500}>
                            {th.title}{' '}
                            {th.source === 'custom' && (
                              <Badge size="xs" variant="light" color="grape">
                                {t('threats.custom')}
                              </Badge>
                            )}
                          </Text>
                          {th.description && (
                            <Text size="xs" c="dimmed" lineClamp={2}>
                              {th.description}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
                            {threatCategoryLabels[th.category]}
                          </Text>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            )}
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 5 }}>
          <Card withBorder radius="md" p="lg" data-testid="warning-list">
            <Title order={5}>{t('threats.received')}</Title>
            <Text size="xs" c="dimmed" mb="sm">
              {t('threats.receivedHint')}
            </Text>
            {warnings.error ? (
              <ErrorAlert error={warnings.error} />
            ) : warnings.isPending ? (
              <TableSkeleton rows={3} />
            ) : warnings.data.total === 0 ? (
              <EmptyState
                py="lg"
                icon={<IconAlertTriangle size={28} />}
                withIndicatorBackground
                title={t('threats.noWarnings')}
                description={t('threats.noWarningsHint')}
              >
                {can('risk:write') && (
                  <EmptyState.Actions>
                    <Button variant="light" onClick={() => setWarning(true)}>
                      {t('threats.recordWarning')}
                    </Button>
                  </EmptyState.Actions>
                )}
              </EmptyState>
            ) : (
              <Stack gap="sm">
                {warnings.data.items.map((w) => (
                  <Card key={w.id} withBorder radius="sm" p="sm" data-testid="warning-row">
                    <Group justify="space-between" wrap="nowrap" align="flex-start">
                      <Text size="sm" fw={600}>
                        {w.title}
                      </Text>
                      <Badge color={severityColors[w.severity]} variant="light">
                        {severityLabels[w.severity]}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      {t('threats.warningLine', { source: w.source, date: formatDate(w.receivedOn) })}
                      {w.threat && ` · ${w.threat.code} ${w.threat.title}`}
                    </Text>
                    {w.description && (
                      <Text size="xs" mt={4} lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
                        {w.description}
                      </Text>
                    )}
                  </Card>
                ))}
                {warnings.data.total > 10 && (
                  <Pagination size="sm" total={Math.ceil(warnings.data.total / 10)} value={page} onChange={setPage} />
                )}
              </Stack>
            )}
          </Card>
        </Grid.Col>
      </Grid>
      <ThreatModal opened={adding} onClose={() => setAdding(false)} scopeId={scopeId} />
      <WarningModal opened={warning} onClose={() => setWarning(false)} scopeId={scopeId} threats={threats.data?.items ?? []} />
    </>
  );
}

function ThreatModal({ opened, onClose, scopeId }: { opened: boolean; onClose: () => void; scopeId: string }) {
  const { t } = useTranslation('risks');
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: { code: '', title: '', category: 'technical' as ThreatCategory, description: '' },
    validate: { title: (v) => (v.trim() ? null : t('form.titleRequired')) },
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: CreateThreatInput = {
        title: v.title.trim(),
        category: v.category,
        description: v.description,
        ...(v.code.trim() && { code: v.code.trim() }),
      };
      const created = await api.post<Threat, CreateThreatInput>(`/api/scopes/${scopeId}/threats`, body);
      void qc.invalidateQueries({ queryKey: ['threats', scopeId] });
      notifySuccess(t('threats.added', { code: created.code, title: created.title }));
      form.reset();
      onClose();
    } catch (e) {
      if (!applyFieldError(form, e)) setError(e);
    }
  });
  return (
    <Modal opened={opened} onClose={onClose} title={<Text fw={600}>{t('threats.addCustom')}</Text>} centered data-testid="threat-dialog">
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('form.title')}
            withAsterisk
            placeholder={t('threats.titlePlaceholder')}
            maxLength={threatLimits.title}
            {...form.getInputProps('title')}
            data-testid="threat-title"
          />
          <Group grow>
            <Select
              label={t('threats.category')}
              allowDeselect={false}
              data={options(threatCategoryLabels)}
              {...form.getInputProps('category')}
            />
            <TextInput
              label={t('threats.code')}
              placeholder={t('threats.codePlaceholder')}
              maxLength={threatLimits.code}
              {...form.getInputProps('code')}
            />
          </Group>
          <Textarea
            label={t('detail.description')}
            autosize
            minRows={3}
            maxLength={threatLimits.description}
            {...form.getInputProps('description')}
          />
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="save-threat">
              {t('threats.addButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function WarningModal({ opened, onClose, scopeId, threats }: { opened: boolean; onClose: () => void; scopeId: string; threats: Threat[] }) {
  const { t } = useTranslation('risks');
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const form = useForm({
    initialValues: {
      title: '',
      source: '',
      receivedOn: new Date().toISOString().slice(0, 10) as string | null,
      severity: 'medium' as WarningSeverity,
      threatId: null as string | null,
      description: '',
    },
    validate: {
      title: (v) => (v.trim() ? null : t('form.titleRequired')),
      source: (v) => (v.trim() ? null : t('threats.sourceRequired')),
      receivedOn: (v) => (v ? null : t('threats.receivedRequired')),
    },
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const body: CreateThreatWarningInput = {
        title: v.title.trim(),
        source: v.source.trim(),
        receivedOn: v.receivedOn ?? '',
        severity: v.severity,
        threatId: v.threatId,
        description: v.description,
      };
      await api.post<ThreatWarning, CreateThreatWarningInput>(`/api/scopes/${scopeId}/threat-warnings`, body);
      void qc.invalidateQueries({ queryKey: ['threat-warnings', scopeId] });
      notifySuccess(t('threats.warningRecorded'));
      form.reset();
      onClose();
    } catch (e) {
      if (!applyFieldError(form, e)) setError(e);
    }
  });
  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={<Text fw={600}>{t('threats.recordTitle')}</Text>}
      centered
      size="lg"
      data-testid="warning-dialog"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label={t('form.title')}
            withAsterisk
            placeholder={t('threats.warningTitlePlaceholder')}
            maxLength={warningLimits.title}
            {...form.getInputProps('title')}
            data-testid="warning-title"
          />
          <Group grow align="flex-start">
            <TextInput
              label={t('threats.source')}
              withAsterisk
              placeholder={t('threats.sourcePlaceholder')}
              maxLength={warningLimits.source}
              {...form.getInputProps('source')}
              data-testid="warning-source"
            />
            <DateInput
              label={t('threats.receivedLabel')}
              withAsterisk
              valueFormat="D MMM YYYY"
              value={form.values.receivedOn}
              onChange={(d) => form.setFieldValue('receivedOn', d ? d.slice(0, 10) : null)}
              error={form.errors.receivedOn}
            />
          </Group>
          <Group grow align="flex-start">
            <Select
              label={t('threats.severity')}
              allowDeselect={false}
              data={options(severityLabels)}
              {...form.getInputProps('severity')}
            />
            <Select
              label={t('detail.threat')}
              placeholder={t('threats.optional')}
              clearable
              searchable
              data={threats.map((t) => ({ value: t.id, label: `${t.code} ${t.title}` }))}
              {...form.getInputProps('threatId')}
            />
          </Group>
          <Textarea
            label={t('detail.description')}
            autosize
            minRows={3}
            maxLength={warningLimits.description}
            {...form.getInputProps('description')}
          />
          <ErrorAlert error={error} title={t('common:errors.notSaved')} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={form.submitting} data-testid="save-warning">
              {t('threats.recordButton')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
