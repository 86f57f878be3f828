import { Anchor, Badge, Button, Card, DataList, Grid, Group, SimpleGrid, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { IconEdit, IconHistory, IconListDetails, IconShieldCheck, IconTrash } from '@tabler/icons-react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { OwnerValue, RecordLoadError, RecordMeta, useUrlTab } from '../../app/DetailParts.tsx';
import { ApiError, api } from '../../app/api.ts';
import { formatDate, formatDateTime, relativeDay } from '../../app/labels.ts';
import { useCan, useCurrentScope } from '../../app/session.ts';
import { notifyError, notifySuccess, PageHeader, PageLoader, ProtectionBadge, Ref, useConfirm } from '../../app/ui.tsx';
import { RecordAuditTrail } from '../audit/AuditEntries.tsx';
import { LevelBadge, StatusBadge, useRiskMethod } from './RiskBits.tsx';
import { RiskTreatmentTab } from './RiskTreatment.tsx';
import { basisDescriptions, basisLabels, type RiskBasis, type RiskDetail, type RiskMethod } from './risk-types.ts';

const bases: RiskBasis[] = ['inherent', 'current', 'target'];
const cia = ['confidentiality', 'integrity', 'availability'] as const;

export function RiskDetailPage() {
  const { t } = useTranslation('risks');
  const { id = '' } = useParams();
  const scope = useCurrentScope();
  const scopeId = scope.id;
  const can = useCan();
  const navigate = useNavigate();
  const qc = useQueryClient();
  const { confirm, dialog } = useConfirm();
  const risk = useQuery({ queryKey: ['risk', scopeId, id], queryFn: () => api.get<RiskDetail>(`/api/scopes/${scopeId}/risks/${id}`) });
  const method = useRiskMethod(scopeId);
  const tabs = ['overview', 'treatment', ...(can('audit:read') ? ['audit'] : [])];
  const [tab, setTab] = useUrlTab(tabs);

  if (risk.isPending) return <PageLoader />;
  if (risk.error) {
    return <RecordLoadError title={t('detail.noun')} listLabel={t('list.title')} listTo={`/s/${scopeId}/risks`} error={risk.error} />;
  }
  const r = risk.data;

  const remove = async () => {
    const ok = await confirm({
      title: t('detail.delete.title', { reference: r.reference }),
      message: <>{t('detail.delete.message', { title: r.title })}</>,
      confirmLabel: t('detail.delete.confirm'),
    });
    if (!ok) return;
    try {
      await api.delete(`/api/scopes/${scopeId}/risks/${id}`, { version: r.version });
      notifySuccess(t('detail.delete.done', { reference: r.reference, title: r.title }));
      qc.removeQueries({ queryKey: ['risk', scopeId, id] });
      void qc.invalidateQueries({ queryKey: ['risks', scopeId] });
      void qc.invalidateQueries({ queryKey: ['risk-heatmap', scopeId] });
      void navigate(`/s/${scopeId}/risks`);
    } catch (e) {
      notifyError(
        e instanceof ApiError && e.code === 'version_conflict' ? new Error(t('detail.delete.conflict')) : e,
        t('detail.delete.notDeleted'),
      );
      void risk.refetch();
    }
  };

  return (
    <>
      {dialog}
      <PageHeader
        documentTitle={`${r.reference} ${r.title}`}
        crumbs={[{ label: t('list.title'), to: `/s/${scopeId}/risks` }, { label: r.reference }]}
        title={r.title}
        description={
          <RecordMeta reference={r.reference} version={r.version} updatedAt={r.updatedAt}>
            <StatusBadge status={r.status} />
            <Text span size="xs" c="dimmed">
              {r.current.level || !r.inherent.level ? t('list.col.current') : t('list.col.inherent')}
            </Text>
            <LevelBadge level={r.current.level ?? r.inherent.level} testId="risk-current-level" />
          </RecordMeta>
        }
        actions={
          <>
            {can('risk:delete') && (
              <Button variant="default" c="red.7" leftSection={<IconTrash size={16} />} onClick={remove} data-testid="delete-risk">
                {t('common:actions.delete')}
              </Button>
            )}
            {can('risk:write') && (
              <Button leftSection={<IconEdit size={16} />} component={Link} to={`/s/${scopeId}/risks/${id}/edit`} data-testid="edit-risk">
                {t('detail.edit')}
              </Button>
            )}
          </>
        }
      />
      <Tabs value={tab} onChange={setTab} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="overview" leftSection={<IconListDetails size={16} />} data-testid="risk-tab-overview">
            {t('detail.tab.overview')}
          </Tabs.Tab>
          <Tabs.Tab value="treatment" leftSection={<IconShieldCheck size={16} />} data-testid="risk-tab-treatment">
            {t('detail.tab.treatment')}
          </Tabs.Tab>
          {can('audit:read') && (
            <Tabs.Tab value="audit" leftSection={<IconHistory size={16} />} data-testid="risk-tab-audit">
              {t('detail.tab.history')}
            </Tabs.Tab>
          )}
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid>
            <Grid.Col span={{ base: 12, md: 8 }}>
              <Stack>
                <Scores risk={r} method={method.data} />
                <Card withBorder radius="md" p="lg">
                  <Title order={5} mb="xs">
                    {t('detail.scenario')}
                  </Title>
                  <DataList size="sm" labelWidth={130} gap="sm">
                    <DataList.Item>
                      <DataList.ItemLabel>{t('detail.threat')}</DataList.ItemLabel>
                      <DataList.ItemValue data-testid="risk-threat-value">
                        {r.threat ? (
                          <>
                            <Ref>{r.threat.code}</Ref> {r.threat.title}
                          </>
                        ) : (
                          <Text size="sm" c="dimmed">
                            {t('list.noThreatChosen')}
                          </Text>
                        )}
                      </DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>{t('detail.vulnerability')}</DataList.ItemLabel>
                      <DataList.ItemValue style={{ whiteSpace: 'pre-wrap' }}>
                        {r.vulnerability || (
                          <Text size="sm" c="dimmed">
                            {t('detail.notDescribed')}
                          </Text>
                        )}
                      </DataList.ItemValue>
                    </DataList.Item>
                    <DataList.Item>
                      <DataList.ItemLabel>{t('detail.consequences')}</DataList.ItemLabel>
                      <DataList.ItemValue>
                        <Group gap={6} data-testid="risk-consequences">
                          {cia.filter((c) => r.consequences[c]).length === 0 ? (
                            <Text size="sm" c="dimmed">
                              {t('detail.noneChosen')}
                            </Text>
                          ) : (
                            cia
                              .filter((c) => r.consequences[c])
                              .map((c) => (
                                <Badge key={c} variant="light" color="gray">
                                  {t(`cia.${c}`)}
                                </Badge>
                              ))
                          )}
                        </Group>
                      </DataList.ItemValue>
                    </DataList.Item>
                  </DataList>
                  <Title order={6} mt="md" mb={4}>
                    {t('detail.description')}
                  </Title>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={r.description ? undefined : 'dimmed'}>
                    {r.description || t('detail.noDescription')}
                  </Text>
                </Card>
                <Card withBorder radius="md" p="lg">
                  <Title order={5} mb="xs">
                    {t('detail.affectedAssets', { count: r.assets.length })}
                  </Title>
                  {r.assets.length === 0 ? (
                    <Text size="sm" c="dimmed">
                      {t('detail.noAssets')}
                    </Text>
                  ) : (
                    <Table.ScrollContainer minWidth={480}>
                      <Table verticalSpacing="xs" data-testid="risk-assets-list">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('detail.asset')}</Table.Th>
                            <Table.Th>{t('detail.ciaShort.c')}</Table.Th>
                            <Table.Th>{t('detail.ciaShort.i')}</Table.Th>
                            <Table.Th>{t('detail.ciaShort.a')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {r.assets.map((a) => (
                            <Table.Tr key={a.id}>
                              <Table.Td>
                                <Group gap="xs" wrap="nowrap">
                                  <Ref>{a.reference}</Ref>
                                  {can('asset:read') ? (
                                    <Anchor component={Link} to={`/s/${scopeId}/assets/${a.id}`} size="sm" fw={500}>
                                      {a.name}
                                    </Anchor>
                                  ) : (
                                    <Text size="sm">{a.name}</Text>
                                  )}
                                </Group>
                              </Table.Td>
                              {cia.map((c) => (
                                <Table.Td key={c}>
                                  <ProtectionBadge level={a[c]} short />
                                </Table.Td>
                              ))}
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                  {r.suggestedImpact !== null && (
                    <Text size="xs" c="dimmed" mt="sm" data-testid="risk-suggested-impact">
                      {t('detail.suggestedImpact', { impact: r.suggestedImpact })}
                      {method.data && ` · ${method.data.impact.find((l) => l.value === r.suggestedImpact)?.label ?? ''}`}.
                    </Text>
                  )}
                </Card>
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 4 }}>
              <Card withBorder radius="md" p="lg">
                <DataList size="sm" labelWidth={100} gap="xs">
                  <DataList.Item>
                    <DataList.ItemLabel>{t('detail.owner')}</DataList.ItemLabel>
                    <DataList.ItemValue data-testid="risk-owner-value">
                      <OwnerValue owner={r.owner} />
                    </DataList.ItemValue>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.ItemLabel>{t('nav.method')}</DataList.ItemLabel>
                    <DataList.ItemValue data-testid="risk-method-version">
                      {r.method ? t('detail.methodVersion', { version: r.method.version }) : t('detail.notScoredYet')}
                      {r.method && method.data && r.method.version !== method.data.version && (
                        <Text size="xs" c="orange.8">
                          {t('detail.newerMethod', { version: method.data.version })}
                        </Text>
                      )}
                    </DataList.ItemValue>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.ItemLabel>{t('detail.assessed')}</DataList.ItemLabel>
                    <DataList.ItemValue>{formatDateTime(r.assessedAt)}</DataList.ItemValue>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.ItemLabel>{t('detail.nextReview')}</DataList.ItemLabel>
                    <DataList.ItemValue>
                      {formatDate(r.nextReviewOn)}
                      {r.nextReviewOn && (
                        <Text span size="xs" c="dimmed">
                          {' '}
                          ({relativeDay(r.nextReviewOn)})
                        </Text>
                      )}
                    </DataList.ItemValue>
                  </DataList.Item>
                  <DataList.Item>
                    <DataList.ItemLabel>{t('detail.created')}</DataList.ItemLabel>
                    <DataList.ItemValue>{formatDateTime(r.createdAt)}</DataList.ItemValue>
                  </DataList.Item>
                </DataList>
              </Card>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="treatment">
          <RiskTreatmentTab risk={r} method={method.data} />
        </Tabs.Panel>
        {can('audit:read') && (
          <Tabs.Panel value="audit">
            <RecordAuditTrail scopeId={scopeId} recordType="risk" recordId={r.id} />
          </Tabs.Panel>
        )}
      </Tabs>
    </>
  );
}

function Scores({ risk, method }: { risk: RiskDetail; method: RiskMethod | undefined }) {
  const { t } = useTranslation('risks');
  const label = (axis: 'likelihood' | 'impact', v: number | null) =>
    v === null ? null : (method?.[axis].find((l) => l.value === v)?.label ?? String(v));
  return (
    <Card withBorder radius="md" p="lg" data-testid="risk-scores">
      <Title order={5} mb="sm">
        {t('detail.levels')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        {bases.map((b) => {
          const a = risk[b];
          return (
            <Stack key={b} gap={4} data-testid={`risk-score-${b}`}>
              <Text size="sm" fw={600}>
                {basisLabels[b]}
              </Text>
              <Text size="xs" c="dimmed">
                {basisDescriptions[b]}
              </Text>
              <Group gap="xs" mt={4}>
                <LevelBadge level={a.level} size="lg" testId={`risk-level-${b}`} />
                {a.score !== null && (
                  <Text size="sm" fw={600}>
                    {a.score}
                  </Text>
                )}
              </Group>
              {a.likelihood !== null && a.impact !== null ? (
                <Text size="xs" c="dimmed">
                  {t('detail.scoreLine', {
                    likelihood: a.likelihood,
                    likelihoodLabel: label('likelihood', a.likelihood),
                    impact: a.impact,
                    impactLabel: label('impact', a.impact),
                  })}
                </Text>
              ) : (
                <Text size="xs" c="dimmed">
                  {t('score.notAssessed')}
                </Text>
              )}
            </Stack>
          );
        })}
      </SimpleGrid>
    </Card>
  );
}
